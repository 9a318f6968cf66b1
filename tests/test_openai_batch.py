"""OpenAI Batch API files: requests written per article, results collected into briefings.

Offline: the results file is built here from the requests file, as OpenAI would return it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summarizer import cli, load_article
from summarizer.contract import Briefing

from .conftest import ARTICLES, SAMPLE

SERVER = ["--backend", "openai", "--model", "test-model", "--base-url", "http://127.0.0.1:9/v1", "--no-cache"]

#: a full answer for the sample article, actors referred to by name as the single-call mode asks
SAMPLE_ANSWER = {
    "summary": "Ruritania demanded a Valdorian withdrawal as fighting spread along the Kessel river.",
    "actors": [
        {"name": "Elena Varga", "type": "person", "role": "Foreign Minister", "affiliation": "Ruritania",
         "evidence": [1]},
        {"name": "Valdoria", "type": "country", "role": None, "affiliation": None, "evidence": [2]},
        {"name": "Anton Kral", "type": "person", "role": "President", "affiliation": "Valdoria", "evidence": [6]},
    ],
    "meetings": [],
    "military_developments": [],
    "stated_positions": [
        {"evidence": [2], "holder": "Elena Varga", "kind": "demand", "topic": "troop withdrawal",
         "position": "Valdoria should withdraw its troops.", "target": "Valdoria", "quoted": False},
        {"evidence": [6], "holder": "Kral", "kind": "commitment", "topic": "defence of territory",
         "position": "Valdoria will defend its land.", "target": None, "quoted": True},
    ],
}


def _inputs(tmp_path: Path) -> Path:
    """Four project-written articles in one folder (the sample with its metadata)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sample.txt").write_text(SAMPLE.read_text())
    (folder / "sample.json").write_text(SAMPLE.with_suffix(".json").read_text())
    for name in ("border_clash", "harbor_talks", "hostile_instructions"):
        (folder / f"{name}.txt").write_text((ARTICLES / f"{name}.txt").read_text())
    return folder


def _batch(*args: Any) -> Any:
    return CliRunner().invoke(cli.main, ["batch", *map(str, args), *SERVER])


def _requests(tmp_path: Path) -> dict[str, dict[str, Any]]:
    path = tmp_path / "requests.jsonl"
    result = _batch(_inputs(tmp_path), "--openai-batch", path)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return {line["custom_id"]: line for line in lines}


def _result_line(request: dict[str, Any], content: str | None = None, *, usage: tuple[int, int] = (1000, 200),
                 status: int = 200, error: dict[str, str] | None = None, finish_reason: str = "stop") -> str:
    """One line of a Batch API output file answering ``request``."""
    body: dict[str, Any] = {
        "id": f"chatcmpl-{request['custom_id']}", "object": "chat.completion", "created": 1732550400,
        "model": "test-model-2024-07-18",
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": None,
                     "message": {"role": "assistant", "content": content, "refusal": None}}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }
    if status != 200:
        body = {"error": {"message": "Rate limit reached for requests", "type": "requests", "code": "rate_limit"}}
    response = None if error else {"status_code": status, "request_id": f"req-{request['custom_id']}", "body": body}
    return json.dumps({"id": f"batch_req_{request['custom_id']}", "custom_id": request["custom_id"],
                       "response": response, "error": error})


def _minimal_answer(request: dict[str, Any], actor: str) -> str:
    """A summary, one actor cited by its first sentence, and every section empty."""
    schema = request["body"]["response_format"]["json_schema"]["schema"]
    assert set(schema["properties"]) == {"summary", "actors", "meetings", "military_developments", "stated_positions"}
    return json.dumps({"summary": "A short summary.", "meetings": [], "military_developments": [],
                       "stated_positions": [], "actors": [{"name": actor, "type": "person", "role": None,
                                                           "affiliation": None, "evidence": [1]}]})


def test_one_request_per_article_in_the_batch_api_format(tmp_path):
    requests = _requests(tmp_path)
    assert sorted(requests) == ["border_clash", "harbor_talks", "hostile_instructions", "sample"]
    for article_id, line in requests.items():
        assert set(line) == {"custom_id", "method", "url", "body"}
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        body = line["body"]
        assert body["model"] == "test-model" and body["temperature"] == 0 and body["max_tokens"] > 0
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
        first_sentence = load_article(tmp_path / "in" / f"{article_id}.txt").sentences[0].text
        assert first_sentence in body["messages"][1]["content"]
        response_format = body["response_format"]
        assert response_format["type"] == "json_schema"
        assert response_format["json_schema"]["schema"]["type"] == "object"


def test_collected_answers_become_grounded_briefings_and_failures_are_recorded(tmp_path):
    requests = _requests(tmp_path)
    results = tmp_path / "results.jsonl"
    results.write_text("\n".join([
        _result_line(requests["sample"], json.dumps(SAMPLE_ANSWER), usage=(2100, 340)),
        _result_line(requests["border_clash"], _minimal_answer(requests["border_clash"], "Olek Darsa"),
                     usage=(900, 60)),
        _result_line(requests["harbor_talks"], status=429),
        _result_line(requests["hostile_instructions"],
                     error={"code": "batch_expired", "message": "This request could not be executed before the "
                                                                "completion window expired."}),
        "{not json",
    ]) + "\n")
    out = tmp_path / "out"
    result = _batch(tmp_path / "in", "--collect", results, "--out", out)
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.glob("*.json")) == ["border_clash.json", "sample.json"]

    for article_id, usage in (("sample", (2100, 340)), ("border_clash", (900, 60))):
        article = load_article(tmp_path / "in" / f"{article_id}.txt")
        briefing = Briefing.model_validate_json((out / f"{article_id}.json").read_text(),
                                                context={"article_text": article.text})
        for item in [*briefing.actors, *briefing.meetings, *briefing.military_developments,
                     *briefing.stated_positions]:
            assert item.evidence and all(article.text[s.start:s.end] == s.text for s in item.evidence)
        assert (briefing.provenance.input_tokens, briefing.provenance.output_tokens) == usage
        assert briefing.provenance.passes == 1 and briefing.provenance.attempts == 1
        assert briefing.provenance.backend == "openai" and briefing.provenance.model == "test-model"

    sample = Briefing.model_validate_json((out / "sample.json").read_text())
    assert {a.name for a in sample.actors} == {"Elena Varga", "Valdoria", "Anton Kral", "Valdorian army",
                                               "United Nations", "Sam Okafor", "Northern Liberation Front"}
    # the last three are named by the article and added by the completion (completion.complete), which
    # also makes "Valdorian forces" an alias of the army: one state's forces are one actor
    assert "Valdorian forces" in next(a for a in sample.actors if a.name == "Valdorian army").aliases
    assert [(p.holder, p.target) for p in sample.stated_positions][:2] == [("elena-varga", "valdoria"),
                                                                           ("anton-kral", None)]
    assert sample.article.published is not None  # the metadata beside the article was read

    errors = {e["article_id"]: e for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert set(errors) == {"harbor_talks", "hostile_instructions", None}
    assert "429" in errors["harbor_talks"]["error"] and "Rate limit" in errors["harbor_talks"]["error"]
    assert "batch_expired" in errors["hostile_instructions"]["error"]
    assert errors[None]["source"] == str(results) and "results.jsonl:5" in errors[None]["error"]

    again = _batch(tmp_path / "in", "--collect", results, "--out", out)  # resumable: done ones are skipped
    assert again.exit_code == 1 and "skipped" in again.output
    assert len((out / "errors.jsonl").read_text().splitlines()) == 6


def test_answers_that_are_no_valid_briefing_fail_alone(tmp_path):
    requests = _requests(tmp_path)
    results = tmp_path / "results.jsonl"
    sample = json.loads(json.dumps(SAMPLE_ANSWER))
    sample["actors"][0]["evidence"] = [99]  # no such sentence
    results.write_text("\n".join([
        _result_line(requests["sample"], json.dumps(sample)),
        _result_line(requests["border_clash"], '{"summary": "Cut off', finish_reason="length"),
        _result_line(requests["harbor_talks"], _minimal_answer(requests["harbor_talks"], "Lina Marsh")),
        json.dumps({"id": "batch_req_x", "custom_id": "no-such-article", "response": None, "error": None}),
    ]) + "\n")
    out = tmp_path / "out"
    result = _batch(tmp_path / "in", "--collect", results, "--out", out)
    assert result.exit_code == 1
    assert [p.name for p in out.glob("*.json")] == ["harbor_talks.json"]
    errors = {e["article_id"]: e["error"] for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert set(errors) == {"sample", "border_clash", "no-such-article", "hostile_instructions"}
    assert "not a valid briefing" in errors["sample"]
    assert "token limit" in errors["border_clash"]
    assert "no input article" in errors["no-such-article"]
    assert "no answer" in errors["hostile_instructions"]  # it had no line in the results file


@pytest.mark.parametrize("arguments, message", [
    (["--openai-batch", "r.jsonl", "--collect", "{results}"], "one at a time"),
    (["--collect", "{results}"], "Missing option '--out'"),
])
def test_batch_api_options_are_checked(tmp_path, arguments, message):
    (tmp_path / "results.jsonl").write_text("")
    arguments = [a.format(results=tmp_path / "results.jsonl") for a in arguments]
    result = _batch(SAMPLE, *arguments)
    assert result.exit_code == 2 and message in result.output


def test_batch_api_files_need_the_openai_backend(tmp_path):
    result = CliRunner().invoke(cli.main, ["batch", str(SAMPLE), "--openai-batch", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 2 and "--backend openai" in result.output
    assert not (tmp_path / "r.jsonl").exists()
