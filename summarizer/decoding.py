"""Schema-driven JSON decoding for an in-process llama.cpp model.

A grammar makes llama.cpp check all 150k vocabulary entries at every step, and every
token of the answer, keys and punctuation included, costs a full decoding step. But most
of a JSON answer is fixed by the schema: braces, keys, commas, and the rest of an enum
value once its first token is chosen. This decoder writes those parts itself, feeding
them to the model in batches at prompt speed, and asks the model only for real choices:
the words of a string, the digits of a number, which enum value, whether a list goes on.
Each choice is an argmax over the tokens the schema allows at that point, so the answer
always matches the schema; greedy decoding keeps it deterministic.

The model only ever sees its answer tokenized the way its tokenizer would tokenize the
whole text (``"type": "person"`` as ``":``, `` "``, ``person``), never as the pieces the
decoder happened to write it in: a small model that sees off-distribution token
boundaries makes worse choices (it typed people as ``government_body``). So written text
is kept pending and, before each choice, the answer is re-tokenized and the KV cache
rewound to where the tokens differ.

Supported schemas: objects (all properties, in declared order), arrays (min/max items),
strings (maxLength), integers, booleans, null, enums and ``anyOf`` of those, with
``$ref`` into ``$defs`` — what pydantic generates for the draft models. Anything else
raises :class:`UnsupportedSchema` and the caller falls back to a llama.cpp grammar.
"""

from __future__ import annotations

import functools
import json
import os
import re
import string
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

from .drafts import COPIED_WORDS, OWN_WORDS

if TYPE_CHECKING:
    from llama_cpp import Llama


_UNSUPPORTED = frozenset(
    {
        "pattern",
        "format",
        "minLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "prefixItems",
        "uniqueItems",
        "oneOf",
        "allOf",
        "not",
        "patternProperties",
    }
)


_WORD_CHARS = string.ascii_letters + string.digits + "_"

T = TypeVar("T")
#: a decoder's request of the model: how many tokens of its answer so far to keep in the KV
#: cache, and the tokens to evaluate after them (the logits of the last are sent back)
Request = tuple[int, list[int]]
#: a piece of the schema walk: yields requests, is sent logits, returns ``T``
Steps = Generator[Request, np.ndarray, T]


class CopyGuard:
    """The words that would make a string copy ``COPIED_WORDS`` words of a source text in a row.

    Words are folded as the text bars count them (:func:`summarizer.normalize.fold`); after
    any ``COPIED_WORDS - 1`` source words in a row, a token that starts the source's next word
    is refused. (A word the tokenizer splits, begun before the run was complete, is not caught.)
    """

    def __init__(self, source: str) -> None:
        from .normalize import fold

        self._fold = fold
        words = fold(source).split()
        run = COPIED_WORDS - 1
        self._next: dict[tuple[str, ...], set[str]] = {}
        for i in range(len(words) - run):
            self._next.setdefault(tuple(words[i : i + run]), set()).add(words[i + run])

    def refused(self, written: str) -> set[str]:
        """The words that may not come next after ``written``."""
        words = self._fold(written).split()
        if len(words) < COPIED_WORDS - 1:
            return set()
        return self._next.get(tuple(words[-(COPIED_WORDS - 1) :]), set())


class UnsupportedSchema(ValueError):
    """The schema uses a feature this decoder does not handle."""


class _OutOfTokens(Exception):
    """The token budget ran out mid-answer."""


@dataclass
class DecodeStats:
    sampled: int = 0  # tokens the model chose
    forced: int = 0  # tokens of the answer the schema fixed

    @property
    def total(self) -> int:
        return self.sampled + self.forced


#: a decoded answer: its text, finish reason ("stop" or "length") and what it cost
Answer = tuple[str, str, DecodeStats]


@functools.lru_cache(maxsize=4)
def copy_guard(source: str) -> CopyGuard:
    """One guard per source text: the items of one article share it."""
    return CopyGuard(source)


def load_prompt(llama: Llama, prompt_tokens: list[int]) -> int:
    """Put the prompt in the KV cache, reusing the longest cached prefix. Returns tokens
    reused."""
    cached = list(llama._input_ids[: llama.n_tokens])
    common = 0
    for a, b in zip(cached, prompt_tokens, strict=False):
        if a != b:
            break
        common += 1
    # re-evaluate at least one token for fresh logits
    common = min(common, len(prompt_tokens) - 1)
    llama._ctx.kv_cache_seq_rm(-1, common, -1)
    llama.n_tokens = common
    llama.eval(prompt_tokens[common:])
    return common


class Vocabulary:
    """Per-token facts the decoder masks logits with; computed once per model."""

    def __init__(self, llama: Llama) -> None:
        n = llama.n_vocab()
        pieces = [llama.detokenize([i]).decode("utf-8", errors="replace") for i in range(n)]
        self.pieces = pieces
        special = {llama.token_eos(), llama.token_bos(), *getattr(llama, "_stop_token_ids", ())}

        def mask(test: Callable[[str], bool]) -> np.ndarray:
            return np.array(
                [bool(p) and i not in special and test(p) for i, p in enumerate(pieces)]
            )

        def plain(p: str) -> bool:
            return (
                '"' not in p
                and "\\" not in p
                and all(ord(c) >= 0x20 and c not in "\ufffd\u2028\u2029" for c in p)
            )

        self.string_content = mask(plain)
        self.digits = mask(lambda p: p.isdigit() and p.isascii())
        self.first_char = np.array(
            [p.lstrip(" ")[:1] if i not in special else "" for i, p in enumerate(pieces)]
        )
        self.string_end = self.starting('"')
        # 'said.",' is one token: words that close the string and then go on with the JSON
        closing = re.compile(r'[^"\\]+"[\s,\]}]*')
        self.text_then_string_end = np.array(
            [
                i not in special and bool(closing.fullmatch(p)) and plain(p[: p.index('"')])
                for i, p in enumerate(pieces)
            ]
        )
        self.after_value = self.starting(",}]")
        self.list_more = self.starting(",")
        self.list_end = self.starting("]")
        stripped = [p.strip() for p in pieces]
        self.object_close = np.array(
            [p in {"}", "},", "}]"} and i not in special for i, p in enumerate(stripped)]
        )
        self.list_more_after_close = np.array([p == "}," for p in stripped])
        self.has_quote = np.array(['"' in p for p in pieces])
        # per first letter: (token, its first word, whether a separator comes before it)
        self._word_starts: dict[str, list[tuple[int, str, bool]]] | None = None  # on first use
        self.continues_word = np.array([p[:1].isalnum() for p in pieces])

    def starting_words(self, words: set[str], after_separator: bool) -> np.ndarray:
        """Tokens that start a new word which could be one of ``words``. Words are split as
        :func:`summarizer.normalize.fold` splits them, at any character but a letter or digit:
        a token starts a word after a separator of its own (" attack", ".attack"), or after one
        the text so far ends with (``after_separator``: "attack" after "the.")."""
        if self._word_starts is None:
            self._word_starts = {}
            for i, piece in enumerate(self.pieces):
                if not self.string_content[i]:
                    continue
                rest = piece.lower()
                start = next((n for n, c in enumerate(rest) if c.isalnum()), len(rest))
                end = next((n for n, c in enumerate(rest[start:], start) if not c.isalnum()), None)
                head, separated = rest[start:end], start > 0
                if head:
                    self._word_starts.setdefault(head[0], []).append((i, head, separated))
        banned = np.zeros(len(self.pieces), dtype=bool)
        for word in words:
            for i, head, separated in self._word_starts.get(word[:1], ()):
                if (separated or after_separator) and (
                    word.startswith(head) or head.startswith(word)
                ):
                    banned[i] = True
        return banned

    def starting(self, chars: str) -> np.ndarray:
        """Tokens whose text (after spaces) starts with one of ``chars``: "{", "{\"" and "{\n"
        alike."""
        return np.isin(self.first_char, list(chars))


class SchemaDecoder:
    """Generates JSON that matches a schema, one model choice at a time."""

    def __init__(
        self,
        llama: Llama,
        vocabulary: Vocabulary,
        on_item: Callable[[str], bool] | None = None,
        copy_source: str | None = None,
    ) -> None:
        self.llama = llama
        self.vocab = vocabulary
        # what strings marked OWN_WORDS may not copy (the article); its guard is made on the
        # first such string, so answers without one cost nothing
        self._copy_source = copy_source
        self._copy_guard: CopyGuard | None = None
        # called with the text so far after each list item; True stops the list
        self.on_item = on_item
        self._n_vocab = llama.n_vocab()
        # the state of one answer, set anew by steps()
        self._defs: dict[str, Any] = {}
        self._budget = 0
        self.stats = DecodeStats()
        self.out: list[str] = []
        self._answer: list[int] = []
        self._synced_text = ""
        self._last_logits: np.ndarray | None = None

    # ---- model access -------------------------------------------------------------------
    # The schema walk below is a generator: where it needs the model's next-token logits it
    # yields a request (answer tokens to keep in the KV cache, tokens to evaluate after them)
    # and is sent the logits back. generate() serves the requests on the context's one
    # sequence; parallel.py serves many decoders' requests in one llama.cpp batch.
    def _logits(self) -> Steps[np.ndarray]:
        request = self._pending()
        if request is not None or self._last_logits is None:
            self._last_logits = yield request or (0, [])
        return self._last_logits

    def _pending(self) -> Request | None:
        """What brings the KV cache up to the answer so far, tokenized as one text."""
        text = "".join(self.out)
        if text == self._synced_text:
            return None
        tokens = self.llama.tokenize(text.encode(), add_bos=False, special=False) if text else []
        if len(tokens) > self._budget:
            raise _OutOfTokens
        common = 0
        for a, b in zip(self._answer, tokens, strict=False):
            if a != b:
                break
            common += 1
        common = min(common, len(tokens) - 1)  # re-evaluate at least one token for fresh logits
        self._answer = tokens
        self._synced_text = text
        return common, tokens[common:]

    def _force(self, text: str) -> None:
        """Write text the schema fixes; it reaches the model with the next choice, in one batch."""
        self.out.append(text)

    def _choose(self, allowed: np.ndarray) -> Steps[int]:
        logits = yield from self._logits()
        return int(np.argmax(np.where(allowed, logits, -np.inf)))

    def _take(self, token: int, text: str | None = None) -> None:
        """Write a token the model chose (or the part of it that ``text`` gives)."""
        self.stats.sampled += 1
        self.out.append(self.vocab.pieces[token] if text is None else text)

    # ---- entry points -------------------------------------------------------------------
    def steps(self, schema: dict[str, Any], max_tokens: int) -> Steps[Answer]:
        """The answer as a generator of model requests; returns the answer, its finish reason
        ("stop" or "length") and what it cost. The first request, (0, []), asks for the
        logits at the end of the prompt."""
        self._defs = schema.get("$defs", {})
        self._budget = max_tokens
        self.stats = DecodeStats()
        self.out = []
        self._answer = []
        self._synced_text = ""
        self._last_logits = None
        try:
            yield from self._value(schema, lead="")
            text = "".join(self.out)
            length = len(self.llama.tokenize(text.encode(), add_bos=False, special=False))
            if length > self._budget:
                raise _OutOfTokens
            self.stats.forced = length - self.stats.sampled
            return text, "stop", self.stats
        except _OutOfTokens:
            self.stats.forced = max(len(self._answer) - self.stats.sampled, 0)
            return "".join(self.out), "length", self.stats

    def generate(self, prompt_tokens: list[int], schema: dict[str, Any], max_tokens: int) -> Answer:
        """The answer to one prompt, decoded on the context's only sequence."""
        llama = self.llama
        load_prompt(llama, prompt_tokens)
        start = len(prompt_tokens)
        steps = self.steps(schema, max_tokens)
        logits: np.ndarray | None = None
        while True:
            try:
                keep, tokens = steps.send(logits)  # type: ignore[arg-type]
            except StopIteration as done:
                return cast(Answer, done.value)
            if tokens:
                llama.n_tokens = start + keep  # eval() drops the cache from here on
                llama.eval(tokens)
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(self._n_vocab,))

    # ---- schema walk --------------------------------------------------------------------
    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        unsupported = _UNSUPPORTED.intersection(schema)
        if unsupported:
            raise UnsupportedSchema(f"keyword(s) {sorted(unsupported)}")
        ref = schema.get("$ref")
        if ref is None:
            return schema
        if not ref.startswith("#/$defs/"):
            raise UnsupportedSchema(f"reference {ref}")
        return self._resolve(self._defs[ref.rsplit("/", 1)[-1]])

    def _options(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        schema = self._resolve(schema)
        if "anyOf" in schema:
            return [o for alternative in schema["anyOf"] for o in self._options(alternative)]
        return [schema]

    def _value(self, schema: dict[str, Any], lead: str) -> Steps[None]:
        """Write one value; ``lead`` is the space JSON puts before it ("key": value, [a, b])."""
        options = self._options(schema)
        literals = [lead + json.dumps(v) for o in options for v in self._literals(o)]
        others = [o for o in options if not self._literals(o)]
        if not others:
            yield from self._choose_literal(literals)
            return
        if len(others) > 1:
            raise UnsupportedSchema(f"a choice between {len(others)} non-literal types")
        # e.g. a string or null: the first token decides
        if literals and (yield from self._opens_literal(literals, others[0])):
            yield from self._choose_literal(literals)
            return
        if others[0].get("type") == "string":
            yield from self._string(others[0], lead, own_words=bool(schema.get(OWN_WORDS)))
            return
        yield from self._structured(others[0], lead)

    @staticmethod
    def _literals(schema: dict[str, Any]) -> list[Any]:
        if "enum" in schema:
            return list(schema["enum"])
        if "const" in schema:
            return [schema["const"]]
        kind = schema.get("type")
        if kind == "null":
            return [None]
        if kind == "boolean":
            return [True, False]
        return []

    def _first_tokens(self, texts: list[str]) -> dict[int, list[str]]:
        firsts: dict[int, list[str]] = {}
        for text in texts:
            token = self.llama.tokenize(text.encode(), add_bos=False, special=False)[0]
            firsts.setdefault(token, []).append(text)
        return firsts

    @staticmethod
    def _opening_chars(schema: dict[str, Any]) -> str:
        """The first character a value of this (non-literal) schema can start with."""
        kind = schema.get("type")
        if kind == "integer":
            return "0123456789"
        return {"string": '"', "object": "{", "array": "["}.get(str(kind)) or ""

    def _opens_literal(self, literals: list[str], other: dict[str, Any]) -> Steps[bool]:
        """Does the model start one of the literals (e.g. ``null``) rather than the other type?"""
        literal_chars = "".join({text.lstrip(" ")[0] for text in literals})
        allowed = self.vocab.starting(literal_chars + self._opening_chars(other))
        token = yield from self._choose(allowed)
        return bool(self.vocab.first_char[token] in literal_chars)

    def _choose_literal(self, literals: list[str]) -> Steps[None]:
        """Pick one of several fixed texts: the model decides only where they differ."""
        written = ""
        candidates = list(dict.fromkeys(literals))
        while True:
            rests = {c[len(written) :] for c in candidates}
            if len(rests) == 1:
                self._force(rests.pop())
                return
            shared = os.path.commonprefix(list(rests)).rstrip(_WORD_CHARS)  # ' "' of ' "a"', ' "b"'
            firsts = list(self._first_tokens([r for r in rests if r]))
            if "" not in rests and (shared.strip() or len(firsts) == 1):
                shared = shared if shared.strip() else self.vocab.pieces[firsts[0]]
                self._force(shared)
                written += shared
                candidates = [c for c in candidates if c.startswith(written)]
                continue
            allowed = np.zeros(self._n_vocab, dtype=bool)
            allowed[firsts] = True
            if "" in rests:  # one candidate is complete ("1" beside "12"): the model may stop here
                allowed |= self.vocab.after_value
            token = yield from self._choose(allowed)
            if (
                "" in rests
                and self.vocab.after_value[token]
                and not any(r and r.startswith(self.vocab.pieces[token]) for r in rests)
            ):
                return
            self._take(token)
            written += self.vocab.pieces[token]
            candidates = [c for c in candidates if c.startswith(written)]

    def _structured(self, schema: dict[str, Any], lead: str) -> Steps[None]:
        kind = schema.get("type")
        if kind == "object":
            yield from self._object(schema, lead)
        elif kind == "array":
            yield from self._array(schema, lead)
        elif kind == "string":
            yield from self._string(schema, lead)
        elif kind == "integer":
            yield from self._integer(lead)
        else:
            raise UnsupportedSchema(f"type {kind!r}")

    def _object(self, schema: dict[str, Any], lead: str, close: bool = True) -> Steps[None]:
        self._force(lead + "{")
        for index, (name, subschema) in enumerate(schema.get("properties", {}).items()):
            self._force(("" if index == 0 else ",") + " " * bool(index) + json.dumps(name) + ":")
            yield from self._value(subschema, lead=" ")
        if close:
            self._force("}")

    def _array(self, schema: dict[str, Any], lead: str) -> Steps[None]:
        items = schema.get("items", {})
        low, high = schema.get("minItems", 0), schema.get("maxItems", 10_000)
        objects = self._resolve(items).get("type") == "object"
        self._force(lead + "[")
        count = 0
        # set when closing an item already said whether the list goes on
        decided: bool | None = None
        while count < high:
            more = (
                decided
                if decided is not None
                else count < low or (yield from self._continues(items, first=count == 0))
            )
            if not more:
                break
            if count and not decided:  # a "}," that closed the last item already wrote the comma
                self._force(",")
            decided = None
            item_lead = " " if count else ""
            if objects:
                yield from self._object(self._resolve(items), item_lead, close=False)
                decided = yield from self._close_item(may_continue=count + 1 < high)
            else:
                yield from self._value(items, item_lead)
            count += 1
            text = "".join(self.out)
            if self.on_item is not None and self.on_item(
                text[: text.rfind("}") + 1] if objects else text
            ):
                # the model had gone on: take its comma back
                if self.out[-1].rstrip().endswith(","):
                    self.out[-1] = self.out[-1].rstrip()[:-1]
                decided = False
            if decided is False and self.out[-1].rstrip().endswith("]"):
                return
        self._force("]")

    def _close_item(self, may_continue: bool) -> Steps[bool | None]:
        """Close an object in a list the way the model would: "}," and "}]" are single tokens
        it knows well, so letting it pick the closing token also decides whether the list goes
        on."""
        allowed = self.vocab.object_close & ~self.vocab.has_quote
        if not may_continue:
            allowed &= ~self.vocab.list_more_after_close
        token = yield from self._choose(allowed)
        self._take(token)
        piece = self.vocab.pieces[token].strip()
        if piece.endswith("]"):
            return False
        if piece.endswith(","):
            return True
        return None

    def _continues(self, items: dict[str, Any], first: bool) -> Steps[bool]:
        """Does the model add an item (rather than close the list)?"""
        if first:
            chars = ""
            for option in self._options(items):
                literals = self._literals(option)
                chars += (
                    "".join(json.dumps(v)[0] for v in literals)
                    if literals
                    else self._opening_chars(option)
                )
            allowed = self.vocab.list_end | self.vocab.starting(chars)
        else:
            allowed = self.vocab.list_end | self.vocab.list_more
        token = yield from self._choose(allowed)
        return not self.vocab.list_end[token]

    def _string(self, schema: dict[str, Any], lead: str, own_words: bool = False) -> Steps[None]:
        limit = schema.get("maxLength", 10_000)
        self._force(lead + '"')
        length = 0
        written = ""
        allowed = (
            self.vocab.string_content | self.vocab.string_end | self.vocab.text_then_string_end
        )
        guard = self._guard() if own_words else None
        while length < limit:
            refused = guard.refused(written) if guard is not None else set()
            choices = allowed
            if refused:
                choices = allowed & ~self.vocab.starting_words(
                    refused, after_separator=not written[-1:].isalnum()
                )
                if written[-1:].isalnum():  # the copied word is whole: no gluing the next onto it
                    choices &= ~self.vocab.continues_word
            token = yield from self._choose(choices)
            if self.vocab.string_end[token]:
                break
            piece = self.vocab.pieces[token]
            ends = bool(self.vocab.text_then_string_end[token])
            if ends:
                piece = piece[: piece.index('"')]
            if length + len(piece) > limit:
                break
            self._take(token, piece)
            length += len(piece)
            written += piece
            if ends:
                break
        self._force('"')

    def _guard(self) -> CopyGuard | None:
        if self._copy_guard is None and self._copy_source is not None:
            self._copy_guard = copy_guard(self._copy_source)
        return self._copy_guard

    def _integer(self, lead: str) -> Steps[None]:
        self._force(lead)
        allowed = self.vocab.digits
        token = yield from self._choose(allowed)
        self._take(token)
        more = self.vocab.digits | self.vocab.after_value
        for _ in range(8):
            token = yield from self._choose(more)
            if not self.vocab.digits[token]:
                break
            self._take(token)


@dataclass
class ChatPrompt:
    """Renders chat messages with the model's own template (as llama-cpp-python does)."""

    llama: Llama
    _formatter: Any = field(default=None, init=False)

    def tokens(self, messages: list[dict[str, str]]) -> list[int]:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        if self._formatter is None:
            llama = self.llama
            eos, bos = llama.token_eos(), llama.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=llama.metadata["tokenizer.chat_template"],
                eos_token=llama._model.token_get_text(eos) if eos != -1 else "",
                bos_token=llama._model.token_get_text(bos) if bos != -1 else "",
            )
        result = self._formatter(messages=messages)
        return self.llama.tokenize(
            result.prompt.encode(), add_bos=not result.added_special, special=True
        )

    def fixed_prefix(self, messages: list[dict[str, str]], tokens: list[int]) -> list[int]:
        """The start of ``tokens`` that only the system message decides: the same for every
        article and pass, so worth keeping in the KV cache."""
        if not messages or messages[0]["role"] != "system":
            return []
        bare = self.tokens([messages[0], {"role": "user", "content": ""}])
        common = 0
        for a, b in zip(bare, tokens, strict=False):
            if a != b:
                break
            common += 1
        return tokens[: max(common - 1, 0)]  # the last shared token may merge with the user text
