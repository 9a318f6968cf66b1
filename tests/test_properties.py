"""Properties that must hold for any input, checked on generated input with hypothesis.

- loading: any text, bytes or mapping gives an Article or an ArticleError, nothing else;
- sentences: they cover the words of the text in order, never overlap, and their offsets are
  exact (pysbd drops a segment of punctuation alone, such as the "!!" of "Talks ended. !!",
  so only letters and digits are sure to be in a sentence);
- evidence: sentence numbers become spans whose offsets are valid and whose text is the article's.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.article import Article, article_from_text, load_article, split_sentences
from summarizer.errors import ArticleError
from summarizer.grounding import spans

EXAMPLES = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: pieces of news text that are hard on a sentence splitter: abbreviations, numbers, quotes,
#: ellipses, odd spaces and line ends
PIECES = ["Dr.", "U.S.", "Nov.", "No.", "St.", "a.m.", "3.5", "1,200", "e.g.", "Mr. Varga", "Ms.", "Gen.",
          "said", "the", "talks", "in", "Geneva", "Valdoria", "ceasefire", ".", "!", "?", "...", "…", '"', "“",
          "”", "'", "(", ")", "-", "—", ":", ";", ",", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0",
          "\u2028", "\u200b", "ﬁ", "İ", "ß", "é", "日本", "مرحبا", "🙂"]
news_text = st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join) | st.lists(
    st.sampled_from(PIECES), max_size=60).map("".join)
any_text = st.text(max_size=300) | news_text
json_scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_value = st.recursive(
    json_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10)
#: article fields: the real keys with any JSON value (or a plausible one), plus stray keys
fields = st.fixed_dictionaries({}, optional={
    "id": st.text(max_size=10) | json_value,
    "text": any_text | json_value,
    "title": st.text(max_size=20) | json_value,
    "published": st.sampled_from(["2025-03-12", "2025-03-12T10:00:00Z", "12 March 2025", "2025-13-45", ""])
    | json_value,
    "source": st.text(max_size=20) | json_value,
    "url": st.text(max_size=20) | json_value,
}) | st.dictionaries(st.text(max_size=8), json_value, max_size=5)


def _usable(article: Article) -> None:
    """What every loaded article promises the rest of the pipeline."""
    assert article.id and article.text.strip()
    assert article.sentences, "an article with text has at least one sentence"


def _loads_or_refuses(load) -> None:  # type: ignore[no-untyped-def]
    try:
        article = load()
    except ArticleError:
        return
    _usable(article)


@EXAMPLES
@given(text=any_text)
def test_any_text_is_an_article_or_an_article_error(text):
    _loads_or_refuses(lambda: article_from_text(text, id="generated"))


@EXAMPLES
@given(data=st.binary(max_size=400) | any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
       bom=st.booleans(), suffix=st.sampled_from([".txt", ".json", ".html"]),
       metadata=st.none() | st.binary(max_size=100) | fields.map(lambda f: json.dumps(f).encode()))
def test_any_file_is_an_article_or_an_article_error(data, bom, suffix, metadata):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"story{suffix}"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        if metadata is not None and suffix != ".json":
            path.with_suffix(".json").write_bytes(metadata)
        _loads_or_refuses(lambda: load_article(path))


@EXAMPLES
@given(article=fields)
def test_any_mapping_or_json_file_is_an_article_or_an_article_error(article):
    _loads_or_refuses(lambda: load_article(article))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.json"
        path.write_text(json.dumps(article), encoding="utf-8")
        _loads_or_refuses(lambda: load_article(path))


def _words(text: str) -> str:
    return "".join(text.split())


@EXAMPLES
@given(text=any_text)
def test_sentences_cover_the_text_in_order_with_exact_offsets(text):
    sentences = split_sentences(text)
    assert [s.number for s in sentences] == list(range(1, len(sentences) + 1))
    cursor = 0
    for sentence in sentences:
        assert cursor <= sentence.start < sentence.end <= len(text)  # in order, not overlapping, in bounds
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        assert not _words(text[cursor:sentence.start]), "text between sentences was dropped"
        cursor = sentence.end
    assert not _words(text[cursor:]), "text after the last sentence was dropped"


@pytest.mark.parametrize("name", ["story.json", "story.txt"])
def test_deeply_nested_json_is_an_article_error(tmp_path, name):
    (tmp_path / "story.txt").write_text("Talks ended in Geneva.")
    (tmp_path / "story.json").write_text("[" * 100_000)  # the article itself, or the .txt's metadata
    with pytest.raises(ArticleError):
        load_article(tmp_path / name)


@EXAMPLES
@given(text=any_text.filter(lambda t: t.strip()), numbers=st.lists(st.integers(-3, 40), max_size=12))
def test_sentence_numbers_become_exact_spans(text, numbers):
    article = Article(id="generated", text=text)
    evidence = spans(article, numbers)
    known = {s.number for s in article.sentences}
    assert len(evidence) == len({n for n in numbers if n in known})  # each cited sentence once, others dropped
    assert [s.start for s in evidence] == sorted({s.start for s in evidence})  # article order
    for span in evidence:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start:span.end] == span.text
