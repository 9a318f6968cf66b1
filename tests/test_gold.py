"""Loading gold files (contract § Gold files): offsets joined to the article, errors named."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import ContractError
from summarizer.gold import load_gold, load_gold_set
from summarizer.scoring import SECTIONS, score_article

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "evals" / "gold"
CORPUS = Path(os.environ.get("SUMMARIZER_CORPUS", REPO.parent / "shared" / "corpus"))

BODY = 'Minister Elena Varga of Norland visited Kestrel on Monday. "We want peace," Varga said.'
QUOTE = "We want peace,"


def offsets(text: str) -> dict[str, int]:
    start = BODY.index(text)
    return {"start": start, "end": start + len(text)}


def gold_data(article_id: str = "norland") -> dict[str, Any]:
    first = "Minister Elena Varga of Norland visited Kestrel on Monday."
    second = '"We want peace," Varga said.'
    return {
        "schema_version": "1",
        "article": {"id": article_id},
        "summary": "Norland's minister visited Kestrel and called for peace.",
        "actors": [
            {"id": "elena-varga", "name": "Elena Varga", "type": "person", "aliases": ["Varga"], "evidence": [offsets(first)]},
        ],
        "stated_positions": [
            {
                "holder": "elena-varga",
                "kind": "statement",
                "topic": "peace",
                "position": "Norland wants peace.",
                "quote": offsets(QUOTE),
                "evidence": [{"text": second}],
            }
        ],
    }


def write_article(folder: Path, article_id: str = "norland") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{article_id}.txt").write_text(f"Varga visits Kestrel\n\n{BODY}\n", encoding="utf-8")
    metadata = {"title": "Varga visits Kestrel", "source": "Norland Herald", "url": "https://example.org/varga", "published": "2031-03-04"}
    (folder / f"{article_id}.json").write_text(json.dumps(metadata), encoding="utf-8")


def write_gold(folder: Path, data: dict[str, Any] | str, name: str = "norland") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_load_gold_fills_spans_quote_and_article(tmp_path: Path) -> None:
    write_article(tmp_path / "articles")
    path = write_gold(tmp_path / "gold", gold_data())
    article, gold = load_gold(path, tmp_path / "articles")
    assert article.text == BODY
    assert gold.article.title == "Varga visits Kestrel"
    assert gold.article.published == dt.date(2031, 3, 4)
    assert (gold.article.source, gold.article.url) == ("Norland Herald", "https://example.org/varga")
    assert gold.actors[0].evidence[0].text == "Minister Elena Varga of Norland visited Kestrel on Monday."
    position = gold.stated_positions[0]
    assert position.quote == QUOTE
    assert BODY[position.evidence[0].start : position.evidence[0].end] == '"We want peace," Varga said.'


def test_load_gold_set_is_sorted_by_id(tmp_path: Path) -> None:
    for article_id in ("zeta", "alpha"):
        write_article(tmp_path / "articles", article_id)
        write_gold(tmp_path / "gold", gold_data(article_id), article_id)
    assert [article.id for article, _ in load_gold_set(tmp_path / "gold", tmp_path / "articles")] == ["alpha", "zeta"]


def _out_of_range(data: dict[str, Any]) -> None:
    data["actors"][0]["evidence"] = [{"start": 40, "end": 4000}]


def _unknown_actor(data: dict[str, Any]) -> None:
    data["stated_positions"][0]["holder"] = "piet-adler"


def _text_not_in_article(data: dict[str, Any]) -> None:
    data["stated_positions"][0]["evidence"] = [{"text": "Varga declared war."}]


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (_out_of_range, rf"actors\[0\]\.evidence\[0\]: offsets 40:4000 do not fit the article \(length {len(BODY)}\)"),
        (_unknown_actor, r"stated_positions\[0\]\.holder refers to unknown actor 'piet-adler'"),
        (_text_not_in_article, r"stated_positions\[0\]\.evidence\[0\]: evidence text is not in the article"),
    ],
)
def test_bad_gold_raises_contract_error_naming_the_file(tmp_path: Path, break_it: Any, message: str) -> None:
    write_article(tmp_path / "articles")
    data = gold_data()
    break_it(data)
    path = write_gold(tmp_path / "gold", data)
    with pytest.raises(ContractError, match=r"gold file norland\.json: 1 problem") as caught:
        load_gold(path, tmp_path / "articles")
    assert caught.match(message)


def test_missing_article_and_bad_json_raise_contract_error(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "gold", gold_data())
    with pytest.raises(ContractError, match=r"norland\.json.*\n.*no article file at"):
        load_gold(path, tmp_path / "articles")
    broken = write_gold(tmp_path / "gold", "{not json", name="broken")
    with pytest.raises(ContractError, match=r"(?s)broken\.json.*not valid JSON"):
        load_gold(broken, tmp_path / "articles")
    misnamed = write_gold(tmp_path / "gold", gold_data("other"), name="misnamed")
    with pytest.raises(ContractError, match=r"article\.id 'other' is not the file name 'misnamed'"):
        load_gold(misnamed, tmp_path / "articles")


def test_load_gold_set_lists_every_broken_file(tmp_path: Path) -> None:
    write_gold(tmp_path / "gold", "[]", name="first")
    write_gold(tmp_path / "gold", "{", name="second")
    with pytest.raises(ContractError) as caught:
        load_gold_set(tmp_path / "gold", tmp_path / "articles")
    assert "first.json" in str(caught.value) and "second.json" in str(caught.value)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus folder {CORPUS} is absent (set SUMMARIZER_CORPUS)")
@pytest.mark.parametrize("path", sorted(GOLD_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_every_gold_file_loads_and_scores_one_against_itself(path: Path) -> None:
    article, gold = load_gold(path, CORPUS)
    assert gold.article.id == article.id == path.stem
    score = score_article(gold, gold)
    assert {section: getattr(score, section).f1 for section in SECTIONS} == dict.fromkeys(SECTIONS, 1.0)


def _label_tool() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("label", REPO / "evals" / "label.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_label_tool_freezes_a_draft_into_offsets_only_gold(tmp_path: Path) -> None:
    write_article(tmp_path / "articles")
    draft = gold_data()
    draft["actors"][0]["evidence"] = [1]  # a sentence number from `label.py sentences`
    draft["stated_positions"][0]["quote"] = QUOTE  # the quoted words as a string
    draft["stated_positions"][0]["evidence"] = [2]
    path = write_gold(tmp_path / "drafts", draft)
    written = _label_tool().freeze(path, tmp_path / "articles", tmp_path / "gold")
    stored = json.loads(written.read_text(encoding="utf-8"))
    assert stored["actors"][0]["evidence"] == [offsets("Minister Elena Varga of Norland visited Kestrel on Monday.")]
    assert stored["stated_positions"][0]["quote"] == offsets(QUOTE)
    assert "Varga said" not in written.read_text(encoding="utf-8")  # no article text, offsets only
    article, gold = load_gold(written, tmp_path / "articles")
    assert gold.stated_positions[0].quote == QUOTE


def test_the_label_tool_refuses_a_sentence_the_article_does_not_have(tmp_path: Path) -> None:
    write_article(tmp_path / "articles")
    draft = gold_data()
    draft["actors"][0]["evidence"] = [7]
    path = write_gold(tmp_path / "drafts", draft)
    with pytest.raises(ContractError, match="there is no sentence 7"):
        _label_tool().freeze(path, tmp_path / "articles", tmp_path / "gold")
    assert not (tmp_path / "gold").exists()
