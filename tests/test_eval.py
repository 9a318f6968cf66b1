"""`summarizer eval` end to end with a fake model: tables, reports, cache, baseline gate."""

import json
import shutil

import pytest
from click.testing import CliRunner

from summarizer import Summarizer, cli

from .conftest import SAMPLE, SAMPLE_SCRIPT, FakeBackend


def _gold_from(briefing) -> dict:
    """A gold file the way annotators write them: offsets only, article by id."""
    data = briefing.model_dump(mode="json", exclude={"provenance"})
    data["article"] = {"id": briefing.article.id}
    for section in ("actors", "meetings", "military_developments", "stated_positions"):
        for item in data[section]:
            item["evidence"] = [{"start": s["start"], "end": s["end"]} for s in item["evidence"]]
    return data


@pytest.fixture
def eval_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    articles, gold = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    gold.mkdir()
    shutil.copy(SAMPLE, articles)
    shutil.copy(SAMPLE.with_suffix(".json"), articles)
    briefing = Summarizer(FakeBackend(SAMPLE_SCRIPT), complete=False).summarize(SAMPLE)
    (gold / "sample_article.json").write_text(json.dumps(_gold_from(briefing)))
    return articles, gold, tmp_path


def _run(monkeypatch, script, *args):
    backend = FakeBackend({k: list(v) for k, v in script.items()})
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: backend)
    return CliRunner().invoke(cli.main, ["eval", "--no-completion", *map(str, args)]), backend


def test_eval_scores_reports_and_caches(monkeypatch, eval_dirs):
    articles, gold, tmp = eval_dirs
    result, backend = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "out")
    assert result.exit_code == 0, result.output
    assert "briefing F1 1.000" in result.output and "sample_article" in result.output
    stored = json.loads((tmp / "out" / "result.json").read_text())
    assert stored["score"]["briefing_f1"] == 1.0 and len(backend.calls) == 4
    assert "<!DOCTYPE html>" in (tmp / "out" / "report.html").read_text()
    again, backend = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "out")
    assert again.exit_code == 0 and backend.calls == [] and "cached" in again.output


def test_the_gate_fails_when_a_section_drops(monkeypatch, eval_dirs):
    articles, gold, tmp = eval_dirs
    baseline = tmp / "baseline.json"
    saved, _ = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "a",
                    "--save-baseline", baseline)
    assert saved.exit_code == 0, saved.output
    assert "Ruritanian" not in baseline.read_text()  # a baseline holds scores, never article text
    # A "broken prompt": the model no longer reports military developments.
    broken = {**SAMPLE_SCRIPT, "DevelopmentDrafts": ['{"items": []}']}
    gated, _ = _run(monkeypatch, broken, "--gold", gold, "--articles", articles, "--out", tmp / "b",
                    "--baseline", baseline, "--no-cache")
    assert gated.exit_code == 3, gated.output
    assert "REGRESSION military_developments F1 1.000 -> 0.000" in gated.output
    assert "sample_article military_developments: lost gold item(s) [0, 1]" in gated.output
    same, _ = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "c",
                   "--baseline", baseline, "--no-cache")
    assert same.exit_code == 0 and "no regression" in same.output


def test_a_model_failure_costs_one_article_not_the_run(monkeypatch, eval_dirs):
    articles, gold, tmp = eval_dirs
    failing = {"ActorsDraft": ['{"broken": true}']}
    result, _ = _run(monkeypatch, failing, "--gold", gold, "--articles", articles, "--out", tmp / "out", "--no-cache")
    assert result.exit_code == 0, result.output
    stored = json.loads((tmp / "out" / "result.json").read_text())
    assert stored["runs"][0]["error"] and stored["score"]["briefing_f1"] == 0.0


def _split(tmp, tuning, validation):
    path = tmp / "split.json"
    path.write_text(json.dumps({"tuning": tuning, "validation": validation}))
    return path


def test_eval_reports_each_part_of_the_split_and_the_gap(monkeypatch, eval_dirs):
    articles, gold, tmp = eval_dirs
    split = _split(tmp, [], ["sample_article"])
    result, _ = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "out",
                     "--split", split)
    assert result.exit_code == 0, result.output
    stored = json.loads((tmp / "out" / "result.json").read_text())
    assert list(stored["parts"]) == ["validation"] and stored["parts"]["validation"]["briefing_f1"] == 1.0
    assert stored["runs"][0]["part"] == "validation" and "Tuning and validation" in result.output


def test_the_split_beside_the_gold_folder_is_found_and_a_broken_one_refused(monkeypatch, eval_dirs):
    articles, gold, tmp = eval_dirs
    _split(tmp, ["sample_article"], ["sample_article"])  # tmp/split.json sits beside tmp/gold
    result, _ = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "out")
    assert result.exit_code == 2 and "articles in both parts: ['sample_article']" in result.output


def test_a_baselines_folder_gives_the_run_its_cpu_familys_baseline(monkeypatch, eval_dirs):
    articles, gold, tmp = eval_dirs
    baselines = tmp / "baselines"
    baselines.mkdir()
    monkeypatch.setattr(FakeBackend, "identity", lambda self: {"backend": "fake", "model": "m", "cpu": "x86_64-avx2"})
    saved, _ = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "a",
                    "--save-baseline", baselines)
    assert saved.exit_code == 0, saved.output
    assert [p.name for p in baselines.iterdir()] == ["fake-sections-x86_64-avx2.json"]
    broken = {**SAMPLE_SCRIPT, "DevelopmentDrafts": ['{"items": []}']}
    same_cpu, _ = _run(monkeypatch, broken, "--gold", gold, "--articles", articles, "--out", tmp / "b",
                       "--baseline", baselines, "--no-cache")
    assert same_cpu.exit_code == 3, same_cpu.output
    assert "answered differently from the baseline on 1 of 1 article(s): sample_article" in same_cpu.output
    # On another CPU family the model's answers differ: that family's tolerance applies, and says so.
    monkeypatch.setattr(FakeBackend, "identity", lambda self: {"backend": "fake", "model": "m", "cpu": "arm64-neon"})
    other_cpu, _ = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "c",
                        "--baseline", baselines, "--cpu-tolerance", "0.2")
    assert other_cpu.exit_code == 0, other_cpu.output
    assert "recorded on CPU family 'x86_64-avx2', this run on 'arm64-neon'" in other_cpu.output
    assert "tolerance is 0.2" in other_cpu.output
    monkeypatch.setattr(FakeBackend, "identity", lambda self: {"backend": "fake", "model": "other", "cpu": "x"})
    no_match, _ = _run(monkeypatch, SAMPLE_SCRIPT, "--gold", gold, "--articles", articles, "--out", tmp / "d",
                       "--baseline", baselines)
    assert no_match.exit_code == 2 and "no baseline in" in no_match.output


def test_score_reads_the_briefings_that_batch_writes(monkeypatch, eval_dirs):
    articles, gold, tmp = eval_dirs
    backend = FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()})
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: backend)
    out = tmp / "briefings"
    batch = CliRunner().invoke(cli.main, ["batch", str(articles), "--out", str(out), "--no-completion"])
    assert batch.exit_code == 0, batch.output
    assert json.loads((out / "sample_article.json").read_text())["provenance"]  # what batch writes carries it
    scored = CliRunner().invoke(cli.main, ["score", "--gold", str(gold), "--predicted", str(out),
                                           "--articles", str(articles)])
    assert scored.exit_code == 0, scored.output
    assert "briefing F1 1.000" in scored.output
    # Gold files still may not carry provenance.
    with_provenance = CliRunner().invoke(cli.main, ["score", "--gold", str(out), "--predicted", str(gold),
                                                    "--articles", str(articles)])
    assert with_provenance.exit_code == 2 and "gold files carry no provenance" in with_provenance.output
