"""The ``summarizer`` command line.

Exit codes: 0 success, 2 bad input or configuration, 1 the model failed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .article import load_article
from .backends import BACKENDS, make_backend
from .briefing import Summarizer
from .cache import ResultCache
from .contract import briefing_json_schema
from .errors import ModelError, SummarizerError
from .prompting import DEFAULT_PROMPT_VERSION
from .render import to_json, to_markdown
from .resources import data_dir

F = TypeVar("F", bound=Callable[..., Any])

EXIT_MODEL_FAILURE = 1
EXIT_BAD_INPUT = 2


def backend_options(command: F) -> F:
    """The options that choose and configure a backend, shared by every command that briefs."""
    options = [
        click.option("--backend", type=click.Choice(BACKENDS), default=lambda: os.environ.get("SUMMARIZER_BACKEND", "embedded"),
                     show_default="embedded", help="embedded: in-process GGUF model; openai: any OpenAI-compatible server."),
        click.option("--model", "model", default=None, help="Model name for --backend openai (env SUMMARIZER_MODEL)."),
        click.option("--model-path", type=click.Path(dir_okay=False), default=None,
                     help="A GGUF file for --backend embedded instead of the bundled model."),
        click.option("--base-url", default=None, help="Server URL for --backend openai (env SUMMARIZER_BASE_URL or OPENAI_BASE_URL)."),
        click.option("--mode", type=click.Choice(["json_schema", "tools", "json"]), default="json_schema", show_default=True,
                     help="How a server is asked for structured output."),
        click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds per server request."),
        click.option("--prompt-version", default=DEFAULT_PROMPT_VERSION, show_default=True),
        click.option("--max-reasks", type=click.IntRange(0, 10), default=2, show_default=True,
                     help="Re-asks after an answer that fails validation."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_summarizer(backend: str, model: str | None, model_path: str | None, base_url: str | None, mode: str,
                    timeout: float, prompt_version: str, max_reasks: int, no_cache: bool) -> Summarizer:
    chosen = make_backend(backend, model=model, model_path=model_path, base_url=base_url, mode=mode, timeout=timeout)
    return Summarizer(chosen, prompt_version=prompt_version, max_reasks=max_reasks,
                      cache=None if no_cache else ResultCache())


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def fail(exc: SummarizerError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_MODEL_FAILURE if isinstance(exc, ModelError) else EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Evidence-grounded briefings of geopolitical news articles.

    Every actor, meeting, military development and stated position in a briefing cites
    the sentences of the article that support it.
    """


@main.command()
@click.argument("article", type=str)
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--id", "article_id", default=None, help="Article id (default: the file name without extension).")
@backend_options
def brief(article: str, output_format: str, out: Path | None, article_id: str | None, **options: Any) -> None:
    """Brief one ARTICLE: a .txt file (first line + blank line = title), a .json article, or - for stdin.

    \b
    Examples:
      summarizer brief examples/sample_article.txt
      summarizer brief story.txt --format json --out story.briefing.json
      cat story.txt | summarizer brief - --id story-42
      summarizer brief story.txt --backend openai --model gpt-4o-mini
      summarizer brief story.txt --backend openai --base-url http://localhost:11434/v1 --model qwen2.5:7b
    """
    try:
        loaded = load_article(article, id=article_id)
        with make_summarizer(**options) as summarizer:
            briefing = summarizer.summarize(loaded)
    except SummarizerError as exc:
        fail(exc)
    text = to_json(briefing) + "\n" if output_format == "json" else to_markdown(briefing)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomically(out, text)
        click.echo(f"wrote {out}", err=True)


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 if schemas/briefing.v1.schema.json differs from the models.")
def schema(check: bool) -> None:
    """Print the JSON schema of a briefing (contract v1)."""
    text = json.dumps(briefing_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if check:
        committed = (data_dir("schemas") / "briefing.v1.schema.json").read_text(encoding="utf-8")
        if committed != text:
            click.echo("schemas/briefing.v1.schema.json is out of date: run `summarizer schema > "
                       "schemas/briefing.v1.schema.json`", err=True)
            sys.exit(1)
        click.echo("schema up to date", err=True)
        return
    click.echo(text, nl=False)


@main.group()
def cache() -> None:
    """Inspect or clear the result cache."""


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached briefing."""
    store = ResultCache()
    click.echo(f"removed {store.clear()} cached briefing(s) from {store.path}")


@cache.command("info")
def cache_info() -> None:
    """Where the cache is and how many briefings it holds."""
    store = ResultCache()
    click.echo(f"{store.path}: {len(store)} briefing(s)")
