"""Stage 5: deterministic normalisation after the model: dates, names and ids.

The model writes a date as the phrase in the article; dateparser resolves it against the
article's published date with the precision the phrase has. Names become stable slug ids.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from .contract import DateRef

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_LEADING_WORDS = re.compile(r"^(on|in|at|since|by|from|during|until|of)\s+", re.IGNORECASE)
_FUTURE = re.compile(r"\b(will|shall|would|is to|are to|plans? to|scheduled|next)\b", re.IGNORECASE)
_DAY_RANGE = re.compile(r"\b(\d{1,2})\s*(?:and|to|-|–)\s*\d{1,2}\b")
_VAGUE = re.compile(r"\b(coming|soon|recent|recently|past few|later this|earlier this)\b", re.IGNORECASE)


def slugify(name: str) -> str:
    """A lowercase ASCII id: "Türkiye's Foreign Ministry" -> "turkiyes-foreign-ministry"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("'", "").replace("’", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "actor"


def fold(text: str) -> str:
    """Case, diacritics and punctuation folded, for comparing names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def _settings(base: dt.date | None, prefer: str) -> dict[str, object]:
    settings: dict[str, object] = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    return settings


@lru_cache(maxsize=8)
def _parser(base: dt.date | None, prefer: str) -> DateDataParser:
    return DateDataParser(languages=["en"], settings=_settings(base, prefer))


def _format(value: dt.datetime, period: str) -> str:
    if period == "year":
        return f"{value.year:04d}"
    if period == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.date().isoformat()


def resolve_date(phrase: str, published: dt.date | None, sentence: str = "") -> str | None:
    """The ISO value of a date phrase, at the precision the phrase gives, or None.

    A bare weekday is the most recent such day on or before the published date, or the next
    one when the sentence is in the future tense (contract § DateRef).
    """
    cleaned = _LEADING_WORDS.sub("", phrase.strip().rstrip(".,;")).strip()
    if not cleaned or _VAGUE.search(cleaned):
        return None
    future = bool(_FUTURE.search(sentence))
    lowered = cleaned.lower()
    if lowered in _WEEKDAYS:
        if published is None:
            return None
        delta = (published.weekday() - _WEEKDAYS.index(lowered)) % 7
        day = published + dt.timedelta(days=(7 - delta) % 7) if future else published - dt.timedelta(days=delta)
        return day.isoformat()
    has_year = bool(re.search(r"\b\d{4}\b", cleaned))
    if published is None and not has_year:
        return None
    prefer = "future" if future else "past"
    parser = _parser(published, prefer)
    first_day = _DAY_RANGE.sub(r"\1", cleaned)  # "Dec. 3 and 4", "21-22 January": the first day
    data = parser.get_date_data(first_day)
    if data.date_obj is None:  # "Dec. 3 and 4": the first date in the phrase
        found = search_dates(first_day, languages=["en"], settings=_settings(published, prefer))
        if not found:
            return None
        data = parser.get_date_data(found[0][0])
        if data.date_obj is None:
            return None
    return _format(data.date_obj, data.period or "day")


def date_ref(phrase: str | None, published: dt.date | None, sentence: str = "") -> DateRef | None:
    if phrase is None or not phrase.strip():
        return None
    return DateRef(value=resolve_date(phrase, published, sentence), text=phrase.strip())
