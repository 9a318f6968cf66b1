"""The project's schema decoder against llguidance on the same prompts (issue #20).

Briefs articles in the judge mode, keeps every item call it makes (messages, schema, token
limit), then answers each call twice, one call at a time, from the prompt already in the KV
cache: with :class:`summarizer.decoding.SchemaDecoder`, and with llguidance's matcher (its
fast-forward tokens fed to the model in one batch, its token mask on the logits of every
other step). Both decode greedily with the same llama.cpp context. The decoder's extras that
llguidance has no counterpart for are off in both: the copy guard and the repeated-item stop.

Prints a Markdown table: answers, tokens the model chose and the schema fixed, model
evaluations, and milliseconds per answer token, in all and outside the model (the engine's
own cost: masks, tokenizing, bookkeeping).

    pip install llguidance
    python evals/engines.py ../shared/corpus/00_hurriyet_fidan_syria_nato.txt ... > table.md
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from summarizer import Summarizer
from summarizer.backends import EmbeddedBackend
from summarizer.decoding import ChatPrompt, SchemaDecoder, Vocabulary, load_prompt


@dataclass
class Tally:
    answers: list[str] = field(default_factory=list)
    chosen: int = 0  # tokens the model chose
    fixed: int = 0  # tokens the schema fixed
    evaluations: int = 0  # llama.cpp decode calls
    seconds: float = 0.0
    model_seconds: float = 0.0  # in llama.cpp's evaluations; the rest is the engine's


class _Capturing(EmbeddedBackend):
    """The embedded backend, keeping the requests of the calls made together."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[dict[str, Any]] = []

    def create_many(self, requests: Any) -> Any:
        self.requests += list(requests)
        return super().create_many(requests)


def _counting_evaluations(llama: Any, tally: Tally) -> Any:
    """Count and time the model's evaluations; returns the original ``eval`` to put back."""
    original = llama.eval

    def counted(tokens: Any) -> None:
        started = time.perf_counter()
        original(tokens)
        tally.evaluations += 1
        tally.model_seconds += time.perf_counter() - started

    llama.eval = counted
    return original


def ours(backend: EmbeddedBackend, requests: list[dict[str, Any]]) -> Tally:
    llama: Any = backend.llama
    chat, vocabulary = ChatPrompt(llama), Vocabulary(llama)
    tally = Tally()
    for request in requests:
        prompt = chat.tokens(request["messages"])
        schema = request["response_format"]["json_schema"]["schema"]
        load_prompt(llama, prompt)
        original = _counting_evaluations(llama, tally)
        started = time.perf_counter()
        try:  # generate() reads the prompt's last token again, as theirs() does below
            text, _, stats = SchemaDecoder(llama, vocabulary).generate(
                prompt, schema, request["max_tokens"]
            )
        finally:
            llama.eval = original
        tally.seconds += time.perf_counter() - started
        tally.answers.append(text)
        tally.chosen += stats.sampled
        tally.fixed += stats.forced
    return tally


def theirs(backend: EmbeddedBackend, requests: list[dict[str, Any]]) -> Tally:
    import llguidance
    import llguidance.llamacpp
    import llguidance.numpy

    llama: Any = backend.llama
    chat = ChatPrompt(llama)
    n_vocab = llama.n_vocab()
    eos = llama.token_eos()
    tokenizer = llguidance.llamacpp.lltokenizer_from_vocab(llama._model.vocab)
    mask = llguidance.numpy.allocate_token_bitmask(1, tokenizer.vocab_size)
    # the decoder's spacing: {"key": value, "key": value}
    options: Any = {"whitespace_flexible": False, "key_separator": ": ", "item_separator": ", "}
    tally = Tally()
    for request in requests:
        prompt = chat.tokens(request["messages"])
        schema = request["response_format"]["json_schema"]["schema"]
        load_prompt(llama, prompt)
        grammar = llguidance.LLMatcher.grammar_from_json_schema(_closed(schema), defaults=options)
        original = _counting_evaluations(llama, tally)
        llama.n_tokens -= 1  # the prompt's last token is read again, as generate() does
        started = time.perf_counter()
        matcher = llguidance.LLMatcher(tokenizer, grammar)
        answer: list[int] = []
        pending = [prompt[-1]]
        while not matcher.is_stopped() and len(answer) < request["max_tokens"]:
            llama.eval(pending)
            forced = matcher.compute_ff_tokens()
            if forced:
                matcher.consume_tokens(forced)
                answer += forced
                tally.fixed += len(forced)
                pending = forced
                continue
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(n_vocab,))
            llguidance.numpy.fill_next_token_bitmask(matcher, mask, 0)
            allowed = np.unpackbits(mask[0].view(np.uint8), bitorder="little")[:n_vocab]
            token = int(np.argmax(np.where(allowed.astype(bool), logits, -np.inf)))
            matcher.consume_token(token)
            if token == eos:
                break
            tally.chosen += 1
            answer.append(token)
            pending = [token]
        tally.seconds += time.perf_counter() - started
        llama.eval = original
        if matcher.is_error():
            raise RuntimeError(matcher.get_error())
        tally.answers.append(llama.detokenize(answer).decode("utf-8", errors="replace"))
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="+", type=Path)
    arguments = parser.parse_args()
    backend = _Capturing()
    with Summarizer(backend, passes="judge", cache=None) as summarizer:
        for path in arguments.articles:
            summarizer.summarize(path=path)
        requests = backend.requests
        tallies = {"summarizer.decoding": ours(backend, requests)}
        tallies["llguidance " + _version()] = theirs(backend, requests)
    first = next(iter(tallies.values()))
    print(f"{len(requests)} item calls of the judge mode, {len(arguments.articles)} article(s)\n")
    print(
        "| engine | tokens chosen | tokens fixed | model evaluations | ms per answer token "
        "| of which outside the model | answers as the decoder's |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, tally in tallies.items():
        tokens = tally.chosen + tally.fixed
        same = sum(a == b for a, b in zip(tally.answers, first.answers, strict=True))
        print(
            f"| {name} | {tally.chosen} | {tally.fixed} | {tally.evaluations} | "
            f"{1000 * tally.seconds / tokens:.1f} | "
            f"{1000 * (tally.seconds - tally.model_seconds) / tokens:.1f} | "
            f"{same} of {len(tally.answers)} |"
        )
    differing = [
        (a, b)
        for a, b in zip(first.answers, list(tallies.values())[1].answers, strict=True)
        if a != b
    ]
    for a, b in differing[:3]:
        print(f"\n- decoder:    `{_shape(a)}`\n- llguidance: `{_shape(b)}`")
    seconds = [t.seconds for t in tallies.values()]
    print(
        f"\nseconds: {', '.join(f'{s:.1f}' for s in seconds)}; median {statistics.median(seconds):.1f}"
    )


def _closed(schema: Any) -> Any:
    """The schema with no properties beyond those listed, as the decoder reads every schema
    (JSON Schema's default lets an object have more, and llguidance lets the model add them)."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if closed.get("type") == "object":
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(value) for value in schema]
    return schema


def _shape(answer: str) -> str:
    """An answer with its free text replaced by its length: the fields, not the words."""
    try:
        value = json.loads(answer)
    except ValueError:
        return f"(not JSON, {len(answer)} characters)"
    return json.dumps(
        {
            k: (f"<{len(v)} chars>" if isinstance(v, str) and " " in v else v)
            for k, v in value.items()
        }
    )


def _version() -> str:
    import importlib.metadata

    return importlib.metadata.version("llguidance")


if __name__ == "__main__":
    main()
