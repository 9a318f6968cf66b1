"""Stage 6: make a briefing: the passes over one article, put together and validated.

Pass 1 asks for the summary and the actors; passes 2-4 ask for meetings, military
developments and stated positions, citing the actors of pass 1 by id. Each pass is a small
schema, so the grammar stays small and a repeated or cut-off answer costs one section,
not the whole briefing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import importlib.metadata
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel, ValidationError

from .article import Article, ArticleInput, to_article
from .backends import Backend
from .cache import ResultCache, cache_key
from .contract import SCHEMA_VERSION, Actor, Briefing, Provenance
from .drafts import (
    SECTIONS,
    ItemBounds,
    actors_draft_model,
    briefing_draft_model,
    section_draft_model,
    summary_draft_model,
)
from .errors import ConfigurationError, ModelError
from .plugins import make_backend
from .prompting import DEFAULT_PROMPT_VERSION, PromptSet
from .screening import check_published
from .workers import default_workers, offload

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

    from .chunking import Part
    from .judging import Candidate
    from .llm import CallStats, StructuredLLM

# The stages around the model calls (chunking, grounding, completion, instructor) are
# imported where they are used: a briefing served from the cache needs none of them, and
# they are most of the start-up time of `summarizer brief`.

#: "sections": actors first, then one call per section citing their ids (the default: the
#: better briefing on a small model); "single": one call for the whole briefing (one
#: request per article, as the OpenAI Batch API wants); "actors": only the summary and
#: actors call, the sections from the article's own words (completion.complete): the fast mode;
#: "judge": the actors are the parse's (proposals.py); the model writes the summary and, in a
#: call about each candidate the parse proposes, judges it and writes its short fields
#: (judging.py), all calls of an article made together.
PASS_MODES = ("sections", "single", "actors", "judge")
#: the pass mode each backend gets unless told otherwise (evals/QUALITY.md): on the small
#: in-process model the judge, which scores best on the validation part and writes its items in
#: its own words (the actors mode copies article sentences); a server's
#: larger model reads sections better than the rules do, so any other backend, a plugin's
#: included, gets "sections"
DEFAULT_PASSES = {"embedded": "judge"}

#: generated tokens allowed per item of each section, on top of a fixed allowance
_TOKENS_PER_ITEM = {
    "actors": 45,
    "meetings": 70,
    "military_developments": 90,
    "stated_positions": 80,
}
_FIXED_TOKENS = 160
#: answer tokens allowed for the judge mode's summary (the schema caps it at 500 characters)
_SUMMARY_TOKENS = 200
#: answer tokens allowed for the judge's verdict on one candidate (the schema fixes about 20)
_JUDGE_TOKENS = {
    "meetings": 48,
    "military_developments": 96,
    "stated_positions": 120,
}
#: the single-call answer's cap: long enough for a full briefing, short enough to leave the
#: article room in an 8k context
SINGLE_PASS_TOKENS = 2400
_NO_ACTORS = "unknown"
_VERSION = importlib.metadata.version("summarizer")  # code changes that alter briefings bump it


def _grounder(section: str) -> Any:
    """The grounding function of a section pass (grounding.py)."""
    from . import grounding

    return {
        "meetings": grounding.ground_meetings,
        "military_developments": grounding.ground_developments,
        "stated_positions": grounding.ground_positions,
    }[section]


def _actor_lines(actors: list[Actor]) -> str:
    lines = []
    for actor in actors:
        details = ", ".join(x for x in (actor.name, actor.type, actor.role, actor.affiliation) if x)
        lines.append(f"{actor.id}: {details}")
    return "\n".join(lines) or "(none)"


def _prepare(article: Article, allow_any_language: bool, budget: int) -> tuple[Article, list[Part]]:
    """The article's language checked and its sentences split, and its parts when it is too
    long for one prompt: the work before the model that a worker process can take."""
    from .chunking import split_article
    from .screening import check_language

    if not allow_any_language:
        check_language(article)
    # split here, so that the article travels back to the caller with its sentences
    _ = article.sentences
    return article, split_article(article, budget)


def _assemble(
    article: Article,
    summary: str,
    actors: list[Actor],
    sections: dict[str, list[Any]],
    stats: CallStats,
    identity: dict[str, Any],
    prompt_version: str,
    completion: bool,
) -> Briefing:
    """The briefing put together and validated against the article once more: the work after
    the model that a worker process can take."""
    from .completion import complete
    from .grounding import drop_affiliation_countries

    if completion:
        actors, sections = complete(article, actors, sections)
    actors = drop_affiliation_countries(article, actors, sections.values())
    briefing = {
        "schema_version": SCHEMA_VERSION,
        "article": article.ref(),
        "summary": " ".join(summary.split()),
        "actors": actors,
        **{section: sections.get(section, []) for section in SECTIONS[1:]},
        "provenance": Provenance(
            backend=identity["backend"],
            model=identity["model"],
            model_sha256=identity.get("model_sha256"),
            prompt_version=prompt_version,
            attempts=stats.attempts,
            passes=stats.passes,
            input_tokens=stats.input_tokens,
            output_tokens=stats.output_tokens,
            seconds=round(stats.seconds, 3),
            created_at=dt.datetime.now(dt.UTC),
            truncated=stats.truncated,
            answer_sha256=stats.answer_sha256,
            cpu=identity.get("cpu"),
            fallback_mode=identity.get("fallback_mode"),
        ),
    }
    # Validate the whole briefing against the article once more: spans, references, enums.
    return Briefing.model_validate(
        {
            k: v.model_dump()
            if isinstance(v, BaseModel)
            else [i.model_dump() for i in v]
            if isinstance(v, list)
            else v
            for k, v in briefing.items()
        },
        context={"article_text": article.text},
    )


class _JudgePass(NamedTuple):
    """A section's candidates and the judge's call about each (messages, model, token limit)."""

    section: str
    candidates: list[Candidate]
    calls: list[tuple[list[dict[str, str]], type[Any], int]]


class _Judging(NamedTuple):
    """The judge mode's work for one article: the parse's actors (and their ids by proposal
    key), the section passes, and every call, the summary's first, to be made together."""

    actors: list[Actor]
    ids: dict[str, str]
    passes: list[_JudgePass]
    summary_call: tuple[list[dict[str, str]], type[Any], int]

    @property
    def requests(self) -> list[tuple[list[dict[str, str]], type[Any], int]]:
        return [self.summary_call, *(call for step in self.passes for call in step.calls)]

    def read(
        self, article: Article, answers: list[tuple[Any, CallStats]], stats: CallStats
    ) -> tuple[Any, dict[str, list[Any]]]:
        """The summary draft and the kept items of each judged section, from the answers in
        the order of :attr:`requests`; every call's cost is added to ``stats``."""
        from .judging import judged_items

        (draft, call), *verdict_answers = answers
        stats.add(call)
        sections = {}
        remaining = iter(verdict_answers)
        for step in self.passes:
            verdicts = []
            for _ in step.calls:
                verdict, call = next(remaining)
                verdicts.append(verdict)
                stats.add(call)
            sections[step.section] = judged_items(article, step.candidates, verdicts, self.ids)
        return draft, sections


class _Plan:
    """The passes for one article: their messages, schemas and token budgets. The draft models
    are made at run time (drafts.py): pydantic knows their fields, mypy cannot."""

    def __init__(self, article: Article, prompts: PromptSet) -> None:
        self.article = article
        self.prompts = prompts
        self.n = len(article.sentences)
        self.bounds = ItemBounds.for_sentences(self.n)

    def budget(self, section: str) -> int:
        return _FIXED_TOKENS + _TOKENS_PER_ITEM[section] * getattr(self.bounds, section)

    def actors_pass(self) -> tuple[list[dict[str, str]], type[Any], int]:
        return (
            self.prompts.messages(self.article, "actors"),
            actors_draft_model(self.n, self.bounds),
            self.budget("actors"),
        )

    def section_pass(
        self, section: str, actors: list[Actor]
    ) -> tuple[list[dict[str, str]], type[Any], int]:
        ids = tuple(a.id for a in actors) or (_NO_ACTORS,)
        messages = self.prompts.messages(self.article, section, _actor_lines(actors))
        return (
            messages,
            section_draft_model(section, self.n, ids, self.bounds),
            self.budget(section),
        )

    def judging(self) -> _Judging:
        """The judge mode's actors (the parse's, with their ids by proposal key), its summary
        call and its section passes over the parse's candidates (judging.py), which need no
        model answer and so go out with the summary call."""
        from .drafts import judge_draft_model
        from .judging import (
            JUDGED_SECTIONS,
            actor_keys,
            candidate_lines,
            candidate_name,
            candidates,
        )
        from .proposal_briefing import proposed_actors
        from .proposals import propose

        proposals = propose(self.article)
        actors = proposed_actors(self.article, proposals)
        ids = {p.key: a.id for p, a in zip(proposals.actors, actors, strict=True)}
        shown = {s: found for s in JUDGED_SECTIONS if (found := candidates(s, proposals))}
        named = {ids.get(k) for found in shown.values() for c in found for k in actor_keys(c)}
        # only the actors the candidates name: the rest would be read for nothing
        actor_lines = _actor_lines([a for a in actors if a.id in named])
        passes = []
        for section, found in shown.items():
            lines = candidate_lines(section, found, ids)
            calls = [
                (
                    self.prompts.judge_messages(
                        self.article, section, actor_lines, lines, candidate_name(n)
                    ),
                    judge_draft_model(section),
                    _JUDGE_TOKENS[section],
                )
                for n in range(1, len(found) + 1)
            ]
            passes.append(_JudgePass(section, found, calls))
        summary_call = (
            self.prompts.messages(self.article, "summary"),
            summary_draft_model(),
            _SUMMARY_TOKENS,
        )
        return _Judging(actors, ids, passes, summary_call)

    def single_pass(self) -> tuple[list[dict[str, str]], type[Any], int]:
        """The single-call mode: everything in one answer, actors referred to by name."""
        budget = min(
            SINGLE_PASS_TOKENS,
            _FIXED_TOKENS + sum(_TOKENS_PER_ITEM[s] * getattr(self.bounds, s) for s in SECTIONS),
        )
        return (
            self.prompts.messages(self.article, "briefing"),
            briefing_draft_model(self.n, self.bounds),
            budget,
        )

    def sections(self, actors: list[Actor], passes: str) -> list[str]:
        """Meetings and positions need actors to refer to; developments can go without."""
        if passes in ("actors", "judge"):
            return []
        return [s for s in SECTIONS[1:] if actors or s == "military_developments"]


class Summarizer:
    """Turns articles into briefings with one backend, kept loaded across articles.

    >>> with Summarizer() as summarizer:                      # doctest: +SKIP
    ...     briefing = summarizer.summarize(Path("article.txt"))
    """

    def __init__(
        self,
        backend: Backend | None = None,
        *,
        prompt_version: str = DEFAULT_PROMPT_VERSION,
        max_reasks: int = 2,
        cache: ResultCache | None = None,
        allow_any_language: bool = False,
        max_article_tokens: int | None = None,
        passes: str | None = None,
        complete: bool = True,
        workers: int | None = None,
    ) -> None:
        """``allow_any_language`` briefs articles that are not in English (screening.py);
        ``max_article_tokens`` overrides the budget above which an article is briefed in
        parts (chunking.py; by default what the backend's context leaves for the article);
        ``workers`` is how many processes take the work around model calls in async runs
        (workers.py; by default one per spare core with a server backend, none in-process, 0
        for none)."""
        self.backend = backend or make_backend("embedded")
        passes = passes or DEFAULT_PASSES.get(self.backend.name, "sections")
        if passes not in PASS_MODES:
            raise ConfigurationError(
                f"unknown passes mode {passes!r}; expected one of {PASS_MODES}"
            )
        self.passes = passes
        # add what the article plainly states and the model left out (completion.complete)
        self.complete = complete
        self.prompts = PromptSet(prompt_version)
        self.max_reasks = max_reasks
        self.cache = cache
        self.allow_any_language = allow_any_language
        self.max_article_tokens = max_article_tokens
        if workers is not None and workers < 0:
            raise ConfigurationError(f"workers must be 0 or more, not {workers}")
        self.workers = (
            workers
            if workers is not None
            else default_workers()
            if self.backend.max_concurrency > 1
            else 0
        )

    @functools.cached_property
    def llm(self) -> StructuredLLM:
        """instructor over the backend, made on the first model call (a cache hit needs none)."""
        from .llm import StructuredLLM

        return StructuredLLM(self.backend, max_reasks=self.max_reasks)

    def settings(self) -> dict[str, Any]:
        """Everything besides the article that decides a briefing: the cache key's other half.
        ``allow_any_language`` is in it because a cache hit is served before screening."""
        return {
            **self.backend.identity(),
            "summarizer": _VERSION,
            "prompt_version": self.prompts.version,
            "prompt_digest": self.prompts.digest,
            "max_reasks": self.max_reasks,
            **({"passes": self.passes} if self.passes != "sections" else {}),
            **({"complete": False} if not self.complete else {}),
            **({"allow_any_language": True} if self.allow_any_language else {}),
        }

    def _cached(self, article: Article) -> tuple[str | None, Briefing | None]:
        if self.cache is None:
            return None, None
        key = cache_key(article, self.settings())
        hit = self.cache.get(key, article)
        if hit is not None and hit.provenance is not None:
            hit = hit.model_copy(
                update={"provenance": hit.provenance.model_copy(update={"cached": True})}
            )
        return key, hit

    def _store(self, key: str | None, briefing: Briefing) -> Briefing:
        if self.cache is not None and key is not None:
            self.cache.put(key, briefing)
        return briefing

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.backend.close()

    def _assembly(
        self,
        article: Article,
        summary: str,
        actors: list[Actor],
        sections: dict[str, list[Any]],
        stats: CallStats,
    ) -> tuple[Any, ...]:
        """:func:`_assemble`'s arguments, this summarizer's settings included."""
        identity = {**self.backend.identity(), "fallback_mode": self.backend.fallback_mode()}
        return (
            article,
            summary,
            actors,
            sections,
            stats,
            identity,
            self.prompts.version,
            self.complete and self.passes != "judge",  # the judge replaces the completion rules
        )

    def _preparation(self, article: Article) -> tuple[Article, bool, int]:
        """:func:`_prepare`'s arguments: the article, and the token budget of one part."""
        from .chunking import article_token_budget

        budget = self.max_article_tokens or article_token_budget(
            self.backend.context_tokens,
            self.prompts,
            *([SINGLE_PASS_TOKENS] if self.passes == "single" else []),
        )
        return article, self.allow_any_language, budget

    def _admit(self, article: Article) -> tuple[Article, list[Part]]:
        """The article screened, and its parts when it is too long for one prompt."""
        article, parts = _prepare(*self._preparation(article))
        check_published(article)  # a warning: raised here, where the caller can see it
        return article, parts

    async def _aadmit(self, article: Article) -> tuple[Article, list[Part]]:
        article, parts = await offload(self.workers, _prepare, *self._preparation(article))
        check_published(article)
        return article, parts

    def _single_draft_assembly(
        self, article: Article, draft: Any, stats: CallStats
    ) -> tuple[Any, ...]:
        """:func:`_assemble`'s arguments from a single-call answer, its actor names resolved to
        ids."""
        from .grounding import ActorResolver, Aligner, ground_actors

        resolver = ActorResolver(article, ground_actors(article, draft.actors))
        resolved = {
            section: [resolver.resolve_item(i) for i in getattr(draft, section)]
            for section in SECTIONS[1:]
        }
        actors = [*resolver.actors, *resolver.added]
        aligner = Aligner(article, actors)
        sections = {
            section: _grounder(section)(article, items, aligner)
            for section, items in resolved.items()
        }
        return self._assembly(article, draft.summary, actors, sections, stats)

    def single_pass_request(self, article: ArticleInput) -> dict[str, Any]:
        """The chat-completions request body of the single-call mode, for the OpenAI Batch API."""
        messages, model, budget = _Plan(to_article(article), self.prompts).single_pass()
        return {
            "model": self.backend.model,
            "messages": messages,
            "max_tokens": budget,
            "temperature": 0,
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": model.__name__,
                    "schema": model.model_json_schema(),
                    "strict": False,
                },
            },
        }

    def briefing_from_answer(self, article: ArticleInput, completion: ChatCompletion) -> Briefing:
        """A briefing from an answer to :meth:`single_pass_request` obtained elsewhere (a Batch
        API results file), validated and grounded exactly as a direct call would be."""
        from .llm import CallStats, answer_digest

        article = to_article(article)
        _, model, _ = _Plan(article, self.prompts).single_pass()
        choice = completion.choices[0] if completion.choices else None
        content = choice.message.content if choice is not None else None
        try:
            draft = model.model_validate_json(content or "")
        except ValidationError as exc:
            reason = (
                "it was cut off by the token limit"
                if choice and choice.finish_reason == "length"
                else exc
            )
            raise ModelError(
                f"the answer for article {article.id!r} is not a valid briefing: {reason}",
                article_id=article.id,
                attempts=1,
            ) from exc
        usage = completion.usage
        stats = CallStats(
            attempts=1,
            passes=1,
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            answers=[answer_digest(completion)],
        )
        return _assemble(*self._single_draft_assembly(article, draft, stats))

    def summarize(
        self,
        article: ArticleInput | None = None,
        *,
        text: str | None = None,
        path: str | Path | None = None,
        id: str | None = None,
    ) -> Briefing:
        """A validated, evidence-grounded briefing of one article; a long one is briefed in parts.

        The article is its text (a ``str`` or ``text=``), a file (a ``Path`` or ``path=``), a
        mapping of its fields, an open stream or an :class:`Article`
        (:func:`~summarizer.article.to_article`). A briefing in the cache is served before
        anything else is done: the cache holds only what passed screening with these settings.
        """
        loaded = to_article(article, text=text, path=path, id=id)
        key, hit = self._cached(loaded)
        if hit is not None:
            check_published(loaded)
            return hit
        loaded, parts = self._admit(loaded)
        if len(parts) > 1:
            from .chunking import merge_parts

            return merge_parts(loaded, parts, [self._summarize_one(part.article) for part in parts])
        return self._summarize_one(loaded, key)

    def _summarize_one(self, article: Article, known_key: str | None = None) -> Briefing:
        """One article or part; ``known_key`` when the cache was already asked for it."""
        from .grounding import Aligner, ground_actors
        from .llm import CallStats

        key = known_key
        if key is None:
            key, hit = self._cached(article)
            if hit is not None:
                return hit
        started = time.perf_counter()
        plan = _Plan(article, self.prompts)
        stats = CallStats(passes=0)
        if self.passes == "single":
            messages, model, budget = plan.single_pass()
            draft, call = self.llm.extract(
                messages, model, max_tokens=budget, article_id=article.id
            )
            stats.add(call)
            stats.seconds = time.perf_counter() - started
            return self._store(key, _assemble(*self._single_draft_assembly(article, draft, stats)))
        sections: dict[str, list[Any]] = {}
        if self.passes == "judge":
            judging = plan.judging()
            # the summary call and every candidate's at once: the backend makes them together
            answers = self.llm.extract_many(judging.requests, article_id=article.id)
            draft, sections = judging.read(article, answers, stats)
            actors = judging.actors
        else:
            messages, model, budget = plan.actors_pass()
            draft, call = self.llm.extract(
                messages, model, max_tokens=budget, article_id=article.id
            )
            stats.add(call)
            actors = ground_actors(article, draft.actors)
        aligner = Aligner(article, actors)
        for section in plan.sections(actors, self.passes):
            messages, model, budget = plan.section_pass(section, actors)
            draft_items, call = self.llm.extract(
                messages, model, max_tokens=budget, article_id=article.id
            )
            stats.add(call)
            sections[section] = _grounder(section)(article, draft_items.items, aligner)
        stats.seconds = time.perf_counter() - started
        return self._store(
            key, _assemble(*self._assembly(article, draft.summary, actors, sections, stats))
        )

    async def asummarize(
        self,
        article: ArticleInput | None = None,
        *,
        text: str | None = None,
        path: str | Path | None = None,
        id: str | None = None,
    ) -> Briefing:
        """The async twin of :meth:`summarize`; section passes run concurrently on servers."""
        loaded = to_article(article, text=text, path=path, id=id)
        key, hit = await asyncio.to_thread(self._cached, loaded)  # SQLite off the event loop
        if hit is not None:
            check_published(loaded)
            return hit
        loaded, parts = await self._aadmit(loaded)
        if len(parts) > 1:
            from .chunking import merge_parts

            return merge_parts(
                loaded, parts, [await self._asummarize_one(part.article) for part in parts]
            )
        return await self._asummarize_one(loaded, key)

    async def _asummarize_one(self, article: Article, known_key: str | None = None) -> Briefing:
        from .grounding import Aligner, ground_actors
        from .llm import CallStats

        key = known_key
        if key is None:
            key, hit = await asyncio.to_thread(self._cached, article)
            if hit is not None:
                return hit
        started = time.perf_counter()
        plan = _Plan(article, self.prompts)
        stats = CallStats(passes=0)
        if self.passes == "single":
            messages, model, budget = plan.single_pass()
            draft, call = await self.llm.aextract(
                messages, model, max_tokens=budget, article_id=article.id
            )
            stats.add(call)
            stats.seconds = time.perf_counter() - started
            briefing = await offload(
                self.workers, _assemble, *self._single_draft_assembly(article, draft, stats)
            )
            return await asyncio.to_thread(self._store, key, briefing)
        sections: dict[str, list[Any]] = {}
        if self.passes == "judge":
            judging = plan.judging()
            answers = await self.llm.aextract_many(judging.requests, article_id=article.id)
            draft, sections = judging.read(article, answers, stats)
            actors = judging.actors
        else:
            messages, model, budget = plan.actors_pass()
            draft, call = await self.llm.aextract(
                messages, model, max_tokens=budget, article_id=article.id
            )
            stats.add(call)
            actors = ground_actors(article, draft.actors)
        aligner = Aligner(article, actors)
        names = plan.sections(actors, self.passes)

        async def run(section: str) -> tuple[list[Any], CallStats]:
            messages, model, budget = plan.section_pass(section, actors)
            items, call = await self.llm.aextract(
                messages, model, max_tokens=budget, article_id=article.id
            )
            return _grounder(section)(article, items.items, aligner), call

        if self.backend.max_concurrency > 1:
            results = await asyncio.gather(*(run(s) for s in names))
        else:
            results = [await run(s) for s in names]
        for section, (items, call) in zip(names, results, strict=True):
            sections[section] = items
            stats.add(call)
        stats.seconds = time.perf_counter() - started
        briefing = await offload(
            self.workers,
            _assemble,
            *self._assembly(article, draft.summary, actors, sections, stats),
        )
        return await asyncio.to_thread(self._store, key, briefing)
