"""The ``summarizer`` command line.

Exit codes: 0 success, 1 the model failed, 2 bad input or configuration, 3 the eval gate
found a regression.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from .article import load_article
from .batch import BatchRun, Outcome, expand_inputs, write_atomically
from .briefing import PASS_MODES, Summarizer
from .cache import ResultCache
from .contract import briefing_json_schema
from .errors import ArticleWarning, ModelError, ServerModeWarning, SummarizerError
from .plugins import installed_backends, make_backend
from .prompting import DEFAULT_PROMPT_VERSION
from .render import FORMATS, render
from .resources import data_dir

F = TypeVar("F", bound=Callable[..., Any])

EXIT_MODEL_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_REGRESSION = 3
#: the eval gate's tolerance against a baseline from another CPU family (README, evals/baselines)
CROSS_CPU_TOLERANCE = 0.05


#: the options of `backend_options` that are passed to the backend's factory, by their names there
BACKEND_FLAGS = {
    "model": "--model",
    "model_path": "--model-path",
    "base_url": "--base-url",
    "mode": "--mode",
    "timeout": "--timeout",
    "context_tokens": "--context-tokens",
}


def _backend_option(
    context: click.Context, parameter: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    options = {}
    for value in values:
        name, equals, setting = value.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", context, parameter)
        options[name.strip().replace("-", "_")] = setting
    return options


def backend_options(command: F) -> F:
    """The options that choose and configure a backend, shared by every command that briefs."""
    options = [
        click.option(
            "--backend",
            default=lambda: os.environ.get("SUMMARIZER_BACKEND", "embedded"),
            show_default="embedded",
            help="embedded: in-process GGUF model; openai: any OpenAI-compatible server; or any "
            "backend a package registers (see `summarizer backends`).",
        ),
        click.option(
            "--backend-option",
            "-o",
            "backend_option",
            multiple=True,
            callback=_backend_option,
            metavar="NAME=VALUE",
            help="An option of the backend by its name (repeatable), "
            "e.g. -o threads=2; `summarizer backends` lists them.",
        ),
        click.option(
            "--model",
            "model",
            default=None,
            help="Model name for --backend openai (env SUMMARIZER_MODEL).",
        ),
        click.option(
            "--model-path",
            type=click.Path(dir_okay=False),
            default=None,
            help="A GGUF file for --backend embedded instead of the bundled model.",
        ),
        click.option(
            "--base-url",
            default=None,
            help="Server URL for --backend openai (env SUMMARIZER_BASE_URL or OPENAI_BASE_URL).",
        ),
        click.option(
            "--mode",
            default=None,
            help="How a server is asked for structured output: json_schema (default), "
            "json_object_schema, "
            "tools or json; a server that refuses it is asked in the next (see README).",
        ),
        click.option(
            "--timeout", type=float, default=None, help="Seconds per server request [default: 120]."
        ),
        click.option("--prompt-version", default=DEFAULT_PROMPT_VERSION, show_default=True),
        click.option(
            "--max-reasks",
            type=click.IntRange(0, 10),
            default=2,
            show_default=True,
            help="Re-asks after an answer that fails validation.",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
        click.option(
            "--context-tokens",
            type=click.IntRange(1024),
            default=None,
            help="The model's context: the embedded model's size (default 8192), or what "
            "the server "
            "accepts (default 8192). Longer articles are briefed in overlapping parts.",
        ),
        click.option(
            "--passes",
            type=click.Choice(PASS_MODES),
            default=None,
            help="judge (default for the embedded model): the parse's actors, the model's summary "
            "and a call about each candidate the parse proposes, to judge it and write its short "
            "fields; actors: only the actors call, sections from the article's words; sections "
            "(default for other backends): actors first, then one call per section; single: one "
            "call for the whole briefing (fewer requests).",
        ),
        click.option(
            "--no-completion",
            is_flag=True,
            help="Only what the model listed: skip adding the speakers, positions, meetings and "
            "developments the article plainly states and the model left out.",
        ),
        click.option(
            "--allow-any-language",
            is_flag=True,
            help="Brief articles that are not in English (refused by default: the "
            "prompts are English).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_summarizer(
    backend: str,
    backend_option: dict[str, str],
    prompt_version: str,
    max_reasks: int,
    no_cache: bool,
    passes: str | None,
    no_completion: bool,
    allow_any_language: bool,
    **flags: Any,
) -> Summarizer:
    """The summarizer the shared options describe; ``flags`` are the BACKEND_FLAGS given."""
    chosen = make_backend(backend, **{**flags, **backend_option})
    return Summarizer(
        chosen,
        prompt_version=prompt_version,
        max_reasks=max_reasks,
        cache=None if no_cache else ResultCache(),
        allow_any_language=allow_any_language,
        passes=passes,
        complete=not no_completion,
    )


@contextlib.contextmanager
def warnings_on_stderr() -> Iterator[None]:
    """Each :class:`ArticleWarning` and :class:`ServerModeWarning` as one "warning: ..." line on
    stderr, every time it is raised (Python would print it with a source line, and once per
    place in the code)."""
    ours = (ArticleWarning, ServerModeWarning)
    with warnings.catch_warnings():
        for category in ours:
            warnings.simplefilter("always", category)
        python_way = warnings.showwarning

        def show(
            message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
        ) -> None:
            if issubclass(category, ours):
                click.echo(f"warning: {message}", err=True)
            else:
                python_way(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


def _table_console() -> Any:
    """A console wide enough for the score tables, also when output goes to a file or CI log."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 150)


def summarizer_for_actor(
    options: dict[str, Any], pool: tuple[str, ...], threads: int, index: int
) -> Summarizer:
    """A Ray actor's summarizer: the command line's, on the actor's server of the pool (in turn)
    and with the embedded model on the actor's share of the cores."""
    if pool:
        options = {**options, "base_url": pool[index % len(pool)]}
    if options["backend"] == "embedded":
        options = {**options, "threads": threads}
    return make_summarizer(**options)


@contextlib.contextmanager
def batch_progress(total: int) -> Iterator[Callable[[Outcome], None]]:
    """A progress bar on stderr moved on by each outcome (one line per article when stderr is a
    log)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("briefing", total=total, rate="")

        def advance(outcome: Outcome) -> None:
            elapsed = progress.tasks[0].elapsed or 0.0
            done = progress.tasks[0].completed + 1
            progress.update(
                task,
                advance=1,
                rate=f"{done / elapsed * 60:.1f}/min" if elapsed else "",
                description=f"{(outcome.article_id or outcome.source.name)[:32]:<32}",
            )
            if not console.is_terminal:
                console.print(
                    f"[{int(done)}/{total}] {outcome.source}: {outcome.error or outcome.status}",
                    highlight=False,
                )

        yield advance


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
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="markdown",
    show_default=True,
    help="html: one self-contained page with the evidence highlighted.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option(
    "--id",
    "article_id",
    default=None,
    help="Article id (default: the file name without extension).",
)
@backend_options
def brief(
    article: str, output_format: str, out: Path | None, article_id: str | None, **options: Any
) -> None:
    """Brief one ARTICLE: a .txt file (first line + blank line = title), a .json article, a saved
    web page (.html: its article text is extracted), or - for stdin.

    \b
    Examples:
      summarizer brief examples/sample_article.txt
      summarizer brief story.txt --format json --out story.briefing.json
      summarizer brief story.txt --format html --out story.html
      cat story.txt | summarizer brief - --id story-42
      summarizer brief saved-page.html --format json
      summarizer brief story.txt --backend openai --model gpt-4o-mini
      summarizer brief story.txt --backend openai --model qwen2.5:7b \\
        --base-url http://localhost:11434/v1
    """
    try:
        loaded = load_article(article, id=article_id)
        with make_summarizer(**options) as summarizer, warnings_on_stderr():
            briefing = summarizer.summarize(loaded)
    except SummarizerError as exc:
        fail(exc)
    text = render(briefing, loaded, output_format)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomically(out, text)
        click.echo(f"wrote {out}", err=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the briefings (ID.json, ID.md or ID.html) and errors.jsonl "
    "(not with --openai-batch).",
)
@click.option(
    "--format", "output_format", type=click.Choice(list(FORMATS)), default="json", show_default=True
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=None,
    help="Articles at once on a server backend (default 4); the embedded model runs one at a time.",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 256),
    default=None,
    help="Processes that split, ground and check briefings while the requests of a server backend "
    "go on (default: one per spare core on Linux; 0: none).",
)
@click.option(
    "--openai-batch",
    "requests_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Instead of briefing, write one OpenAI Batch API request per article "
    "(single-call mode) to this "
    "JSONL file. Needs --backend openai.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: brief in this process; ray: in a pool of actors on a Ray cluster, "
    "one summarizer each "
    "(pip install 'summarizer[ray]').",
)
@click.option(
    "--address",
    default=None,
    help="With --engine ray: the cluster to join (host:6379, ray://host:10001, "
    "or auto for the one this "
    "machine is in). Default: a Ray instance on this machine for the run.",
)
@click.option(
    "--actors",
    type=click.IntRange(1),
    default=None,
    help="With --engine ray: how many actors (default: the cluster's CPUs / --cpus-per-actor).",
)
@click.option(
    "--cpus-per-actor",
    type=click.FloatRange(0.01),
    default=None,
    help="With --engine ray: the CPUs Ray reserves for each actor; the embedded model runs that "
    "many threads (default: 1, but every core of this machine for the embedded model without "
    "--address).",
)
@click.option(
    "--pool-url",
    "pool",
    multiple=True,
    help="With --engine ray and --backend openai: a server of a pool (repeat the option); "
    "actors take "
    "them in turn, instead of --base-url.",
)
@click.option(
    "--collect",
    "results",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    multiple=True,
    help="Instead of calling a model, brief from a Batch API output file "
    "(repeat for its error file). "
    "Needs --backend openai.",
)
@backend_options
def batch(
    inputs: tuple[str, ...],
    out_dir: Path | None,
    output_format: str,
    concurrency: int | None,
    workers: int | None,
    requests_path: Path | None,
    engine: str,
    address: str | None,
    actors: int | None,
    cpus_per_actor: float | None,
    pool: tuple[str, ...],
    results: tuple[Path, ...],
    **options: Any,
) -> None:
    """Brief many articles: files, folders of .txt articles, or glob patterns.

    A re-run skips articles whose briefing is already in --out; a failed article is
    recorded in OUT/errors.jsonl while the others go on.

    \b
    Examples:
      summarizer batch corpus/ --out briefings/
      summarizer batch 'news/2024-*.txt' --out briefings/ --format html
      summarizer batch corpus/ --out b/ --backend openai --concurrency 16 \\
        --base-url http://localhost:8000/v1
      summarizer batch corpus/ --backend openai --model gpt-4o-mini --openai-batch requests.jsonl
      summarizer batch corpus/ --backend openai --model gpt-4o-mini \\
        --collect results.jsonl --out briefings/
      summarizer batch corpus/ --out briefings/ --engine ray --actors 2 --cpus-per-actor 1
      summarizer batch corpus/ --out b/ --engine ray --address auto \\
        --backend openai --model qwen2.5:7b \\
        --pool-url http://gpu1:8000/v1 --pool-url http://gpu2:8000/v1
    """
    from .openai_batch import collect, write_requests

    if requests_path is not None and results:
        raise click.UsageError(
            "--openai-batch writes requests and --collect reads their results: use one at a time"
        )
    if (requests_path is not None or results) and options["backend"] != "openai":
        raise click.UsageError(
            "--openai-batch and --collect need --backend openai (and the --model of the requests)"
        )
    if out_dir is None and requests_path is None:
        raise click.UsageError("Missing option '--out'.")
    if engine == "ray" and (requests_path is not None or results or workers is not None):
        raise click.UsageError(
            "--engine ray briefs with actors: not with --openai-batch, --collect or --workers"
        )
    if engine != "ray" and (address or actors or cpus_per_actor or pool):
        raise click.UsageError(
            "--address, --actors, --cpus-per-actor and --pool-url are for --engine ray"
        )
    sources = expand_inputs(inputs)
    if not sources:
        click.echo("error: no article matches the inputs", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if engine == "ray":
        assert out_dir is not None  # required above: --engine ray never writes requests
        _ray_batch(
            sources,
            out_dir,
            output_format,
            options,
            address=address,
            actors=actors,
            cpus_per_actor=cpus_per_actor,
            pool=pool,
            concurrency=concurrency,
        )
        return
    try:
        summarizer = make_summarizer(**options)
    except SummarizerError as exc:
        fail(exc)
    if workers is not None:
        summarizer.workers = workers
    if requests_path is not None or results:
        with summarizer, warnings_on_stderr():
            if requests_path is not None:
                outcomes = write_requests(summarizer, sources, requests_path)
                click.echo(
                    f"wrote {sum(o.status == 'done' for o in outcomes)} request(s) to "
                    f"{requests_path}",
                    err=True,
                )
            else:
                assert out_dir is not None  # --out is required but with --openai-batch
                outcomes = collect(BatchRun(summarizer, out_dir, output_format), sources, results)
        _batch_summary(
            outcomes, f"Requests in {requests_path}" if requests_path else f"Batch into {out_dir}"
        )
        return
    assert out_dir is not None  # --out is required but with --openai-batch
    if summarizer.backend.max_concurrency == 1:
        concurrency = 1
    with summarizer, warnings_on_stderr(), batch_progress(len(sources)) as advance:
        outcomes = BatchRun(summarizer, out_dir, output_format, concurrency).run(sources, advance)
    _batch_summary(outcomes, f"Batch into {out_dir}")


def _ray_batch(
    sources: list[Path],
    out_dir: Path,
    output_format: str,
    options: dict[str, Any],
    *,
    address: str | None,
    actors: int | None,
    cpus_per_actor: float | None,
    pool: tuple[str, ...],
    concurrency: int | None,
) -> None:
    """``batch --engine ray``: the same outputs, briefed by actors that each build the command
    line's summarizer.

    On one machine the embedded model gets one actor with every core: two one-thread actors
    on 2 cores brief at about half the rate of one two-thread actor (README, measured)."""
    from functools import partial

    from .ray_batch import brief_on_ray, import_ray

    if pool and options["backend"] != "openai":
        raise click.UsageError("--pool-url needs --backend openai")
    try:
        import_ray()
    except SummarizerError as exc:
        fail(exc)
    if cpus_per_actor is None:
        embedded_here = options["backend"] == "embedded" and not address
        cpus_per_actor = float(os.cpu_count() or 1) if embedded_here else 1.0
    make = partial(summarizer_for_actor, options, pool, max(1, int(cpus_per_actor)))
    per_actor = 1 if options["backend"] == "embedded" else concurrency or 4
    try:
        with batch_progress(len(sources)) as advance:
            outcomes = brief_on_ray(
                sources,
                out_dir,
                make,
                output_format=output_format,
                address=address,
                actors=actors,
                cpus_per_actor=cpus_per_actor,
                concurrency=per_actor,
                on_outcome=advance,
            )
    except SummarizerError as exc:
        fail(exc)
    _batch_summary(outcomes, f"Batch into {out_dir} on Ray")


def _batch_summary(outcomes: list[Outcome], title: str) -> None:
    """The table of outcomes, each failure on stderr, and exit 1 if any."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in ("status", "articles"):
        table.add_column(column)
    for status in ("done", "skipped", "failed"):
        table.add_row(status, str(sum(o.status == status for o in outcomes)))
    Console().print(table)
    for outcome in outcomes:
        if outcome.status == "failed":
            click.echo(f"failed: {outcome.source}: {outcome.error}", err=True)
    if any(o.status == "failed" for o in outcomes):
        sys.exit(EXIT_MODEL_FAILURE)


@main.command("eval")
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    required=True,
    help="Folder of gold briefings (ID.json).",
)
@click.option(
    "--articles",
    "articles_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    required=True,
    help="Folder of the articles the gold files refer to (ID.txt + ID.json metadata).",
)
@click.option(
    "--split",
    "split_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The tuning/validation split to report by [default: split.json beside the gold "
    "folder, if any].",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("eval-output"),
    show_default=True,
    help="Where result.json and report.html are written.",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A stored result, or a folder of them (the one for this backend, pass mode and "
    "CPU family is "
    "used); exit 3 if a section or the briefing F1 drops by more than the tolerance.",
)
@click.option(
    "--tolerance",
    type=float,
    default=0.03,
    show_default=True,
    help="Largest allowed drop of an F1 against a baseline from the same CPU family.",
)
@click.option(
    "--cpu-tolerance",
    type=float,
    default=CROSS_CPU_TOLERANCE,
    show_default=True,
    help="Largest allowed drop against a baseline from another CPU family, whose model "
    "answers differ.",
)
@click.option(
    "--save-baseline",
    type=click.Path(path_type=Path),
    default=None,
    help="Store this run's scores (no article text) as a baseline: a file, or a folder "
    "to name it in.",
)
@backend_options
def eval_command(
    gold_dir: Path,
    articles_dir: Path,
    split_path: Path | None,
    out_dir: Path,
    baseline: Path | None,
    tolerance: float,
    cpu_tolerance: float,
    save_baseline: Path | None,
    **options: Any,
) -> None:
    """Brief every labelled article, score against gold, report, and gate regressions.

    \b
    Examples:
      summarizer eval --gold evals/gold --articles ../shared/corpus
      summarizer eval --gold evals/gold --articles corpus --baseline evals/baselines
      summarizer eval --gold evals/gold --articles corpus --save-baseline evals/baselines
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .article import Article
    from .evaluate import (
        ArticleRun,
        answer_changes,
        baseline_name,
        choose_baseline,
        compare,
        run_eval,
    )
    from .gold import find_split, load_gold_set
    from .report import print_tables, write_report

    console = Console(stderr=True)
    try:
        total = len(load_gold_set(gold_dir, articles_dir))
        split = find_split(gold_dir, split_path)
        with (
            make_summarizer(**options) as summarizer,
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=console,
            ) as progress,
        ):
            task = progress.add_task("briefing", total=total)

            def advance(article: Article, run: ArticleRun) -> None:
                progress.update(task, advance=1, description=f"{article.id[:32]:<32}")
                if not console.is_terminal:  # a log (CI) gets one line per article instead of a bar
                    done = int(progress.tasks[0].completed)
                    state = run.error or (
                        "cached"
                        if run.cached
                        else f"{run.seconds:.1f} s, {run.output_tokens} tokens"
                    )
                    console.print(f"[{done}/{total}] {article.id}: {state}", highlight=False)

            result, rows = run_eval(
                summarizer, gold_dir, articles_dir, split=split, on_article=advance
            )
        chosen = choose_baseline(baseline, result.settings) if baseline is not None else None
    except SummarizerError as exc:
        fail(exc)
    print_tables(result, _table_console())
    write_atomically(out_dir / "result.json", result.model_dump_json(indent=1))
    write_report(out_dir / "report.html", result, rows)
    console.print(f"wrote {out_dir / 'result.json'} and {out_dir / 'report.html'}")
    if save_baseline is not None:
        target = (
            save_baseline / baseline_name(result.settings)
            if save_baseline.is_dir()
            else save_baseline
        )
        write_atomically(
            target, result.model_copy(update={"predictions": {}}).model_dump_json(indent=1) + "\n"
        )
        console.print(f"saved baseline {target}")
    if chosen is not None:
        path, stored, same_cpu = chosen
        if not same_cpu:
            tolerance = max(tolerance, cpu_tolerance)
            console.print(
                f"[yellow]note[/yellow] {path} was recorded on CPU family "
                f"{stored.settings.get('cpu')!r}, "
                f"this run on {result.settings.get('cpu')!r}: the model's answers "
                "differ between families, "
                f"so the tolerance is {tolerance}",
                soft_wrap=True,
            )
        changed = answer_changes(result, stored)
        if changed:
            console.print(
                f"the model answered differently from the baseline on {len(changed)} of "
                f"{len(result.runs)} article(s): {', '.join(changed)}",
                highlight=False,
                soft_wrap=True,
            )
        regressions = compare(result, stored, tolerance)
        for regression in regressions:
            console.print(
                f"[red]REGRESSION[/red] {regression.metric} F1 {regression.baseline:.3f} -> "
                f"{regression.current:.3f} (tolerance {tolerance})"
            )
            for flip in regression.flips:
                console.print(f"  {flip}")
        if regressions:
            sys.exit(EXIT_REGRESSION)
        console.print(f"no regression against {path} (tolerance {tolerance})")


@main.command()
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    required=True,
)
@click.option(
    "--predicted",
    "predicted_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    required=True,
    help="Briefings to score (ID.json): the output of `summarizer batch`, or another "
    "annotator's labels.",
)
@click.option(
    "--articles",
    "articles_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    required=True,
)
@click.option(
    "--split",
    "split_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Report the split's parts too [default: split.json beside the gold folder, if any].",
)
def score(gold_dir: Path, predicted_dir: Path, articles_dir: Path, split_path: Path | None) -> None:
    """Score one set of briefings against another, without a model.

    Only the gold articles with a briefing in --predicted are scored; the others are named.
    With two annotators' labels this is the agreement ceiling: what a perfect model could
    score against gold written by one of them.

    \b
    Examples:
      summarizer batch ../shared/corpus --out out/
      summarizer score --gold evals/gold --predicted out/ --articles ../shared/corpus
      summarizer score --gold evals/gold --articles ../shared/corpus \\
        --predicted evals/agreement/second
    """

    from .evaluate import ArticleRun, EvalResult, split_scores
    from .gold import find_split, load_gold, load_gold_set
    from .report import print_tables
    from .scoring import score_set

    try:
        gold_set = load_gold_set(gold_dir, articles_dir)
        pairs = [
            (load_gold(predicted_dir / f"{article.id}.json", articles_dir, predicted=True)[1], gold)
            for article, gold in gold_set
            if (predicted_dir / f"{article.id}.json").is_file()
        ]
        split = find_split(gold_dir, split_path)
    except SummarizerError as exc:
        fail(exc)
    if not pairs:
        click.echo(f"error: no gold article has a briefing in {predicted_dir}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    missing = len(gold_set) - len(pairs)
    if missing:
        click.echo(
            f"note: {missing} of {len(gold_set)} gold article(s) have no briefing in "
            f"{predicted_dir} "
            "and are not scored",
            err=True,
        )
    runs = [
        ArticleRun(article_id=p.article.id, part=split.part_of(p.article.id) if split else None)
        for p, _ in pairs
    ]
    scored = score_set(pairs)
    result = EvalResult(
        created_at=dt.datetime.now(dt.UTC),
        settings={"predicted": str(predicted_dir)},
        minutes=0.0,
        score=scored,
        runs=runs,
        parts=split_scores(scored, runs),
    )
    print_tables(result, _table_console())


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 if schemas/briefing.v1.schema.json differs from the models.",
)
def schema(check: bool) -> None:
    """Print the JSON schema of a briefing (contract v1)."""
    text = json.dumps(briefing_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if check:
        committed = (data_dir("schemas") / "briefing.v1.schema.json").read_text(encoding="utf-8")
        if committed != text:
            click.echo(
                "schemas/briefing.v1.schema.json is out of date: run `summarizer schema > "
                "schemas/briefing.v1.schema.json`",
                err=True,
            )
            sys.exit(1)
        click.echo("schema up to date", err=True)
        return
    click.echo(text, nl=False)


@main.command()
@click.option(
    "--articles",
    "articles_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    required=True,
    help="Folder of articles (ID.txt + ID.json), e.g. ../shared/corpus; read, never "
    "copied to --out.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("benchmark-output"),
    show_default=True,
    help="Where benchmark.json and benchmark.md are written.",
)
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=None,
    help="Brief only the first N articles with the model.",
)
@click.option(
    "--raw-samples",
    type=click.IntRange(0),
    default=3,
    show_default=True,
    help="Articles whose passes are replayed as raw llama.cpp completions (0: none).",
)
@click.option(
    "--server-only", is_flag=True, help="Only the server throughput part, which needs no model."
)
@click.option(
    "--model-path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A GGUF file instead of the bundled model.",
)
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=0.2,
    show_default=True,
    help="Seconds the stub server takes per request.",
)
@click.option(
    "--concurrency",
    "concurrencies",
    type=click.IntRange(1, 256),
    multiple=True,
    default=(1, 4, 16),
    show_default=True,
    help="Concurrency of a throughput run (repeat the option).",
)
@click.option(
    "--rounds",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="A throughput run at concurrency C briefs ROUNDS x C articles.",
)
@click.option(
    "--repeats",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Runs of each concurrency, taken in turn; the speed-up reported is their median.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Throughput runs without a result cache, as `batch --no-cache`.",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 256),
    default=None,
    help="Worker processes of the throughput runs, as `batch --workers` (default: one "
    "per spare core).",
)
@click.option(
    "--passes",
    type=click.Choice(PASS_MODES),
    default=None,
    help="The embedded model's pass mode (default: its default); with judge, the item calls "
    "are also timed one at a time against in parallel.",
)
def benchmark(
    articles_dir: Path,
    out_dir: Path,
    limit: int | None,
    raw_samples: int,
    server_only: bool,
    model_path: Path | None,
    delay: float,
    concurrencies: tuple[int, ...],
    rounds: int,
    repeats: int,
    no_cache: bool,
    workers: int | None,
    passes: str | None,
) -> None:
    """Measure speed: the embedded model per article, and batch throughput on a server.

    The throughput part runs `summarizer batch` against a stub OpenAI-compatible server on
    loopback that answers every request after --delay seconds, so what the concurrency
    gains or loses is the client's own doing. Nothing here is a test: numbers depend on
    the machine and on what else runs on it.

    \b
    Examples:
      summarizer benchmark --articles ../shared/corpus
      summarizer benchmark --articles ../shared/corpus --limit 5 --raw-samples 2 --out bench/
      summarizer benchmark --articles ../shared/corpus --server-only
      summarizer benchmark --articles ../shared/corpus --limit 3 --passes judge
    """
    from .benchmark import run_benchmark, to_markdown, write_results

    try:
        result = run_benchmark(
            articles_dir,
            limit=limit,
            raw_samples=raw_samples,
            passes=passes,
            embedded=not server_only,
            model_path=model_path,
            delay=delay,
            concurrencies=concurrencies,
            rounds=rounds,
            repeats=repeats,
            cache=not no_cache,
            workers=workers,
            progress=lambda line: click.echo(line, err=True),
        )
    except SummarizerError as exc:
        fail(exc)
    except (RuntimeError, FileNotFoundError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT if isinstance(exc, FileNotFoundError) else EXIT_MODEL_FAILURE)
    json_path, markdown_path = write_results(result, out_dir)
    click.echo(to_markdown(result), nl=False)
    click.echo(f"wrote {json_path} and {markdown_path}", err=True)


@main.command("backends")
def backends_command() -> None:
    """List the installed backends, where each comes from, and its options.

    A backend is a package registered under the `summarizer.backends` entry points (README,
    "Plugins"); choose one with --backend NAME. Its options are given with the flags named
    below or with -o NAME=VALUE.
    """
    for name, plugin in sorted(installed_backends().items()):
        click.echo(f"{name}  ({plugin.distribution}: {plugin.value})")
        try:
            description, options = plugin.description(), plugin.options()
        except SummarizerError as exc:  # one broken plugin does not hide the others
            click.echo(f"    error: {exc}")
            continue
        click.echo(f"    {description}")
        for option in options:
            flag = BACKEND_FLAGS.get(option.name, f"-o {option.name}=VALUE")
            default = "required" if option.required else f"default {option.default!r}"
            click.echo(f"    {flag:<28} {option.kind.__name__}, {default}")


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
