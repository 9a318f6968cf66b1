"""Shared fixtures: project-written articles and a scripted fake backend for unit tests."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openai.types.chat import ChatCompletion

from summarizer.backends import Backend

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "articles"
SAMPLE = ROOT / "examples" / "sample_article.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


def completion(content: str, *, finish_reason: str = "stop", prompt_tokens: int = 100,
               completion_tokens: int = 20) -> ChatCompletion:
    return ChatCompletion.model_validate({
        "id": "fake", "object": "chat.completion", "created": 0, "model": "fake",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    })


Answer = str | ChatCompletion | Exception | Callable[[dict[str, Any]], Any]


class FakeBackend(Backend):
    """Answers each pass from a script keyed by the draft model's name (e.g. "ActorsDraft").

    A script entry is a list consumed in order (the last one repeats): a JSON string, a
    ready ChatCompletion, an exception to raise, or a function of the request.
    """

    name = "fake"
    model = "fake-model"

    def __init__(self, script: dict[str, list[Answer]]) -> None:
        self.script = script
        self.calls: list[dict[str, Any]] = []
        self._served: dict[str, int] = defaultdict(int)

    def create(self, **kwargs: Any) -> ChatCompletion:
        self.calls.append(kwargs)
        name = kwargs["response_format"]["json_schema"]["name"]
        answers = self.script.get(name) or ['{"items": []}']
        answer = answers[min(self._served[name], len(answers) - 1)]
        self._served[name] += 1
        if callable(answer) and not isinstance(answer, (ChatCompletion, Exception)):
            answer = answer(kwargs)
        if isinstance(answer, Exception):
            raise answer
        return answer if isinstance(answer, ChatCompletion) else completion(answer)


def dumps(value: Any) -> str:
    return json.dumps(value)


#: A correct scripted answer for each pass over examples/sample_article.txt.
SAMPLE_SCRIPT: dict[str, list[Answer]] = {
    "ActorsDraft": [dumps({
        "summary": "Ruritania demanded a Valdorian withdrawal as fighting spread along the Kessel river.",
        "actors": [
            {"name": "Elena Varga", "type": "person", "role": "Foreign Minister", "affiliation": "Ruritania", "evidence": [1]},
            {"name": "Tomas Brenner", "type": "person", "role": "Foreign Minister", "affiliation": "Valdoria", "evidence": [1]},
            {"name": "Valdoria", "type": "country", "role": None, "affiliation": None, "evidence": [2]},
            {"name": "Valdorian army", "type": "military", "role": None, "affiliation": "Valdoria", "evidence": [3]},
            {"name": "Northern Liberation Front", "type": "armed_group", "role": None, "affiliation": "Valdoria", "evidence": [4]},
            {"name": "Anton Kral", "type": "person", "role": "President", "affiliation": "Valdoria", "evidence": [6]},
            {"name": "Sam Okafor", "type": "person", "role": "envoy", "affiliation": "United Nations", "evidence": [7]},
        ],
    })],
    "MeetingDrafts": [dumps({"items": [
        {"evidence": [1], "participants": ["elena-varga", "tomas-brenner"], "format": "call", "event": None,
         "location": None, "date": "on Monday", "topics": ["fighting"], "status": "occurred"},
        {"evidence": [7], "participants": ["elena-varga", "sam-okafor"], "format": "bilateral", "event": None,
         "location": "Geneva", "date": None, "topics": ["ceasefire"], "status": "occurred"},
    ]})],
    "DevelopmentDrafts": [dumps({"items": [
        {"evidence": [3], "type": "shelling_or_missile_strike", "description": "Valdorian army shelled Ostrov.",
         "actors": ["valdorian-army"], "targets": [], "location": "Ostrov", "date": "on Sunday", "killed": 4,
         "injured": 11, "status": "reported"},
        {"evidence": [4], "type": "territorial_change", "description": "The front captured Mirna.",
         "actors": ["northern-liberation-front"], "targets": ["valdorian-army"], "location": "Mirna", "date": None,
         "killed": None, "injured": None, "status": "claimed"},
    ]})],
    "PositionDrafts": [dumps({"items": [
        {"evidence": [2], "holder": "elena-varga", "kind": "demand", "topic": "troop withdrawal",
         "position": "Valdoria should withdraw its troops.", "target": "valdoria", "quoted": False},
        {"evidence": [6], "holder": "anton-kral", "kind": "commitment", "topic": "defence of territory",
         "position": "Valdoria will defend its land.", "target": None, "quoted": True},
    ]})],
}


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()})
