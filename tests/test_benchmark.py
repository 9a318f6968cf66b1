"""The speed benchmark: its stub server, its server-throughput part at a tiny scale, its reports.

Nothing here times the code against a bar (the machine decides that); the checks are that
the runs happen, the outputs have their structure and the numbers are sane.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import shutil
import sys
import types
from typing import Any

import pytest
from click.testing import CliRunner

from summarizer import Summarizer, cli
from summarizer.backends import EmbeddedBackend
from summarizer.benchmark import (
    BenchmarkResult,
    ColdStart,
    Distribution,
    EmbeddedResult,
    ItemWriting,
    RawComparison,
    run_embedded,
    to_markdown,
)
from summarizer.contract import Briefing
from summarizer.plugins import make_backend
from summarizer.stub_server import StubServer, answer_for, example_instance

from .conftest import ARTICLES, SAMPLE, SAMPLE_SCRIPT, FakeBackend


@pytest.mark.parametrize("mode", ["json_schema", "tools", "json_object_schema"])
def test_the_stub_server_answers_every_pass_of_any_article_validly(mode):
    async def brief_both(url: str) -> list[Briefing]:
        summarizer = Summarizer(make_backend("openai", base_url=url, model="stub", mode=mode), max_reasks=0, complete=False)
        return [await summarizer.asummarize(path) for path in (SAMPLE, ARTICLES / "border_clash.txt")]

    with StubServer(0.0) as server:
        briefings = asyncio.run(brief_both(server.url))
        requests = server.requests
    for briefing in briefings:
        assert len(briefing.actors) == 1 and briefing.provenance.passes == 4 and briefing.provenance.attempts == 4
        assert briefing.meetings == briefing.military_developments == briefing.stated_positions == []
    assert requests == 8  # no request was re-sent or re-asked


def test_a_request_without_a_schema_is_refused():
    with pytest.raises(ValueError, match="no schema"):
        answer_for({"model": "m", "messages": [], "response_format": {"type": "json_object"}})


def test_minimal_instances_follow_the_schema():
    schema = {"type": "object", "$defs": {"Kind": {"enum": ["a", "b"]}}, "properties": {
        "name": {"type": "string", "maxLength": 4}, "kind": {"$ref": "#/$defs/Kind"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]}, "count": {"type": "integer", "minimum": 2},
        "pair": {"type": "array", "items": {"type": "integer"}, "minItems": 2},
        "actors": {"type": "array", "items": {"type": "object", "properties": {"ok": {"type": "boolean"}}}},
        "items": {"type": "array", "items": {"type": "object", "properties": {"ok": {"type": "boolean"}}}},
    }}
    assert example_instance(schema, fill=True) == {"name": "benc", "kind": "a", "note": None, "count": 2,
                                                   "pair": [0, 0], "actors": [{"ok": False}], "items": []}


def test_distribution_uses_the_nearest_rank():
    assert Distribution.of(range(1, 11)) == Distribution(median=5.5, p90=9, mean=5.5)
    assert Distribution.of([3.0]) == Distribution(median=3.0, p90=3.0, mean=3.0)


def test_server_benchmark_writes_json_and_markdown(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE, corpus / "sample.txt")
    shutil.copy(SAMPLE.with_suffix(".json"), corpus / "sample.json")
    shutil.copy(ARTICLES / "harbor_talks.txt", corpus / "harbor_talks.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["benchmark", "--articles", str(corpus), "--out", str(out), "--server-only",
                                           "--delay", "0.1", "--rounds", "2", "--concurrency", "1",
                                           "--concurrency", "4", "--workers", "1", "--repeats", "2"])
    assert result.exit_code == 0, result.output

    report = BenchmarkResult.model_validate_json((out / "benchmark.json").read_text())
    assert report.embedded is None and report.machine["cpus"] >= 1
    server = report.server
    assert server.delay == 0.1 and server.result_cache and server.target_speedup == 12 and server.workers == 1
    assert server.repeats == 2
    assert [(r.repeat, r.concurrency, r.articles, r.failed) for r in server.runs] == [
        (1, 1, 2, 0), (1, 4, 8, 0), (2, 1, 2, 0), (2, 4, 8, 0)]
    for c1, c4 in (server.runs[:2], server.runs[2:]):
        # two round trips of 0.1 s per article at least: concurrency 1 cannot beat 5 articles per second
        assert 0 < c1.articles_per_second < 5 and c4.articles_per_second > c1.articles_per_second
        assert abs(c1.articles_per_second - c1.articles / c1.seconds) < 0.01
    # each repeat's speed-up, and their median (of two: the mean)
    c1_a, c4_a, c1_b, c4_b = server.runs
    assert server.speedups == [round(c4_a.articles_per_second / c1_a.articles_per_second, 2),
                               round(c4_b.articles_per_second / c1_b.articles_per_second, 2)]
    assert server.speedup == round(sum(server.speedups) / 2, 2)

    markdown = (out / "benchmark.md").read_text()
    assert "| repeat | concurrency | articles | failed | seconds | articles/s |" in markdown
    assert "1 worker process(es)" in markdown
    assert f"| 2 | 4 | 8 | 0 | {c4_b.seconds:.2f} | {c4_b.articles_per_second:.2f} |" in markdown
    assert f"Speed-up c4 / c1, median of 2 repeat(s): **{server.speedup:.1f}×**" in markdown
    assert "Embedded" not in markdown
    assert not list(out.glob("*.txt")), "no article text in the output folder"


def test_the_embedded_part_of_the_report():
    result = BenchmarkResult(
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), machine={"cpus": 2}, server=None,
        embedded=EmbeddedResult(
            model="tiny", articles=3, failed=1, seconds_per_article=Distribution(median=40.5, p90=61.0, mean=45.0),
            prompt_tokens_per_article=Distribution(median=9000, p90=9500, mean=9100),
            generated_tokens_per_article=Distribution(median=420, p90=600, mean=450),
            raw=RawComparison(articles=2, passes=8, output_tokens=900, raw_output_tokens=900, briefing_seconds=80.0,
                              model_call_seconds=78.0, raw_seconds=64.0, overhead=1.25),
            cold_start=ColdStart(without_prompt_cache=95.0, with_prompt_cache=62.5, prompt_cache_files=1),
            cache_hit_seconds=0.0042, model_loads=1, passes="judge",
            item_writing=ItemWriting(groups=2, items=30, width=8, sequential_seconds=100.0, parallel_seconds=40.0,
                                     sequential_tokens=700, parallel_tokens=720, sequential_tokens_per_second=7.0,
                                     parallel_tokens_per_second=18.0, speedup=2.571, identical_answers=28),
        ),
    )
    markdown = to_markdown(result)
    assert "`--passes judge`" in markdown
    assert ("| item writing, one at a time (30 items of 2 article(s)) | 7.0 tokens/s (700 tokens in 100.0 s) |"
            in markdown)
    assert ("| item writing, 8 at a time | 18.0 tokens/s (720 tokens in 40.0 s): **2.57×**; 28 of 30 answers "
            "identical |" in markdown)
    for row in ("| seconds per article, median / p90 | 40.5 / 61.0 |",
                "| briefing / raw llama.cpp completion (2 articles, 8 passes) | "
                "1.25× (80.0 s / 64.0 s; model calls 78.0 s) |",
                "| cold start, no saved prompt cache | 95.0 s |", "| cold start, saved prompt cache | 62.5 s |",
                "| result-cache hit, median of 5 | 4.2 ms |", "| model loads for the batch | 1 |"):
        assert row in markdown
    assert json.loads(result.model_dump_json())["embedded"]["raw"]["overhead"] == 1.25


class _FakeLlama:
    """Stands in for llama_cpp.Llama: raw completions are recorded, never run."""

    def __init__(self, **kwargs: Any) -> None:
        self.completions: list[tuple[list[int], int]] = []

    def create_completion(self, *, prompt: list[int], max_tokens: int, temperature: float,
                          logit_bias: dict[int, float]) -> dict[str, Any]:
        assert temperature == 0 and logit_bias == {0: -math.inf}
        self.completions.append((prompt, max_tokens))
        return {"usage": {"completion_tokens": max_tokens}}

    def close(self) -> None:
        pass


def test_the_embedded_part_with_a_fake_model(tmp_path, monkeypatch):
    """The orchestration of the embedded part (the real model runs in the test below): passes
    recorded per article, the first articles' passes replayed in order, a cache hit, one load."""
    import summarizer.benchmark as benchmark

    monkeypatch.setitem(sys.modules, "llama_cpp", types.SimpleNamespace(Llama=_FakeLlama))
    fake = FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()} | {"WarmUp": ['{"ready": true}']})
    loaded: list[_FakeLlama] = []

    def llama(self: EmbeddedBackend) -> _FakeLlama:
        if not loaded:
            loaded.append(sys.modules["llama_cpp"].Llama(model_path="fake.gguf"))
        return loaded[0]

    monkeypatch.setattr(EmbeddedBackend, "llama", property(llama))
    monkeypatch.setattr(EmbeddedBackend, "model_path", property(lambda self: tmp_path / "fake.gguf"))
    monkeypatch.setattr(EmbeddedBackend, "identity", lambda self: {"backend": "embedded", "model": "fake"})
    monkeypatch.setattr(EmbeddedBackend, "create", lambda self, **kwargs: (llama(self), fake.create(**kwargs))[1])
    monkeypatch.setattr(benchmark, "ChatPrompt", lambda llama: types.SimpleNamespace(
        tokens=lambda messages: [len(m["content"]) for m in messages]))
    monkeypatch.setattr(benchmark, "_end_of_generation_tokens", lambda backend: [0])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        shutil.copy(SAMPLE, corpus / f"{name}.txt")
    (corpus / "c.txt").write_text((corpus / "c.txt").read_text() + "\nA last sentence makes c differ from a and b.\n")

    result = run_embedded(sorted(corpus.glob("*.txt")), tmp_path / "work", raw_samples=2, measure_cold_start=False,
                          passes="actors")

    assert result.articles == 3 and result.failed == 0 and result.model_loads == 1
    # the actors mode: one pass per article (the judge mode's item calls are the test below's)
    assert result.prompt_tokens_per_article.median == 100 and result.generated_tokens_per_article.median == 20
    assert result.cache_hit_seconds < 1
    warm_up, *passes = [call["response_format"]["json_schema"]["name"] for call in fake.calls]
    assert warm_up == "WarmUp" and len(passes) == 3 + 1  # 3 articles of 1 pass, then the replay's warm-up
    raw = result.raw
    assert raw is not None and (raw.articles, raw.passes, raw.output_tokens, raw.raw_output_tokens) == (2, 2, 40, 40)
    assert [max_tokens for _, max_tokens in loaded[0].completions] == [20] * 2  # as many tokens as each pass wrote
    assert raw.briefing_seconds > 0 and raw.overhead > 1  # the fake's raw completions take no time


@pytest.mark.model
def test_the_judge_mode_benchmark_decodes_the_item_calls_one_by_one_and_in_parallel(tmp_path):
    result = run_embedded([ARTICLES / "border_clash.txt"], tmp_path, raw_samples=1, passes="judge",
                          measure_cold_start=False)
    items = result.item_writing
    assert result.passes == "judge" and items is not None and items.groups == 1
    briefed = next((tmp_path / "briefings").glob("*.json"))
    assert items.items == json.loads(briefed.read_text())["provenance"]["passes"]  # the summary call and the items
    assert items.width > 1 and items.sequential_tokens > 0 and items.parallel_tokens > 0
    assert 0 <= items.identical_answers <= items.items
    assert items.speedup == pytest.approx(items.parallel_tokens_per_second / items.sequential_tokens_per_second,
                                          rel=0.01)
    raw = result.raw
    assert raw is not None and raw.passes == items.items  # every call replayed raw, one by one


@pytest.mark.model
def test_the_embedded_part_briefs_replays_and_loads_the_model_once(tmp_path):
    corpus = [ARTICLES / "border_clash.txt", ARTICLES / "harbor_talks.txt"]
    result = run_embedded(corpus, tmp_path, raw_samples=1, measure_cold_start=False)
    assert result.articles == 2 and result.failed == 0 and result.model_loads == 1
    assert result.seconds_per_article.median > 0 and result.generated_tokens_per_article.median > 0
    raw = result.raw
    assert raw is not None and raw.articles == 1 and raw.passes >= 1  # the fast mode: one pass an article
    assert raw.raw_output_tokens == raw.output_tokens  # the raw completions wrote as much as the passes
    briefed = [json.loads(path.read_text())["provenance"] for path in (tmp_path / "briefings").glob("*.json")]
    assert raw.output_tokens in {p["output_tokens"] for p in briefed}  # the passes of the article briefed first
    assert result.cache_hit_seconds < result.seconds_per_article.median
