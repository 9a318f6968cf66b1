"""Checks before briefing: articles not in English are refused unless allowed; a missing
published date leaves relative dates unresolved; a future one is warned about and used."""

import datetime as dt
import json
import warnings

import pytest
from click.testing import CliRunner

from summarizer import ArticleError, ArticleWarning, Summarizer, cli, load_article, summarize
from summarizer.screening import check_published, detect_language

from .conftest import ARTICLES, SAMPLE, SAMPLE_SCRIPT, FakeBackend

LANGUAGES = ARTICLES / "languages"
NOT_ENGLISH = ["fr", "de", "tr", "ar"]


def _sample_script():
    return {k: list(v) for k, v in SAMPLE_SCRIPT.items()}


def _empty_briefing_backend():
    return FakeBackend({"ActorsDraft": ['{"summary": "Two ministers met.", "actors": []}']})


@pytest.mark.parametrize("code", ["en", *NOT_ENGLISH])
def test_the_language_of_each_test_article_is_recognised(code):
    guess = detect_language(load_article(LANGUAGES / f"{code}.txt").text)
    assert guess.code == code
    assert guess.confidently_not_english == (code != "en")


@pytest.mark.parametrize("code", NOT_ENGLISH)
def test_an_article_not_in_english_is_refused_with_the_way_out(code):
    article = load_article(LANGUAGES / f"{code}.txt")
    with pytest.raises(ArticleError, match=rf"article '{code}' appears to be in language '{code}'.*allow_any_language=True"):
        Summarizer(_empty_briefing_backend()).summarize(article)


@pytest.mark.parametrize("code", NOT_ENGLISH)
def test_allow_any_language_briefs_it_anyway(code):
    backend = _empty_briefing_backend()
    briefing = summarize(LANGUAGES / f"{code}.txt", backend=backend, allow_any_language=True)
    assert briefing.summary == "Two ministers met." and backend.calls


@pytest.mark.parametrize("text", [
    "Bonjour à tous.",                                                  # French, but three words
    "Guten Morgen aus Berlin, sagte der Minister.",                      # German, seven words
    "Kral met Varga in Ostrov.",                                         # names only: the classifier guesses wildly
    "Anton Kral, Elena Varga and Sam Okafor met in Ostrov on Monday to talk.",
    ('ANKARA - Mehmet Aksoy, Kemal Dogan and Ali Kaya met in Ankara on Saturday. Aksoy told Dogan: '
     '"Sınırda barış hemen sağlanmalı" before he left for Izmir.'),      # English quoting Turkish
])
def test_short_or_mixed_english_texts_are_never_refused(text):
    briefing = Summarizer(_empty_briefing_backend()).summarize({"id": "short", "text": text})
    assert briefing.article.id == "short"


def test_english_article_passes(fake):
    assert Summarizer(fake).summarize(SAMPLE).actors


def test_without_a_published_date_relative_dates_stay_unresolved(fake):
    article = load_article(SAMPLE).model_copy(update={"published": None})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ArticleWarning)
        briefing = Summarizer(fake).summarize(article)
    assert briefing.article.published is None
    assert briefing.meetings[0].date.text == "on Monday" and briefing.meetings[0].date.value is None
    assert briefing.military_developments[0].date.text == "on Sunday"
    assert briefing.military_developments[0].date.value is None


def test_a_future_published_date_warns_and_is_still_the_reference_date(fake):
    published = dt.date.today() + dt.timedelta(days=30)
    article = load_article(SAMPLE).model_copy(update={"published": published})
    with pytest.warns(ArticleWarning, match=rf"published date {published.isoformat()} is in the future"):
        briefing = Summarizer(fake).summarize(article)
    monday = published - dt.timedelta(days=published.weekday())  # "on Monday": the last Monday up to publication
    assert briefing.meetings[0].date.value == monday.isoformat()


def test_tomorrow_is_not_the_future_yet():
    today = dt.date(2025, 3, 12)
    article = load_article(SAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ArticleWarning)
        check_published(article.model_copy(update={"published": today + dt.timedelta(days=1)}), today)
    with pytest.warns(ArticleWarning):
        check_published(article.model_copy(update={"published": today + dt.timedelta(days=2)}), today)


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: _empty_briefing_backend())
    return CliRunner()


def test_cli_refuses_a_french_article_with_exit_2_and_the_flag_briefs_it(runner):
    path = str(LANGUAGES / "fr.txt")
    refused = runner.invoke(cli.main, ["brief", path])
    assert refused.exit_code == 2 and "--allow-any-language" in refused.stderr
    briefed = runner.invoke(cli.main, ["brief", path, "--allow-any-language", "--format", "json"])
    assert briefed.exit_code == 0, briefed.output
    assert json.loads(briefed.stdout)["summary"] == "Two ministers met."


def test_batch_records_a_refused_article_and_briefs_the_rest(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli.main, ["batch", str(LANGUAGES / "en.txt"), str(LANGUAGES / "de.txt"), "--out", str(out)])
    assert result.exit_code == 1
    assert (out / "en.json").exists() and not (out / "de.json").exists()
    [error] = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert error["article_id"] == "de" and "'de'" in error["error"]
    again = runner.invoke(cli.main, ["batch", str(LANGUAGES / "de.txt"), "--out", str(out), "--allow-any-language"])
    assert again.exit_code == 0 and (out / "de.json").exists()


def test_cli_prints_the_future_date_warning_on_stderr(monkeypatch, runner, tmp_path):
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: FakeBackend(_sample_script()))
    published = dt.date.today() + dt.timedelta(days=400)
    (tmp_path / "late.txt").write_text(SAMPLE.read_text())
    (tmp_path / "late.json").write_text(json.dumps({"published": published.isoformat()}))
    result = runner.invoke(cli.main, ["brief", str(tmp_path / "late.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"warning: article 'late': published date {published.isoformat()} is in the future; "
                             "relative dates such as 'on Monday' are resolved against it anyway\n")
    assert json.loads(result.stdout)["article"]["published"] == published.isoformat()
