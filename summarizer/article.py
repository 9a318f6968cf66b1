"""Stage 1: read an article and split it into sentences with character offsets.

Evidence in a briefing is a set of sentences of the article, so the sentence list made
here is what the model cites by number and what the grounding stage turns into spans.
An HTML page is reduced to its article text first, and offsets index into that text.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pysbd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pysbd.utils import TextSpan

from .contract import ArticleRef
from .errors import ArticleError

METADATA_FIELDS = ("title", "source", "url", "published")
HTML_SUFFIXES = (".html", ".htm")
#: fewer words than this extracted from a page means the extractor found no article in it
MIN_PAGE_WORDS = 10


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: ``article.text[start:end] == text``; ``number`` counts from 1."""

    number: int
    start: int
    end: int
    text: str


class Article(BaseModel):
    """An input article: UTF-8 text plus optional metadata (contract § Input)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1)
    title: str | None = None
    text: str
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None

    @field_validator("text")
    @classmethod
    def _not_empty(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("the article text is empty")
        return text

    @field_validator("published", mode="before")
    @classmethod
    def _date_prefix(cls, value: Any) -> Any:
        """Accept a full timestamp ("2024-12-05T10:00:00Z") by keeping its date."""
        if isinstance(value, str) and len(value) > 10 and value[4:5] == "-":
            return value[:10]
        return value

    def ref(self) -> ArticleRef:
        """What a briefing says of its article: id, title, published date, source and URL."""
        return ArticleRef(
            id=self.id, title=self.title, published=self.published, source=self.source, url=self.url
        )

    @functools.cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.text)


class _Segmenter(pysbd.Segmenter):
    """pysbd, locating its sentences in the text with ``str.find`` rather than a regex per sentence.

    Those regexes cost more than the segmentation itself, and their stream flushes the ``re``
    module's cache, so pysbd's own patterns and the grounding's are compiled over and over. The
    spans are pysbd's: a sentence's first occurrence (not overlapping, as ``re.finditer`` finds
    them) that ends past the previous span, with the whitespace after it (``\\s`` is
    ``str.isspace``).
    """

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        text = self.original_text
        spans: list[TextSpan] = []
        previous_end = 0
        for sentence in sentences:
            found = text.find(sentence)
            while found >= 0:
                end = found + len(sentence)
                while end < len(text) and text[end].isspace():
                    end += 1
                if end > previous_end:
                    spans.append(TextSpan(text[found:end], found, end))
                    previous_end = end
                    break
                found = text.find(sentence, max(end, found + 1))
        return spans


_SEGMENTER = _Segmenter(language="en", clean=False)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with exact offsets.

    Paragraphs (line breaks) always end a sentence; inside a paragraph pysbd finds the
    boundaries (it knows abbreviations such as "Nov." and "U.S."). Offsets are found by
    locating each segment in the text, so ``text[start:end]`` is always the sentence.
    """
    sentences: list[Sentence] = []
    cursor = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if not paragraph.strip():
            continue
        offset = text.find(paragraph, cursor)
        starts = [offset + len(paragraph) - len(paragraph.lstrip())]
        located = starts[0]  # where the last segment pysbd gave was found to end
        for segment in _SEGMENTER.segment(paragraph):
            piece = segment.strip()
            found = text.find(piece, located, offset + len(paragraph)) if piece else -1
            if found < 0:  # pysbd normalised something: the boundary is lost, not the text
                continue
            if found > starts[-1]:
                starts.append(found)
            located = found + len(piece)
        # Each sentence runs to the next one's start, so nothing pysbd drops ("!!") goes missing.
        for start, end in zip(starts, [*starts[1:], offset + len(paragraph)], strict=True):
            piece = text[start:end].rstrip()
            sentences.append(Sentence(len(sentences) + 1, start, start + len(piece), piece))
        cursor = offset + len(paragraph)
    return sentences


def _normalise_newlines(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{where} looks like a binary file, not article text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{where} is not valid UTF-8 (byte {exc.start}): save it as UTF-8 text"
        ) from None


def split_title_line(raw: str) -> tuple[str | None, str]:
    """The ``.txt`` convention: a first line followed by a blank line is the title."""
    lines = _normalise_newlines(raw).split("\n")
    if len(lines) >= 2 and lines[0].strip() and not lines[1].strip():
        return lines[0].strip(), "\n".join(lines[2:]).strip()
    return None, _normalise_newlines(raw).strip()


def _build(fields: Mapping[str, Any], where: str) -> Article:
    try:
        return Article.model_validate(dict(fields))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'article'}: {e['msg']}" for e in exc.errors()
        )
        raise ArticleError(f"{where}: {problems}") from None


def _read_metadata(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ArticleError(
            f"metadata file {path} is not valid JSON: {exc or 'nested too deeply'}"
        ) from None
    if not isinstance(data, dict):
        raise ArticleError(
            f"metadata file {path} must hold a JSON object, not {type(data).__name__}"
        )
    return {key: data[key] for key in METADATA_FIELDS if data.get(key) is not None}


def article_from_text(raw: str, *, id: str, metadata: Mapping[str, Any] | None = None) -> Article:
    """An article from plain text with the title-line convention and optional metadata."""
    title, body = split_title_line(raw)
    fields: dict[str, Any] = {"id": id, "title": title, "text": body}
    fields.update({k: v for k, v in (metadata or {}).items() if v is not None})
    return _build(fields, f"article {id!r}")


_HTML_START = re.compile(
    r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL
)


def looks_like_html(raw: str) -> bool:
    """A web page rather than text: it opens with an HTML doctype or ``<html>`` tag."""
    return bool(_HTML_START.match(raw[:8192]))


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def article_from_html(
    raw: str, *, id: str, where: str, metadata: Mapping[str, Any] | None = None
) -> Article:
    """An article from a saved web page: its main text, without menus, ads and footers.

    The extracted paragraphs, separated by blank lines, are the article text that evidence
    offsets index into. Title, published date, site name and URL come from the page's
    metadata when it has them; explicit ``metadata`` wins. A date is taken only from the
    page's markup, never guessed from its text, because it anchors relative dates.
    """
    import trafilatura  # only pages need it (and lxml): imported on first use
    from trafilatura.settings import Document

    found = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    page = found if isinstance(found, Document) else Document()  # a dict only with as_dict=True
    paragraphs = [line.strip() for line in (page.text or "").split("\n") if line.strip()]
    title = page.title
    # the page's headline repeated as text
    if paragraphs and title and _same_words(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_PAGE_WORDS:
        raise ArticleError(
            f"{where}: found no article text in the HTML page (only {words} word(s) extracted); "
            "save the article's text as a .txt file instead"
        )
    fields: dict[str, Any] = {
        "id": id,
        "title": title,
        "text": "\n\n".join(paragraphs),
        "published": page.date,
        "source": page.sitename,
        "url": page.url,
    }
    fields.update({k: v for k, v in (metadata or {}).items() if v is not None})
    return _build(fields, where)


def _from_raw(
    raw: str, *, id: str, where: str, metadata: Mapping[str, Any] | None = None
) -> Article:
    """Text or, when it looks like one, an HTML page."""
    if looks_like_html(raw):
        return article_from_html(raw, id=id, where=where, metadata=metadata)
    return article_from_text(raw, id=id, metadata=metadata)


#: what :func:`to_article` takes: the article itself, its text, a file, its fields or a stream
ArticleInput = Article | str | Path | Mapping[str, Any] | IO[str] | IO[bytes]

#: a ``str`` that is one word with one of these endings is a file name passed by mistake
_FILE_NAME_SUFFIXES = (".txt", ".json", *HTML_SUFFIXES)


def _shown(path: object) -> str:
    """A path for a message: text passed as a path may be thousands of characters long."""
    text = str(path)
    return text if len(text) <= 80 else text[:77] + "..."


def load_article(
    source: str | Path | Mapping[str, Any] | IO[str] | IO[bytes], *, id: str | None = None
) -> Article:
    """Load an article from a path, ``"-"`` (stdin), an open stream or a mapping.

    - ``NAME.txt``: title line convention; ``NAME.json`` beside it supplies metadata.
    - ``NAME.html`` or ``.htm``, or any text that starts like a web page: the page's article
      text and metadata (:func:`article_from_html`); ``NAME.json`` beside it still wins.
    - ``NAME.json``: an article object with at least ``text``.
    - a mapping: the article's fields.

    A ``str`` here is a path, as on the command line; :func:`to_article` takes text. Every
    failure, an unreadable file included, is an :class:`ArticleError`.
    """
    if isinstance(source, Mapping):
        fields = dict(source)
        if id is not None:
            fields["id"] = id
        fields.setdefault("id", "article")
        return _build(fields, f"article {fields['id']!r}")
    if not isinstance(source, (str, Path)):
        return _from_stream(source, id=id)
    if str(source) == "-":
        data = sys.stdin.buffer.read()
        return _from_raw(_decode(data, "standard input"), id=id or "stdin", where="standard input")
    path = Path(source)
    try:
        return _from_file(path, id)
    except OSError as exc:  # a name too long, a directory, no permission: the OS says which
        raise ArticleError(
            f"cannot read article file {_shown(path)}: {exc.strerror or exc}"
        ) from None


def _from_stream(stream: object, *, id: str | None) -> Article:
    read = getattr(stream, "read", None)
    if not callable(read):
        raise ArticleError(
            f"cannot read an article from a {type(stream).__name__}: give its text (str), "
            "a Path, a mapping of its fields or an open stream"
        )
    try:
        raw = read()
    except (OSError, ValueError) as exc:  # closed, unreadable, or not in the stream's encoding
        raise ArticleError(f"cannot read the input stream: {exc}") from None
    if isinstance(raw, bytes):
        raw = _decode(raw, "the input stream")
    if not isinstance(raw, str):
        raise ArticleError(f"the input stream gave a {type(raw).__name__}, not text")
    return _from_raw(raw, id=id or "stdin", where="the input stream")


def _from_file(path: Path, id: str | None) -> Article:
    if not path.is_file():
        raise ArticleError(f"no article file at {_shown(path)}")
    raw = _decode(path.read_bytes(), str(path))
    if path.suffix.lower() == ".json":
        try:
            fields = json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ArticleError(f"{path} is not valid JSON: {exc or 'nested too deeply'}") from None
        if not isinstance(fields, dict) or "text" not in fields:
            raise ArticleError(f"{path} must be a JSON object with a 'text' field")
        fields.setdefault("id", path.stem)
        if id is not None:
            fields["id"] = id
        return _build(fields, str(path))
    metadata_path = path.with_suffix(".json")
    metadata = _read_metadata(metadata_path) if metadata_path.is_file() else {}
    if path.suffix.lower() in HTML_SUFFIXES:
        return article_from_html(raw, id=id or path.stem, where=str(path), metadata=metadata)
    return _from_raw(raw, id=id or path.stem, where=str(path), metadata=metadata)


def to_article(
    source: ArticleInput | None = None,
    *,
    text: str | None = None,
    path: str | Path | None = None,
    id: str | None = None,
) -> Article:
    """The one article a caller means, by one rule that never guesses.

    A ``str`` (or ``text=``) is the article's text, title line and web pages as in a file; a
    :class:`~pathlib.Path` (or ``path=``) is a file; a mapping holds its fields; an open stream
    its text. A ``str`` that is a lone file name ("a.txt") is refused rather than briefed as a
    one-word article. Every failure is an :class:`ArticleError` that names the problem.
    """
    given = [
        name
        for name, value in (("article", source), ("text", text), ("path", path))
        if value is not None
    ]
    if len(given) != 1:
        raise ArticleError(
            "give one article: its text (a str or text=), a file (a Path or path=), a mapping "
            f"or a stream; got {' and '.join(given) if given else 'none'}"
        )
    if path is not None:
        if not isinstance(path, (str, Path)):
            raise ArticleError(f"path= takes a str or Path, not a {type(path).__name__}")
        return load_article(Path(path), id=id)
    if text is not None:
        if not isinstance(text, str):
            raise ArticleError(f"text= takes a str, not a {type(text).__name__}")
        return _from_raw(text, id=id or "article", where="the article text")
    if isinstance(source, Article):
        return source if id is None else source.model_copy(update={"id": id})
    if isinstance(source, str):
        word = source.strip()
        if (
            word
            and not any(c.isspace() for c in word)
            and word.lower().endswith(_FILE_NAME_SUFFIXES)
        ):
            raise ArticleError(
                f"{_shown(word)!r} is a file name, but a str is the article's text: pass "
                f"Path({_shown(word)!r}) or path= to brief the file"
            )
        return _from_raw(source, id=id or "article", where="the article text")
    if isinstance(source, (Path, Mapping)):
        return load_article(source, id=id)
    return _from_stream(source, id=id)
