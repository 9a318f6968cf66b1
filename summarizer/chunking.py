"""Articles longer than the model's context: briefed in overlapping parts, then merged.

A live blog or a long feature does not fit one prompt: the model would lose its end (or
the server would refuse it). Such an article is split between paragraphs into parts that
fit, each starting with the last paragraph or two of the part before, so that a sentence
next to a cut keeps its context. Each part is an ordinary :class:`Article` whose text is
a slice of the full text, briefed by the normal path. The part briefings are merged into
one briefing of the full article: evidence offsets are shifted back to the full text,
actors are merged by name, alias and surname exactly as grounding merges them within an
article, and an item found twice because its sentences sit in an overlap is kept once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .article import Article, Sentence, split_sentences
from .contract import (
    SCHEMA_VERSION,
    Actor,
    Briefing,
    Meeting,
    MilitaryDevelopment,
    Provenance,
    Span,
    StatedPosition,
)
from .drafts import SECTIONS
from .errors import ConfigurationError
from .grounding import ground_actors, merge_encounters
from .normalize import fold
from .prompting import PromptSet

#: characters per token of English news text; real tokenizers give about 4, fewer errs towards more
#: parts
CHARS_PER_TOKEN = 3.5
#: the "[12] " before each numbered sentence of the prompt, and its line break
SENTENCE_NUMBER_TOKENS = 4
#: the actor list of passes 2-4: up to 24 lines of id, name, type, role and affiliation
ACTOR_LIST_TOKENS = 24 * 20
#: the longest answer a pass may write (16 stated positions at briefing.py's allowance)
ANSWER_TOKENS = 1440
#: chat-template tokens and estimation error
MARGIN_TOKENS = 256
#: an article budget below this means the context is too small to brief anything
MIN_ARTICLE_TOKENS = 256
#: paragraphs a part repeats from the part before, within a quarter of the budget
OVERLAP_PARAGRAPHS = 2
#: sentences of the merged summary: the first part's summary, then each next part's lead
SUMMARY_SENTENCES = 4


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate: the split is decided before any model is loaded."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def sentence_tokens(sentences: Sequence[Sentence]) -> int:
    """Tokens the sentences take in a prompt, numbered one per line."""
    return sum(estimate_tokens(s.text) + SENTENCE_NUMBER_TOKENS for s in sentences)


@functools.lru_cache(maxsize=32)
def article_token_budget(
    context_tokens: int, prompts: PromptSet, answer_tokens: int = ANSWER_TOKENS
) -> int:
    """Tokens an article may take in one pass: the context less the instructions, the
    actor list and the longest answer. The same for every article of a run, so worked out
    once rather than by rendering every pass's prompt again for each article."""
    probe = Article(id="probe", text="Probe.")
    instructions = max(
        sum(estimate_tokens(m["content"]) for m in prompts.messages(probe, section))
        for section in SECTIONS
    )
    budget = context_tokens - instructions - ACTOR_LIST_TOKENS - answer_tokens - MARGIN_TOKENS
    if budget < MIN_ARTICLE_TOKENS:
        raise ConfigurationError(
            f"a context of {context_tokens} tokens leaves {budget} for the article after "
            "the instructions and the answer; use a model or server with a larger context"
        )
    return budget


@dataclass(frozen=True)
class Part:
    """One part of a long article: ``full.text[offset:offset + len(article.text)] ==
    article.text``."""

    article: Article
    offset: int


def _paragraphs(article: Article) -> list[list[Sentence]]:
    """The article's sentences grouped by paragraph (a line break between two sentences)."""
    paragraphs: list[list[Sentence]] = []
    for sentence in article.sentences:
        if paragraphs and "\n" not in article.text[paragraphs[-1][-1].end : sentence.start]:
            paragraphs[-1].append(sentence)
        else:
            paragraphs.append([sentence])
    return paragraphs


def _fitted(paragraph: list[Sentence], budget: int) -> list[list[Sentence]]:
    """A paragraph as it is, or cut between sentences into runs that fit the budget."""
    runs: list[list[Sentence]] = [[]]
    for sentence in paragraph:
        if runs[-1] and sentence_tokens([*runs[-1], sentence]) > budget:
            runs.append([])
        runs[-1].append(sentence)
    return runs


def split_article(article: Article, max_tokens: int) -> list[Part]:
    """The article as one part when it fits ``max_tokens``, else overlapping parts that do.

    Parts are cut between paragraphs (between sentences only inside a paragraph that alone
    is too long), so every part's sentences are sentences of the full article. A sentence
    longer than the budget on its own still makes a part: there is no smaller unit to cite.
    """
    budget = max_tokens - estimate_tokens(article.title or "")
    if sentence_tokens(article.sentences) <= budget:
        return [Part(article, 0)]
    blocks = [run for paragraph in _paragraphs(article) for run in _fitted(paragraph, budget)]
    sizes = [sentence_tokens(block) for block in blocks]
    ranges: list[tuple[int, int]] = []
    first = 0
    while True:
        end, total = first + 1, sizes[first]
        while end < len(blocks) and total + sizes[end] <= budget:
            total, end = total + sizes[end], end + 1
        ranges.append((first, end))
        if end == len(blocks):
            break
        first = max(end - OVERLAP_PARAGRAPHS, first + 1)
        while first < end and (
            sum(sizes[first:end]) > budget // 4 or sum(sizes[first:end]) + sizes[end] > budget
        ):
            first += 1  # a shorter overlap, so the next part has room for new text
    parts = []
    for number, (first, end) in enumerate(ranges, 1):
        start, stop = blocks[first][0].start, blocks[end - 1][-1].end
        parts.append(
            Part(
                Article(
                    id=f"{article.id}-part{number}",
                    title=article.title,
                    text=article.text[start:stop],
                    published=article.published,
                    source=article.source,
                    url=article.url,
                ),
                start,
            )
        )
    return parts


@dataclass
class _ActorDraft:
    """A part's actor in the shape :func:`~summarizer.grounding.ground_actors` merges."""

    name: str
    type: str
    role: str | None
    affiliation: str | None
    aliases: list[str]
    evidence: list[int]


def _shifted(evidence: Sequence[Span], offset: int) -> list[Span]:
    return [
        span.model_copy(update={"start": span.start + offset, "end": span.end + offset})
        for span in evidence
    ]


def _sentence_numbers(article: Article, evidence: Sequence[Span]) -> list[int]:
    """The full article's sentences that the (shifted) spans start in."""
    return [
        s.number for span in evidence for s in article.sentences if s.start <= span.start < s.end
    ]


Rename = Callable[[str | None], str | None]


def _renaming(merged: Sequence[Actor], part_actors: Sequence[Actor]) -> Rename:
    """A part's actor ids to the merged actors' ids: a part's actor became the merged actor
    whose name or alias is its name (grounding keeps every merged name as an alias)."""
    forms = {a.id: {fold(a.name), *(fold(x) for x in a.aliases)} for a in merged}
    ids = {
        a.id: next((i for i, f in forms.items() if fold(a.name) in f), None) for a in part_actors
    }
    return lambda ref: ids.get(ref) if ref is not None else None


def _meeting(item: Meeting, rename: Rename) -> Meeting | None:
    participants = [p for p in dict.fromkeys(rename(p) for p in item.participants) if p]
    return (
        item.model_copy(update={"participants": participants}) if len(participants) >= 2 else None
    )


def _development(item: MilitaryDevelopment, rename: Rename) -> MilitaryDevelopment:
    actors = [a for a in dict.fromkeys(rename(a) for a in item.actors) if a]
    targets = [t for t in dict.fromkeys(rename(t) for t in item.targets) if t and t not in actors]
    return item.model_copy(update={"actors": actors, "targets": targets})


def _position(item: StatedPosition, rename: Rename) -> StatedPosition | None:
    holder, target = rename(item.holder), rename(item.target)
    if holder is None:
        return None
    return item.model_copy(
        update={"holder": holder, "target": target if target != holder else None}
    )


_RENAMERS: dict[str, Callable[[Any, Rename], Any]] = {
    "meetings": _meeting,
    "military_developments": _development,
    "stated_positions": _position,
}


def _overlaps(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a for y in b)


def _summary(briefings: Sequence[Briefing]) -> str:
    sentences = [s.text for s in split_sentences(briefings[0].summary)]
    for briefing in briefings[1:]:
        lead = split_sentences(briefing.summary)
        if lead and lead[0].text not in sentences:
            sentences.append(lead[0].text)
    return " ".join(sentences[:SUMMARY_SENTENCES])


def _provenance(briefings: Sequence[Briefing]) -> Provenance | None:
    """The parts' costs summed; cached only when every part was."""
    made = [b.provenance for b in briefings if b.provenance is not None]
    if not made:
        return None
    return made[0].model_copy(
        update={
            "attempts": sum(p.attempts for p in made),
            "passes": sum(p.passes or 0 for p in made),
            "input_tokens": sum(p.input_tokens for p in made),
            "output_tokens": sum(p.output_tokens for p in made),
            "seconds": round(sum(p.seconds for p in made), 3),
            "created_at": dt.datetime.now(dt.UTC),
            "truncated": any(p.truncated for p in made),
            "cached": all(p.cached for p in made),
            "parts": len(briefings),
            "answer_sha256": _combined_digest([p.answer_sha256 for p in made]),
            "fallback_mode": next(
                (p.fallback_mode for p in reversed(made) if p.fallback_mode), None
            ),
        }
    )


def _combined_digest(digests: list[str | None]) -> str | None:
    """The parts' answer digests as one, in part order; None when a part has none."""
    if any(digest is None for digest in digests):
        return None
    return hashlib.sha256("\n".join(d for d in digests if d is not None).encode()).hexdigest()


def merge_parts(article: Article, parts: Sequence[Part], briefings: Sequence[Briefing]) -> Briefing:
    """One briefing of the full article from its parts' briefings, validated against its text."""
    drafts = [
        _ActorDraft(
            a.name,
            a.type,
            a.role,
            a.affiliation,
            list(a.aliases),
            _sentence_numbers(article, _shifted(a.evidence, part.offset)),
        )
        for part, briefing in zip(parts, briefings, strict=True)
        for a in briefing.actors
    ]
    actors = ground_actors(article, drafts)
    sections: dict[str, list[Any]] = {}
    for section, renamer in _RENAMERS.items():
        kept: list[tuple[int, Any]] = []
        for index, (part, briefing) in enumerate(zip(parts, briefings, strict=True)):
            rename = _renaming(actors, briefing.actors)
            for item in getattr(briefing, section):
                moved = renamer(
                    item.model_copy(update={"evidence": _shifted(item.evidence, part.offset)}),
                    rename,
                )
                if moved is None or any(
                    other != index and _overlaps(moved.evidence, known.evidence)
                    for other, known in kept
                ):
                    # the same sentences were briefed in the part before: one item is enough
                    continue
                kept.append((index, moved))
        sections[section] = [item for _, item in kept]
    sections["meetings"] = merge_encounters(sections["meetings"])
    merged: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "article": article.ref(),
        "summary": _summary(briefings),
        "actors": actors,
        **{section: sections[section] for section in SECTIONS[1:]},
        "provenance": _provenance(briefings),
    }
    return Briefing.model_validate(
        {
            k: v.model_dump()
            if isinstance(v, BaseModel)
            else [i.model_dump() for i in v]
            if isinstance(v, list)
            else v
            for k, v in merged.items()
        },
        context={"article_text": article.text},
    )
