import html
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from summarizer import Summarizer, cli, load_article
from summarizer.contract import Briefing
from summarizer.render import render

from .conftest import SAMPLE, SAMPLE_SCRIPT, FakeBackend


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()}))
    return CliRunner()


def test_brief_prints_markdown_with_all_sections(runner):
    result = runner.invoke(cli.main, ["brief", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    for heading in ("## Summary", "## Actors", "## Meetings", "## Military developments", "## Stated positions"):
        assert heading in result.output
    assert "Elena Varga" in result.output and "shelling_or_missile_strike" in result.output


def test_brief_json_to_file_validates(runner, tmp_path):
    out = tmp_path / "b.json"
    result = runner.invoke(cli.main, ["brief", str(SAMPLE), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    Briefing.model_validate(json.loads(out.read_text()))


def test_stdin_with_an_id(runner):
    result = runner.invoke(cli.main, ["brief", "-", "--id", "piped", "--format", "json", "--no-cache"],
                           input=SAMPLE.read_text())
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["article"]["id"] == "piped"


def test_bad_input_exits_2_with_a_clear_message(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = runner.invoke(cli.main, ["brief", str(empty)])
    assert result.exit_code == 2
    assert "empty" in result.output


def test_model_failure_exits_1(monkeypatch, runner):
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: FakeBackend({"ActorsDraft": ['{"nope": 1}']}))
    result = runner.invoke(cli.main, ["brief", str(SAMPLE), "--no-cache"])
    assert result.exit_code == 1
    assert "sample_article" in result.output


def test_schema_check_passes_on_the_committed_schema():
    result = CliRunner().invoke(cli.main, ["schema", "--check"])
    assert result.exit_code == 0, result.output


def test_help_has_examples():
    result = CliRunner().invoke(cli.main, ["brief", "--help"])
    assert "Examples:" in result.output and "--base-url" in result.output


def test_the_cli_starts_without_what_only_html_pages_and_scoring_need():
    # scoring's scipy costs every command about 0.6 s; only an HTML page or an eval needs it
    probe = "import sys, summarizer.cli; print(sorted(m for m in ('scipy', 'summarizer.html') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_every_output_format_renders_and_an_unknown_one_is_named():
    article = load_article(SAMPLE)
    briefing = Summarizer(FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()})).summarize(article)
    assert Briefing.model_validate_json(render(briefing, article, "json")) == briefing
    assert render(briefing, article, "markdown").startswith("# ")
    assert render(briefing, article, "html").startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError, match=r"unknown output format 'pdf'; expected one of \['json', 'markdown', 'html'\]"):
        render(briefing, article, "pdf")


def test_brief_html_is_one_self_contained_page(runner, tmp_path):
    out = tmp_path / "b.html"
    result = runner.invoke(cli.main, ["brief", str(SAMPLE), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Elena Varga" in page and "<script src" not in page


def _sample_page(tmp_path):
    """The sample article saved as a web page, with its metadata in the page's head."""
    title, body = SAMPLE.read_text(encoding="utf-8").split("\n\n", 1)
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>\n" for p in body.split("\n\n") if p.strip())
    page = tmp_path / "sample_page.html"
    page.write_text(f'<!doctype html><html><head><title>{title}</title>'
                    f'<meta property="article:published_time" content="2025-03-12"></head>'
                    f'<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>\n{paragraphs}</article>'
                    f'<footer>Sample Wire</footer></body></html>', encoding="utf-8")
    return page


def test_brief_and_batch_take_a_saved_web_page(runner, tmp_path):
    page = _sample_page(tmp_path)
    result = runner.invoke(cli.main, ["brief", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    from_page = Briefing.model_validate(json.loads(result.stdout))
    from_text = Briefing.model_validate(json.loads(runner.invoke(cli.main, ["brief", str(SAMPLE), "--format", "json"]).stdout))
    assert from_page.article.published == from_text.article.published and from_page.article.title == from_text.article.title
    assert from_page.model_dump(exclude={"provenance", "article"}) == from_text.model_dump(exclude={"provenance", "article"})
    batch = runner.invoke(cli.main, ["batch", str(page), "--out", str(tmp_path / "out")])
    assert batch.exit_code == 0, batch.output
    assert json.loads((tmp_path / "out" / "sample_page.json").read_text())["meetings"]
