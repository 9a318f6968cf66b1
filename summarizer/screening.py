"""Stage 1b: checks an article passes before it is briefed: its language and its date.

The prompts, the contract's annotation rules, the sentence splitter and the date resolver
are all English-only: a small model given a French article writes an English briefing of
what it half understood, and nothing downstream can tell. So an article that is confidently
in another language is refused with an :class:`~summarizer.errors.ArticleError` (the caller
can opt out), rather than briefed with a warning that a batch run would scroll past.

A published date in the future is only warned about: the article's own dateline is still
the best anchor for "on Monday", and a publisher ahead of UTC or a scheduled story is not
an error.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .article import Article
from .errors import ArticleError, ArticleWarning

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ENGLISH = "en"
#: below this many words a language guess is noise (names, a headline): never refuse
MIN_WORDS = 12
#: refuse Latin-script text only when the classifier is this sure of another language: a
#: short English brief quoting a sentence of Turkish can score 0.94 for Turkish
MIN_CONFIDENCE = 0.99
#: text with fewer Latin letters than this share is not English whatever the classifier's
#: confidence (it splits its probability between Arabic, Persian and Urdu, say)
MIN_LATIN_SHARE = 0.5
#: a published date up to a day ahead of UTC is a publisher in an earlier-rising time zone
FUTURE_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class LanguageGuess:
    """An ISO 639-1 code, the classifier's probability for it (0..1), and the share of the
    text's letters that are Latin."""

    code: str
    probability: float
    latin_share: float

    @property
    def confidently_not_english(self) -> bool:
        return self.code != ENGLISH and (
            self.probability >= MIN_CONFIDENCE or self.latin_share < MIN_LATIN_SHARE
        )


@functools.cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model (pure Python and numpy, loaded once, about half a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> LanguageGuess | None:
    """The language of ``text`` when it is long enough to tell, else None."""
    if len(text.split()) < MIN_WORDS:
        return None
    code, probability = _identifier().classify(text)
    letters = [c for c in text if c.isalpha()]
    latin = sum("LATIN" in unicodedata.name(c, "") for c in letters)
    return LanguageGuess(code, float(probability), latin / len(letters) if letters else 1.0)


def check_language(article: Article) -> None:
    """Refuse an article that is confidently not English (see the module docstring)."""
    guess = detect_language(article.text)
    if guess is None or not guess.confidently_not_english:
        return
    raise ArticleError(
        f"article {article.id!r} appears to be in language {guess.code!r} (ISO 639-1, confidence "
        f"{guess.probability:.2f}), and the prompts and the briefing contract are English-only; "
        "pass --allow-any-language (allow_any_language=True in Python) to brief it anyway"
    )


def check_published(article: Article, today: dt.date | None = None) -> None:
    """Warn when the published date is after tomorrow (UTC); it stays the reference date."""
    today = today or dt.datetime.now(dt.UTC).date()
    if article.published is not None and article.published > today + FUTURE_SLACK:
        warnings.warn(
            f"article {article.id!r}: published date {article.published.isoformat()} is in the "
            "future; relative dates such as 'on Monday' are resolved against it anyway",
            ArticleWarning,
            stacklevel=2,
        )


def screen(article: Article, *, allow_any_language: bool = False) -> None:
    """Every check, in the order a user would want to hear about them."""
    if not allow_any_language:
        check_language(article)
    check_published(article)
