"""Independent calls made together: how prompts are grouped for parallel decoding, and how a
backend without an in-process model sends them (bounded concurrency, answers in order).

The real embedded model decodes calls together in tests/test_embedded.py.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from pydantic import BaseModel

from summarizer.llm import StructuredLLM
from summarizer.parallel import _groups, shared_prefix

from .conftest import FakeBackend, completion, dumps


def test_the_shared_prefix_leaves_every_prompt_a_token_of_its_own():
    assert shared_prefix([[1, 2, 3, 4], [1, 2, 3, 5]]) == 3
    assert shared_prefix([[1, 2, 3], [1, 2, 3]]) == 2  # the last token's logits start the answer
    assert shared_prefix([[1, 2, 3], [9, 2, 3]]) == 0


def test_runs_of_prompts_that_share_a_longer_prefix_form_groups():
    article = list(range(100))
    meetings = [*article, *range(1000, 1040)]
    positions = [*article, *range(2000, 2040)]
    prompts = [[*meetings, 1], [*meetings, 2], [*positions, 1], [*positions, 2], [*positions, 3], [*article, 7]]
    groups = _groups(prompts, shared_prefix(prompts))
    assert [(list(g.jobs), g.prefix) for g in groups] == [([0, 1], 140), ([2, 3, 4], 140), ([5], 100)]
    # a prefix only a few tokens longer than the shared one is not worth a sequence
    close = [[*article, 5, 1], [*article, 5, 2]]
    assert [list(g.jobs) for g in _groups([*close, [*article, 9, 9]], 100)] == [[0], [1], [2]]


def test_groups_nest_so_that_each_shared_run_of_tokens_is_read_once():
    # an article's actors call and its judge calls: the judge calls share the actor list, and
    # inside it each section's calls share their candidates
    article, actors = list(range(100)), list(range(500, 530))
    meetings = [*article, *actors, *range(1000, 1040)]
    positions = [*article, *actors, *range(2000, 2040)]
    prompts = [
        [*article, *range(3000, 3050)],
        [*meetings, 1],
        [*meetings, 2],
        [*positions, 1],
        [*positions, 2],
        [*positions, 3],
    ]
    groups = _groups(prompts, shared_prefix(prompts))
    assert [(list(g.jobs), g.prefix, g.parent) for g in groups] == [
        ([0], 100, None),
        ([1, 2, 3, 4, 5], 130, None),
        ([1, 2], 170, 1),
        ([3, 4, 5], 170, 1),
    ]


class _SlowBackend(FakeBackend):
    """Answers after a pause, counting how many requests are in flight at once."""

    def __init__(self, max_concurrency: int) -> None:
        super().__init__({})
        self.max_concurrency = max_concurrency
        self.in_flight = 0
        self.peak = 0
        self._count = threading.Lock()

    def create(self, **kwargs: Any):
        with self._count:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        time.sleep(0.05)
        with self._count:
            self.in_flight -= 1
        return completion(dumps({"n": int(kwargs["messages"][0]["content"])}))

    async def acreate(self, **kwargs: Any):
        return await asyncio.to_thread(self.create, **kwargs)


def _requests(n: int) -> list[dict[str, Any]]:
    return [{"messages": [{"role": "user", "content": str(i)}]} for i in range(n)]


def test_a_server_gets_independent_calls_concurrently_but_at_most_its_concurrency_at_once():
    backend = _SlowBackend(max_concurrency=3)
    answers = backend.create_many(_requests(10))
    assert [a.choices[0].message.content for a in answers] == [dumps({"n": i}) for i in range(10)]
    assert backend.peak == 3
    asynchronous = _SlowBackend(max_concurrency=4)
    answers = asyncio.run(asynchronous.acreate_many(_requests(10)))
    assert [a.choices[0].message.content for a in answers] == [dumps({"n": i}) for i in range(10)]
    assert asynchronous.peak == 4


def test_a_backend_of_one_request_at_a_time_gets_them_one_after_another():
    backend = _SlowBackend(max_concurrency=1)
    backend.create_many(_requests(4))
    asyncio.run(backend.acreate_many(_requests(4)))
    assert backend.peak == 1


class Number(BaseModel):
    n: int


def test_extract_many_validates_each_answer_and_asks_an_invalid_one_again_alone():
    answers = iter([dumps({"n": 0}), dumps({"n": "not a number"}), dumps({"n": 2}), dumps({"n": 1})])
    fake = FakeBackend({"Number": [lambda request: next(answers)]})
    llm = StructuredLLM(fake)
    calls = [([{"role": "user", "content": str(i)}], Number, 20) for i in range(3)]
    results = llm.extract_many(calls, article_id="a")
    assert [draft.n for draft, _ in results] == [0, 1, 2]
    # the invalid answer was asked again on its own, after the three went out together
    assert [c["messages"][0]["content"] for c in fake.calls] == ["0", "1", "2", "1"]
    assert [stats.attempts for _, stats in results] == [1, 2, 1]
    assert len(results[1][1].answers) == 2  # both answers' digests are on record


class Notes(BaseModel):
    notes: list[str]


def test_extract_many_salvages_a_cut_off_answer_instead_of_asking_it_again():
    cut = completion('{"notes": ["a whole note", "a note cut off at the lim', finish_reason="length")
    fake = FakeBackend({"Notes": [dumps({"notes": []}), cut]})
    calls = [([{"role": "user", "content": str(i)}], Notes, 20) for i in range(2)]
    (first, _), (second, stats) = StructuredLLM(fake).extract_many(calls, article_id="a")
    assert first.notes == []
    assert second.notes == ["a whole note"] and stats.truncated  # its complete items, as extract() keeps
    assert len(fake.calls) == 2  # not asked again: it would be cut off again
