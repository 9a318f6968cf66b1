"""Load hand-labelled gold briefings (contract § Gold files).

A gold file holds only the article id and evidence as offsets (or text); the article text
lives in the corpus. Loading joins the two, so every span is checked against the text it
claims to quote, and a broken gold file fails loudly with every problem listed instead of
silently scoring against the wrong sentence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from .article import Article, load_article
from .contract import Briefing
from .errors import ArticleError, ContractError


def load_gold(
    path: str | Path, articles_dir: str | Path, *, predicted: bool = False
) -> tuple[Article, Briefing]:
    """Read one gold file and validate it against its article ``articles_dir/ID.txt``.

    The ``article`` block is completed from the article's metadata (title, published,
    source, url), so gold files need only the id. With ``predicted=True`` the file is a
    briefing to score (the output of ``summarizer brief`` or ``batch``), which may carry
    ``provenance``; gold may not. Raises :class:`ContractError` naming the file when the
    JSON, the article or any span is wrong.
    """
    path = Path(path)
    data = _read_json(path)
    article = _load_article_for(path, data, Path(articles_dir), predicted)
    metadata = article.model_dump(include={"id", "title", "published", "source", "url"})
    data["article"] = {**metadata, **data["article"]}
    try:
        briefing = Briefing.model_validate(data, context={"article_text": article.text})
    except ValidationError as exc:
        problems = [_describe(error, article.text) for error in exc.errors()]
        raise ContractError(_report(path, problems)) from None
    return article, briefing


def load_gold_set(gold_dir: str | Path, articles_dir: str | Path) -> list[tuple[Article, Briefing]]:
    """Every ``*.json`` gold file in ``gold_dir``, sorted by article id.

    All files are checked before raising, so one run lists every broken file.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ContractError(f"no gold folder at {gold_dir}")
    loaded: list[tuple[Article, Briefing]] = []
    failures: list[str] = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            loaded.append(load_gold(path, articles_dir))
        except ContractError as exc:
            failures.append(str(exc))
    if failures:
        raise ContractError("\n".join(failures))
    return sorted(loaded, key=lambda pair: pair[0].id)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ContractError(
            _report(path, [f"cannot read the file: {exc.strerror or exc}"])
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContractError(_report(path, [f"not valid JSON: {exc}"])) from None
    if not isinstance(data, dict):
        raise ContractError(_report(path, [f"must hold a JSON object, not {type(data).__name__}"]))
    return data


def _load_article_for(
    path: Path, data: dict[str, Any], articles_dir: Path, predicted: bool
) -> Article:
    """The article a gold file is about: its ``article.id`` must be the file's stem."""
    ref = data.get("article")
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str):
        raise ContractError(_report(path, ["article: needs an object with a string 'id'"]))
    if ref["id"] != path.stem:
        raise ContractError(
            _report(path, [f"article.id {ref['id']!r} is not the file name {path.stem!r}"])
        )
    problems = (
        ["provenance: gold files carry no provenance"]
        if data.get("provenance") is not None and not predicted
        else []
    )
    article_path = articles_dir / f"{ref['id']}.txt"
    if not article_path.is_file():
        problems.append(f"no article file at {article_path}")
    if problems:
        raise ContractError(_report(path, problems))
    try:
        return load_article(article_path)
    except ArticleError as exc:
        raise ContractError(_report(path, [f"article {article_path}: {exc}"])) from None


def _describe(error: Any, text: str) -> str:
    """One pydantic error as ``actors[0].evidence[1]: message``."""
    loc = list(error["loc"])
    given = error.get("input")
    if (
        error["type"] == "missing"
        and loc[-1:] == ["text"]
        and isinstance(given, dict)
        and "start" in given
    ):
        # offsets that do not fit the article leave the span's text unfilled
        loc.pop()
        message = (
            f"offsets {given.get('start')}:{given.get('end')} do not fit the article "
            f"(length {len(text)})"
        )
    else:
        message = error["msg"].removeprefix("Value error, ")
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(
        "."
    )
    return f"{where or 'briefing'}: {message}"


def _report(path: Path, problems: list[str]) -> str:
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return f"gold file {path.name}: {len(problems)} problem(s)\n{lines}"


class Split(BaseModel):
    """The fixed division of a gold set into the part rules are tuned on and the part held out.

    Work on rules and prompts looks only at the tuning part's errors; the validation part is
    reported beside it, so that a gain that comes from fitting the tuning articles shows as a gap.
    """

    model_config = ConfigDict(extra="allow")

    tuning: list[str]
    validation: list[str]

    @model_validator(mode="after")
    def _disjoint(self) -> Split:
        both = sorted(set(self.tuning) & set(self.validation))
        if both:
            raise ValueError(f"articles in both parts: {both}")
        for part in (self.tuning, self.validation):
            repeated = sorted({i for i in part if part.count(i) > 1})
            if repeated:
                raise ValueError(f"articles listed twice: {repeated}")
        return self

    def part_of(self, article_id: str) -> str | None:
        """``"tuning"``, ``"validation"``, or None for an article the split does not list."""
        if article_id in self.tuning:
            return "tuning"
        if article_id in self.validation:
            return "validation"
        return None


def load_split(path: str | Path) -> Split:
    """Read a split file (``evals/split.json``); a broken one is a :class:`ContractError`."""
    path = Path(path)
    data = _read_json(path)
    try:
        return Split.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(error, "") for error in exc.errors()]
        raise ContractError(f"split file {path}: {'; '.join(problems)}") from None


def find_split(gold_dir: Path, split_path: Path | None = None) -> Split | None:
    """The split given, else ``split.json`` beside the gold folder (as ``evals/`` keeps it), else
    None: a gold set need not be split."""
    if split_path is None and (gold_dir.parent / "split.json").is_file():
        split_path = gold_dir.parent / "split.json"
    return load_split(split_path) if split_path is not None else None
