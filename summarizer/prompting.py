"""Stage 2: turn an article into the messages of each extraction pass.

The fixed instructions come first and the article last, so a loaded model reuses the
cached prefix across passes and articles. The article is data: it is numbered, delimited
and stripped of anything that could close the delimiter or open a chat turn, and it is
never rendered as a template, so ``{{ }}`` in an article is just text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

import jinja2

from .article import Article
from .drafts import KEPT_BY_THE_MODEL
from .resources import data_dir

DEFAULT_PROMPT_VERSION = "v1"

_CONTROL_MARKUP = re.compile(r"</?\s*article\s*>|<\|[^|>]*\|>", re.IGNORECASE)


def neutralise(text: str) -> str:
    """Defuse article text that imitates our delimiters or chat-template tokens."""
    return _CONTROL_MARKUP.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


def article_block(article: Article) -> str:
    lines = ["<article>"]
    if article.title:
        lines.append(f"Title: {neutralise(article.title)}")
    if article.published:
        lines.append(f"Published: {article.published.isoformat()}")
    lines.extend(f"[{s.number}] {neutralise(s.text)}" for s in article.sentences)
    lines.append("</article>")
    return "\n".join(lines)


@dataclass(frozen=True)
class PromptSet:
    """One version of the prompt templates in ``prompts/<version>/``."""

    version: str = DEFAULT_PROMPT_VERSION

    @cached_property
    def _env(self) -> jinja2.Environment:
        folder = data_dir("prompts") / self.version
        if not folder.is_dir():
            from .errors import ConfigurationError

            raise ConfigurationError(f"no prompt version {self.version!r} in {folder.parent}")
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader(folder),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            autoescape=False,
        )

    @cached_property
    def digest(self) -> str:
        """A hash of every template, so a changed prompt never serves a cached briefing."""
        folder = data_dir("prompts") / self.version
        sha = hashlib.sha256()
        for path in sorted(folder.glob("*.md")):
            sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return sha.hexdigest()[:16]

    def _render(self, name: str, **variables: object) -> str:
        return self._env.get_template(f"{name}.md").render(**variables).strip()

    def messages(
        self, article: Article, section: str, actor_lines: str = ""
    ) -> list[dict[str, str]]:
        """The chat messages of one pass: fixed system text, then the article, then the task.

        Every pass of an article shares the system text and the article, and passes 2-4 also
        share the actor list, so only the last line differs between passes.
        """
        return self._around(article, self._render("task", section=section, actor_lines=actor_lines))

    def judge_messages(
        self, article: Article, section: str, actor_lines: str, candidate_lines: str, candidate: str
    ) -> list[dict[str, str]]:
        """The judge's question about one candidate of a section (judging.py). The candidates
        of a section differ only in the last line, so the embedded model reads the rest once
        for all of them (parallel.py)."""
        task = self._render(
            "judge",
            section=section,
            actor_lines=actor_lines,
            candidate_lines=candidate_lines,
            candidate=candidate,
        )
        return self._around(article, task)

    def _around(self, article: Article, task: str) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": self._render("system", kept=KEPT_BY_THE_MODEL)},
            {"role": "user", "content": f"{article_block(article)}\n\n{task}"},
        ]
