"""summarizer: evidence-grounded briefings of geopolitical news articles.

>>> from pathlib import Path
>>> from summarizer import summarize                       # doctest: +SKIP
>>> briefing = summarize(Path("article.txt"))               # embedded model, no API key
>>> briefing = summarize("Foreign ministers met ...")       # doctest: +SKIP
>>> [actor.name for actor in briefing.actors]               # doctest: +SKIP

For many articles keep one :class:`Summarizer` (the model stays loaded). Any
OpenAI-compatible server works through ``make_backend("openai", base_url=..., model=...)``,
and any backend a package registers (:mod:`summarizer.plugins`) by its name. Names are
imported on first use, so that ``import summarizer`` and the command line start fast.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    ArticleError,
    ArticleWarning,
    ConfigurationError,
    ContractError,
    ModelError,
    ServerModeWarning,
    SummarizerError,
)

if TYPE_CHECKING:
    from .article import Article, ArticleInput, Sentence, load_article, split_sentences
    from .backends import Backend, EmbeddedBackend
    from .briefing import Summarizer
    from .cache import ResultCache
    from .contract import (
        Actor,
        ArticleRef,
        Briefing,
        DateRef,
        Meeting,
        MilitaryDevelopment,
        Provenance,
        Span,
        StatedPosition,
    )
    from .plugins import installed_backends, make_backend
    from .server_backend import OpenAICompatibleBackend

#: public name -> the module that defines it
_LAZY = {
    **dict.fromkeys(
        ["Article", "ArticleInput", "Sentence", "load_article", "split_sentences"], ".article"
    ),
    **dict.fromkeys(["Backend", "EmbeddedBackend"], ".backends"),
    "Summarizer": ".briefing",
    "ResultCache": ".cache",
    **dict.fromkeys(
        [
            "Actor",
            "ArticleRef",
            "Briefing",
            "DateRef",
            "Meeting",
            "MilitaryDevelopment",
            "Provenance",
            "Span",
            "StatedPosition",
        ],
        ".contract",
    ),
    **dict.fromkeys(["installed_backends", "make_backend"], ".plugins"),
    "OpenAICompatibleBackend": ".server_backend",
}

__all__ = [
    "Actor",
    "Article",
    "ArticleError",
    "ArticleInput",
    "ArticleRef",
    "ArticleWarning",
    "Backend",
    "Briefing",
    "ConfigurationError",
    "ContractError",
    "DateRef",
    "EmbeddedBackend",
    "Meeting",
    "MilitaryDevelopment",
    "ModelError",
    "OpenAICompatibleBackend",
    "Provenance",
    "ResultCache",
    "Sentence",
    "ServerModeWarning",
    "Span",
    "StatedPosition",
    "Summarizer",
    "SummarizerError",
    "asummarize",
    "installed_backends",
    "load_article",
    "make_backend",
    "split_sentences",
    "summarize",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def summarize(
    article: ArticleInput | None = None,
    *,
    text: str | None = None,
    path: str | Path | None = None,
    id: str | None = None,
    backend: Backend | None = None,
    **options: Any,
) -> Briefing:
    """Brief one article: its text (a ``str`` or ``text=``), a file (a ``Path`` or ``path=``), a
    mapping of its fields or an open stream. Without a backend, the embedded model is loaded
    for this call; use a :class:`Summarizer` to keep it loaded across articles."""
    from .briefing import Summarizer

    with Summarizer(backend, **options) as summarizer:
        return summarizer.summarize(article, text=text, path=path, id=id)


async def asummarize(
    article: ArticleInput | None = None,
    *,
    text: str | None = None,
    path: str | Path | None = None,
    id: str | None = None,
    backend: Backend | None = None,
    **options: Any,
) -> Briefing:
    """The async twin of :func:`summarize`."""
    from .briefing import Summarizer

    with Summarizer(backend, **options) as summarizer:
        return await summarizer.asummarize(article, text=text, path=path, id=id)
