"""The HTML briefing page and eval report: content, evidence marks, escaping, self-containment."""

from __future__ import annotations

import json
import re

import pytest

from summarizer import Article, Briefing, Summarizer, load_article
from summarizer.html import ReportRow, briefing_page, eval_report
from summarizer.scoring import SECTIONS, score_article, score_set

from .conftest import SAMPLE

HOSTILE_TEXT = "\n\n".join([
    'Officials from A & B "Co" <x> met Rex <img src=x onerror=alert(3)> on Monday.',
    "The page said <script>alert(1)</script> and <b>bold</b> things.",
    'Rex said "</script><script>alert(2)</script>" twice.',
])
HOSTILE_NAME = 'A & B "Co" <x>'
HOSTILE_QUOTE = "</script><script>alert(2)</script>"


@pytest.fixture
def sample() -> tuple[Briefing, Article]:
    from .conftest import SAMPLE_SCRIPT, FakeBackend

    briefing = Summarizer(FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()}), complete=False).summarize(SAMPLE)
    return briefing, load_article(SAMPLE)


def hostile(url: str = 'https://example.com/news?id=1&x="2"') -> tuple[Briefing, Article]:
    article = Article(id="hostile", title="<b>bold</b> headline", text=HOSTILE_TEXT, source="<i>Wire</i>", url=url)
    s1, _, s3 = ({"start": s.start, "end": s.end} for s in article.sentences)
    briefing = Briefing.model_validate({
        "article": {"id": "hostile"},
        "summary": "Summary with <script>alert(1)</script> & more",
        "actors": [
            {"id": "ab", "name": HOSTILE_NAME, "type": "other", "aliases": ["<i>AB</i>"], "evidence": [s1]},
            {"id": "rex", "name": "Rex <img src=x onerror=alert(3)>", "type": "person", "evidence": [s1]},
        ],
        "meetings": [{"participants": ["ab", "rex"], "format": "other", "event": "<b>Summit</b>",
                      "location": 'Rock & Roll "Hall"', "date": {"value": "2025-03-10", "text": "on <Monday>"},
                      "status": "occurred", "evidence": [s1]}],
        "stated_positions": [{"holder": "rex", "kind": "statement", "topic": "<i>topic</i></script><!--",
                              "position": "Says </script> things", "quote": HOSTILE_QUOTE, "evidence": [s3]}],
    }, context={"article_text": article.text})
    return briefing, article


def tag_classes(page: str, element_id: str) -> set[str]:
    match = re.search(rf'<[a-z]+ class="([^"]*)" id="{re.escape(element_id)}"', page)
    assert match, f"no element with id {element_id}"
    return set(match.group(1).split())


def graph_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="graph">(.*?)</script>', page, re.S)
    assert block
    return json.loads(block.group(1))


def section_html(page: str, section_id: str) -> str:
    match = re.search(rf'<section class="section" id="{section_id}">(.*?)</section>', page, re.S)
    assert match, f"no section {section_id}"
    return match.group(1)


def test_the_page_shows_the_summary_and_all_four_sections(sample):
    briefing, article = sample
    page = briefing_page(briefing, article)
    assert page.startswith("<!DOCTYPE html>")
    for section_id in ("summary", "timeline", "actors", "meetings", "military-developments", "stated-positions"):
        assert f'id="{section_id}"' in page
    assert briefing.summary in page
    for actor in briefing.actors:
        assert f">{actor.name}<" in page
    for key in ("b-a0", "b-a6", "b-m0", "b-m1", "b-d0", "b-d1", "b-p0", "b-p1"):
        assert f'id="{key}" data-key="{key}"' in page
    assert "Valdorian army shelled Ostrov." in page and "We will defend every inch of our land," in page


def test_cited_sentences_are_marked_and_cards_link_to_them(sample):
    briefing, article = sample
    page = briefing_page(briefing, article)
    for number in (1, 2, 3, 4, 6, 7):
        assert "cited" in tag_classes(page, f"b-s{number}")
    for number in (5, 8):
        assert tag_classes(page, f"b-s{number}") == {"sent"}
    sentence = article.sentences[2]
    assert f'id="b-s3">{sentence.text}</span>' in page
    assert '<a class="ev" href="#b-s3">[3]</a>' in page


def test_the_graph_links_items_to_evidence_and_actors_to_what_they_did(sample):
    briefing, article = sample
    graph = graph_of(briefing_page(briefing, article))
    call = {"label": "Call: Elena Varga, Tomas Brenner", "sentences": ["b-s1"], "links": ["b-a0", "b-a1"]}
    assert graph["b-m0"] == call
    varga = graph["b-a0"]
    assert varga["links"] == ["b-m0", "b-m1", "b-p0"]
    assert varga["sentences"] == ["b-s1", "b-s7", "b-s2"]


def test_the_timeline_lists_dated_items_in_date_order(sample):
    briefing, article = sample
    timeline = section_html(briefing_page(briefing, article), "timeline")
    assert re.findall(r'class="tl-item" data-key="([^"]+)"', timeline) == ["b-d0", "b-m0"]
    assert timeline.index("2025-03-09") < timeline.index("2025-03-10")


def test_article_and_briefing_text_is_escaped():
    page = briefing_page(*hostile())
    for raw in ("<script>alert(", "<b>", "<i>", "<img", "<x>", "<Monday>"):
        assert raw not in page
    for escaped in (
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;b&gt;bold&lt;/b&gt;",
        "A &amp; B &quot;Co&quot; &lt;x&gt;",
        "&lt;img src=x onerror=alert(3)&gt;",
        "Rock &amp; Roll &quot;Hall&quot;",
        "&lt;i&gt;Wire&lt;/i&gt;",
        "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
        "on &lt;Monday&gt;",
    ):
        assert escaped in page, escaped


def test_the_json_block_cannot_be_broken_out_of():
    page = briefing_page(*hostile())
    assert re.findall(r"<script\b[^>]*>", page, re.I) == ['<script type="application/json" id="graph">', "<script>"]
    assert len(re.findall(r"</script", page, re.I)) == 2
    block = re.search(r'<script type="application/json" id="graph">(.*?)</script>', page, re.S).group(1)
    assert not set("<>&") & set(block)
    assert "\\u003c/script\\u003e\\u003c!--" in block
    graph = json.loads(block)
    assert graph["b-a0"]["label"] == HOSTILE_NAME
    assert graph["b-p0"]["label"] == "Rex <img src=x onerror=alert(3)>: <i>topic</i></script><!--"


def test_the_page_loads_nothing_from_the_network():
    url = 'https://example.com/news?id=1&x="2"'
    page = briefing_page(*hostile(url))
    lowered = page.lower()
    for forbidden in ("<script src", "<link", "@import", "url(", "<iframe", "<img", "<object", "<embed"):
        assert forbidden not in lowered
    assert not re.search(r"<[a-z][^>]*\ssrc\s*=", page, re.I)
    linked = re.findall(r'(?:src|href)\s*=\s*"(https?:[^"]*)"', page, re.I)
    assert linked == ["https://example.com/news?id=1&amp;x=&quot;2&quot;"]
    assert "default-src 'none'" in page


def test_a_non_web_url_is_shown_as_text_not_linked():
    page = briefing_page(*hostile("javascript:alert(1)"))
    assert "javascript:alert(1)" in page
    assert 'href="javascript' not in page


def _modified_prediction(gold: Briefing, article: Article) -> Briefing:
    """Gold with the Geneva meeting dropped, the call's date wrong and an extra development."""
    data = gold.model_dump()
    data["meetings"] = data["meetings"][:1]
    data["meetings"][0]["date"] = {"value": "2025-03-11", "text": "on Monday"}
    data["military_developments"].append({
        "type": "other", "description": "Valdoria denied losing Mirna.", "actors": ["valdoria"], "status": "denied",
        "evidence": [{"text": article.sentences[4].text}],
    })
    return Briefing.model_validate(data, context={"article_text": article.text})


@pytest.fixture
def report(sample) -> tuple[str, float]:
    briefing, article = sample
    gold = briefing.model_copy(update={"provenance": None})
    predicted = _modified_prediction(gold, article)
    totals = score_set([(predicted, gold)])
    summary = {s: getattr(totals, s).model_dump() for s in SECTIONS} | {"briefing_f1": totals.briefing_f1}
    rows = [
        ReportRow(article, gold, predicted, score_article(predicted, gold)),
        ReportRow(article, gold, None, None, "ModelError: timed out <script>alert(1)</script>"),
    ]
    return eval_report(rows, summary), totals.briefing_f1


def test_the_report_marks_matched_missed_and_extra_items(report):
    page, _ = report
    meetings = section_html(page, "r0-meetings")
    assert meetings.count('class="pair matched"') == 1 and meetings.count('class="pair missed"') == 1
    assert 'class="pair extra"' not in meetings
    assert "similarity 0.90" in meetings and "differs in date" in meetings
    assert 'id="r0g-m1"' in meetings.split('class="pair missed"')[1]  # the Geneva meeting, gold side
    developments = section_html(page, "r0-military-developments")
    assert developments.count('class="pair matched"') == 2 and developments.count('class="pair extra"') == 1
    assert 'id="r0p-d2"' in developments.split('class="pair extra"')[1]
    actors = section_html(page, "r0-actors")
    assert actors.count('class="pair matched"') == 7 and "pair missed" not in actors and "pair extra" not in actors


def test_the_report_tells_gold_and_predicted_evidence_apart(report):
    page, _ = report
    assert tag_classes(page, "r0-s1") == {"sent", "ev-gold", "ev-pred"}
    assert tag_classes(page, "r0-s5") == {"sent", "ev-pred"}  # only the extra development cites it
    assert tag_classes(page, "r0-s8") == {"sent"}
    assert '<span class="sent ev-gold">gold evidence</span>' in page


def test_the_report_has_totals_an_article_table_and_failed_articles(report):
    page, briefing_f1 = report
    totals = section_html(page, "totals")
    assert "Briefing F1" in totals and f"{briefing_f1:.3f}" in totals
    for column in ("Precision", "Recall", "F1", "Evidence overlap"):
        assert f">{column}</th>" in totals
    assert "field_accuracy" not in totals and "Field accuracy" not in totals  # nested mappings are not columns
    articles = section_html(page, "articles")
    assert 'href="#r0"' in articles and 'href="#r1"' in articles and ">failed<" in articles
    assert 'id="r0"' in page and 'id="r1"' in page
    failed = page.split('id="r1"')[1]
    assert "ModelError: timed out &lt;script&gt;alert(1)&lt;/script&gt;" in failed
    assert "<script>alert(" not in page
    assert 'class="pair' not in failed and 'id="r1g-m1"' in failed  # gold shown as plain cards


def test_a_row_without_a_score_is_scored_by_the_report(sample):
    briefing, article = sample
    gold = briefing.model_copy(update={"provenance": None})
    predicted = _modified_prediction(gold, article)
    scored = eval_report([ReportRow(article, gold, predicted, score_article(predicted, gold))], {})
    assert eval_report([ReportRow(article, gold, predicted)], {}) == scored
