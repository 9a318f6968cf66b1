"""The Python API takes an article as text, a file, a mapping or a stream, by one rule, and
every failure is a SummarizerError that names the problem (never a bare OSError)."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from pathlib import Path

import pytest

import summarizer
from summarizer import ArticleError, Summarizer, SummarizerError
from summarizer.article import to_article

from .conftest import ROOT, SAMPLE, FakeBackend, dumps

#: an invented article of 60 words, written for this test
ARTICLE = (
    "Foreign ministers of Ostria and Vellmark met in the port city of Tarn on Monday to discuss the "
    "disputed fishing waters of the Grey Sound. Ostrian Foreign Minister Pavel Dorn said the talks were "
    "frank and useful. Vellmark's Foreign Minister Ines Arnau warned that patrol boats would stay in the "
    "sound until a new agreement was signed by both governments."
)


def _backend() -> FakeBackend:
    return FakeBackend({"ActorsDraft": [dumps({
        "summary": "Ostria and Vellmark met over the Grey Sound.",
        "actors": [
            {"name": "Pavel Dorn", "type": "person", "role": "Foreign Minister", "affiliation": "Ostria",
             "evidence": [2]},
            {"name": "Ines Arnau", "type": "person", "role": "Foreign Minister", "affiliation": "Vellmark",
             "evidence": [3]},
        ],
    })]})


def test_the_article_is_sixty_words():
    assert len(ARTICLE.split()) == 60


def test_summarize_takes_the_text_of_an_article():
    briefing = summarizer.summarize(ARTICLE, backend=_backend())
    assert briefing.article.id == "article"
    assert {"Pavel Dorn", "Ines Arnau"} <= {a.name for a in briefing.actors}
    assert all(ARTICLE[s.start:s.end] == s.text for a in briefing.actors for s in a.evidence)
    same = summarizer.summarize(text=ARTICLE, id="tarn-talks", backend=_backend())
    assert same.article.id == "tarn-talks" and same.actors == briefing.actors


def test_summarize_from_a_fresh_interpreter_with_a_fake_backend():
    script = ("import summarizer; from tests.conftest import FakeBackend; from tests.test_api import ARTICLE, _backend\n"
              "print(summarizer.summarize(ARTICLE, backend=_backend()).actors[0].name)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Pavel Dorn"


@pytest.mark.parametrize("given", [
    {"article": SAMPLE}, {"path": SAMPLE}, {"path": str(SAMPLE)}, {"article": SAMPLE.read_text()},
    {"text": SAMPLE.read_text()}, {"article": io.StringIO(SAMPLE.read_text())},
    {"article": io.BytesIO(SAMPLE.read_bytes())},
], ids=["Path", "path=Path", "path=str", "str", "text=", "text stream", "bytes stream"])
def test_every_form_of_the_same_article_gives_the_same_article(given):
    article = to_article(given.pop("article", None), **given)
    assert article.title == "Valdoria and Ruritania trade accusations as fighting spreads along the Kessel river"
    assert article.text == to_article(SAMPLE).text


def test_a_mapping_and_an_article_are_taken_as_they_are():
    article = to_article({"text": ARTICLE, "id": "m"})
    assert article.id == "m" and to_article(article) is article
    assert to_article(article, id="renamed").id == "renamed"


@pytest.mark.parametrize(("given", "message"), [
    ({"path": Path("/nonexistent/story.txt")}, "no article file at /nonexistent/story.txt"),
    ({"article": Path("/nonexistent/story.txt")}, "no article file at /nonexistent/story.txt"),
    ({"article": ""}, "the article text is empty"),
    ({"text": " \n\t "}, "the article text is empty"),
    ({"path": Path("x" * 5000 + ".txt")}, "cannot read article file xxxx"),
    ({"path": ROOT}, "no article file at"),
    ({"article": "story.txt"}, r"'story.txt' is a file name, but a str is the article's text: pass Path"),
    ({"article": 42}, "cannot read an article from a int"),
    ({}, "give one article: .* got none"),
    ({"article": ARTICLE, "path": SAMPLE}, "got article and path"),
    ({"text": b"bytes"}, "text= takes a str, not a bytes"),
    ({"article": {"title": "no text"}}, "text: Field required"),
], ids=["missing path=", "missing Path", "empty str", "blank text=", "name too long", "a directory",
        "a file name as str", "an int", "nothing", "two", "bytes text=", "mapping without text"])
def test_every_failure_is_an_article_error_that_names_the_problem(given, message):
    with pytest.raises(ArticleError, match=message) as raised:
        to_article(given.pop("article", None), **given)
    assert isinstance(raised.value, SummarizerError)


def test_summarize_refuses_bad_input_before_calling_the_model():
    backend = _backend()
    for bad in ({"path": Path("/nonexistent/story.txt")}, {"text": ""}, {"article": "x" * 10_000 + ".txt"}):
        with pytest.raises(SummarizerError):
            summarizer.summarize(**bad, backend=backend)
        with pytest.raises(SummarizerError):
            asyncio.run(summarizer.asummarize(**bad, backend=backend))
    assert backend.calls == []


def test_a_long_text_is_text_not_a_file_name():
    """The reported bug: a str was always a path, and a long one raised OSError: File name too long."""
    long_text = " ".join([ARTICLE] * 20)
    briefing = Summarizer(_backend()).summarize(long_text)
    assert briefing.summary and briefing.article.id == "article"


def test_a_closed_stream_is_an_article_error():
    stream = io.StringIO(ARTICLE)
    stream.close()
    with pytest.raises(ArticleError, match="cannot read the input stream"):
        to_article(stream)
