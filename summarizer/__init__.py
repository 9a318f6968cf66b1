"""summarizer: evidence-grounded briefings of geopolitical news articles.

>>> from summarizer import summarize                       # doctest: +SKIP
>>> briefing = summarize("article.txt")                     # embedded model, no API key
>>> [actor.name for actor in briefing.actors]               # doctest: +SKIP

For many articles keep one :class:`Summarizer` (the model stays loaded). Any
OpenAI-compatible server works through ``make_backend("openai", base_url=..., model=...)``.
"""

from __future__ import annotations

from typing import Any

from .article import Article, Sentence, load_article, split_sentences
from .backends import Backend, EmbeddedBackend, OpenAICompatibleBackend, make_backend
from .briefing import ArticleInput, Summarizer
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
from .errors import ArticleError, ArticleWarning, ConfigurationError, ContractError, ModelError, SummarizerError

__all__ = [
    "Actor",
    "Article",
    "ArticleError",
    "ArticleWarning",
    "ArticleInput",
    "ArticleRef",
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
    "Span",
    "StatedPosition",
    "Summarizer",
    "SummarizerError",
    "asummarize",
    "load_article",
    "make_backend",
    "split_sentences",
    "summarize",
]


def summarize(article: ArticleInput, *, backend: Backend | None = None, **options: Any) -> Briefing:
    """Brief one article. Without a backend, the embedded model is loaded for this call;
    use a :class:`Summarizer` to keep it loaded across articles."""
    with Summarizer(backend, **options) as summarizer:
        return summarizer.summarize(article)


async def asummarize(article: ArticleInput, *, backend: Backend | None = None, **options: Any) -> Briefing:
    """The async twin of :func:`summarize`."""
    with Summarizer(backend, **options) as summarizer:
        return await summarizer.asummarize(article)
