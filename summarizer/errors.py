"""The exceptions users can catch, and the warnings they may see.

Everything the package raises on purpose derives from :class:`SummarizerError`, so one
``except SummarizerError`` is enough; the subclasses say which stage failed. Input that can
be briefed but deserves a look gives an :class:`ArticleWarning`, a server that needed another
structured-output mode a :class:`ServerModeWarning` (Python ``warnings``).
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose."""


class ArticleError(SummarizerError, ValueError):
    """The input article cannot be read or is not usable (empty, undecodable, malformed
    metadata)."""


class ArticleWarning(UserWarning):
    """The article can be briefed, but something about it may make the briefing wrong
    (a published date in the future, so relative dates resolve against it)."""


class ServerModeWarning(UserWarning):
    """A server refused how it was asked for structured output, and the backend asks it in
    another mode instead (README § Other models and servers): the briefing is still made."""


class ContractError(SummarizerError, ValueError):
    """A briefing or gold file breaks the briefing contract (bad reference, span not in the
    article...)."""


class ConfigurationError(SummarizerError):
    """The backend or model is misconfigured: missing model file, bad hash, unknown option."""


class ModelError(SummarizerError):
    """The language model did not produce a usable answer after every retry and re-ask.

    ``article_id`` names the article, ``attempts`` counts the calls made, and ``__cause__``
    holds the last underlying error.
    """

    def __init__(self, message: str, *, article_id: str | None = None, attempts: int = 0) -> None:
        super().__init__(message)
        self.article_id = article_id
        self.attempts = attempts
