"""Parallel item decoding: answers to prompts that share a prefix, decoded in one batch a step.

The items of a judge pass (judging.py) are independent once the article is read: their
prompts differ only in the last line. So the shared prefix goes into the KV cache once, on
sequence 0, and each answer gets a llama.cpp sequence of its own that shares the prefix's
cells (in a unified cache a copy costs no memory). Every step then evaluates what each live
decoder asks for in a single ``llama_decode``: on a CPU a batch of N tokens costs far less
than N batches of one, because the weights are read once per batch. When an answer is done,
its sequence takes the next item, so the batch stays full.

Each item keeps its own :class:`~summarizer.decoding.SchemaDecoder`: the schema walk is a
generator of model requests, so this module only gathers the requests and serves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .decoding import Answer, Request, Steps, load_prompt

if TYPE_CHECKING:
    from llama_cpp import Llama


@dataclass
class Job:
    """One answer to decode: its whole prompt and its decoder's walk of the schema
    (:meth:`SchemaDecoder.steps`)."""

    prompt: list[int]
    steps: Steps[Answer]


@dataclass
class _Lane:
    """A sequence of the context and the job it is decoding."""

    seq: int
    job: int
    steps: Steps[Answer]
    start: int  # the position where the answer begins: the length of the prompt
    tail: list[int]  # prompt tokens after the shared prefix, not evaluated yet
    request: Request = (0, [])


def shared_prefix(prompts: Sequence[list[int]]) -> int:
    """How many leading tokens all prompts share, leaving each at least one of its own (its
    last token's logits start its answer)."""
    shortest = min(len(p) for p in prompts)
    common = 0
    while common < shortest - 1 and all(p[common] == prompts[0][common] for p in prompts):
        common += 1
    return common


#: a run of jobs shares a prefix of its own when it is at least this much longer than the
#: prefix all jobs share: shorter ones cost less to read per job than a sequence to hold them
_GROUP_PREFIX_WORTH_SHARING = 16


@dataclass
class _Group:
    """Consecutive jobs whose prompts share more than the jobs around them do: a judge pass's
    section inside the calls of an article. Groups nest (``parent``), so each shared run of
    tokens is read once, on the sequence of the group that owns it."""

    jobs: range
    prefix: int  # tokens the group's prompts share
    parent: int | None = None  # index of the enclosing group (None: the prefix all jobs share)
    seq: int = 0  # the sequence holding them (0: the prefix all jobs share)


def _groups(prompts: Sequence[list[int]], shared: int) -> list[_Group]:
    """The groups of ``prompts`` (that share ``shared`` tokens), enclosing groups before the
    groups inside them. A job alone at the top is a group of its own, read from ``shared``."""
    groups: list[_Group] = []

    def split(jobs: range, start: int, parent: int | None) -> None:
        first = jobs.start
        for n in range(jobs.start + 1, jobs.stop + 1):
            if n < jobs.stop and (
                shared_prefix([prompts[first], prompts[n]]) >= start + _GROUP_PREFIX_WORTH_SHARING
            ):
                continue
            run = range(first, n)
            if len(run) > 1:
                groups.append(_Group(run, shared_prefix([prompts[j] for j in run]), parent))
                split(run, groups[-1].prefix, len(groups) - 1)
            elif parent is None:
                groups.append(_Group(run, start))
            first = n

    split(range(len(prompts)), shared, None)
    return groups


def _read_prefixes(
    llama: Llama,
    batch: Any,
    groups: list[_Group],
    prompts: Sequence[list[int]],
    shared: int,
    free: range,
) -> None:
    """Give each group worth it one of the ``free`` sequences, holding its prefix: its
    enclosing group's cells, copied, and its own tokens after them, read in one batch per
    depth. A group left without one (too many) is read from its enclosing group's prefix."""
    import llama_cpp

    memory = llama_cpp.llama_get_memory(llama._ctx.ctx)
    spare = iter(free)
    root = _Group(range(len(prompts)), shared)
    depth: dict[int, int] = {}
    for index, group in enumerate(groups):
        depth[index] = 0 if group.parent is None else depth[group.parent] + 1
    for level in sorted(set(depth.values())):
        entries: list[tuple[int, int, int, bool]] = []
        for index, group in enumerate(groups):
            if depth[index] != level:
                continue
            outer = root if group.parent is None else groups[group.parent]
            if group.prefix > outer.prefix and (seq := next(spare, None)) is not None:
                group.seq = seq
                llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
                llama_cpp.llama_memory_seq_cp(memory, outer.seq, seq, 0, outer.prefix)
                head = prompts[group.jobs[0]]
                entries += [(seq, p, head[p], False) for p in range(outer.prefix, group.prefix)]
            else:
                group.seq, group.prefix = outer.seq, outer.prefix
        _decode(llama, batch, entries)


def decode_together(llama: Llama, jobs: Sequence[Job], width: int) -> list[Answer]:
    """The answers of ``jobs``, at most ``width`` decoded at a time, in the jobs' order.

    The prefix all prompts share is read once, on sequence 0; a run of jobs that share a
    longer one (the calls of a judge pass, and inside them the candidates of one section) has
    the rest of it read once more, on a sequence of its own (:func:`_groups`). Every sequence
    but 0 is emptied again at the end; sequence 0 is left holding the shared prefix, which the
    next call's :func:`~summarizer.decoding.load_prompt` reuses.
    """
    import llama_cpp

    if not jobs:
        return []
    sequences = llama_cpp.llama_n_seq_max(llama._ctx.ctx) - 1
    width = max(1, min(width, len(jobs), sequences))
    prompts = [job.prompt for job in jobs]
    shared = shared_prefix(prompts)
    load_prompt(llama, prompts[0][:shared])
    memory = llama_cpp.llama_get_memory(llama._ctx.ctx)
    groups = _groups(prompts, shared)
    # the innermost group of each job: enclosing groups come first, so the inner ones win
    group_of = {index: group for group in groups for index in group.jobs}
    answers: list[Answer | None] = [None] * len(jobs)
    waiting = list(range(len(jobs)))[::-1]
    lanes: list[_Lane] = []

    def begin(seq: int) -> None:
        index = waiting.pop()
        job, group = jobs[index], group_of[index]
        llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
        llama_cpp.llama_memory_seq_cp(memory, group.seq, seq, 0, group.prefix)
        lane = _Lane(seq, index, job.steps, len(job.prompt), job.prompt[group.prefix :])
        if _advance(lane, None, answers):
            lanes.append(lane)
        elif waiting:
            begin(seq)

    batch = llama_cpp.llama_batch_init(llama.n_batch, 0, 1)
    try:
        _read_prefixes(llama, batch, groups, prompts, shared, range(width + 1, sequences + 1))
        for seq in range(1, width + 1):
            if waiting:
                begin(seq)
        while lanes:
            logits = _decode(llama, batch, _requests(memory, lanes))
            for lane in list(lanes):
                if not _advance(lane, logits[lane.seq], answers):
                    lanes.remove(lane)
                    if waiting:
                        begin(lane.seq)
    finally:
        llama_cpp.llama_batch_free(batch)
        for seq in range(1, sequences + 1):
            llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
    return [answer for answer in answers if answer is not None]


def _advance(lane: _Lane, logits: np.ndarray | None, answers: list[Answer | None]) -> bool:
    """Send the lane's decoder its logits; False once its answer is done."""
    try:
        lane.request = lane.steps.send(logits) if logits is not None else next(lane.steps)
    except StopIteration as done:
        answers[lane.job] = done.value
        return False
    return True


def _requests(memory: object, lanes: Sequence[_Lane]) -> list[tuple[int, int, int, bool]]:
    """Every lane's request as batch entries (sequence, position, token, wants logits), the
    cache of each lane cut back to where its request starts."""
    import llama_cpp

    entries: list[tuple[int, int, int, bool]] = []
    for lane in lanes:
        keep, tokens = lane.request
        first = lane.start + keep
        if lane.tail:  # the first request: the item's own prompt tokens come first
            tokens, first = [*lane.tail, *tokens], lane.start - len(lane.tail)
            lane.tail = []
        llama_cpp.llama_memory_seq_rm(memory, lane.seq, first, -1)
        for offset, token in enumerate(tokens):
            entries.append((lane.seq, first + offset, token, offset == len(tokens) - 1))
    return entries


def _decode(
    llama: Llama, batch: Any, entries: Sequence[tuple[int, int, int, bool]]
) -> dict[int, np.ndarray]:
    """Evaluate the entries in as few ``llama_decode`` calls as the batch size allows; returns
    the logits asked for, by sequence."""
    import llama_cpp

    n_vocab = llama.n_vocab()
    logits: dict[int, np.ndarray] = {}
    for start in range(0, len(entries), llama.n_batch):
        chunk = entries[start : start + llama.n_batch]
        batch.n_tokens = len(chunk)
        for i, (seq, position, token, wanted) in enumerate(chunk):
            batch.token[i] = token
            batch.pos[i] = position
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = seq
            batch.logits[i] = wanted
        status = llama_cpp.llama_decode(llama._ctx.ctx, batch)
        if status != 0:
            raise RuntimeError(f"llama_decode failed with status {status} on a parallel batch")
        for i, (seq, _, _, wanted) in enumerate(chunk):
            if wanted:
                row = llama_cpp.llama_get_logits_ith(llama._ctx.ctx, i)
                logits[seq] = np.ctypeslib.as_array(row, shape=(n_vocab,)).copy()
    return logits
