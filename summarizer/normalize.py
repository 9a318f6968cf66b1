"""Stage 5: deterministic normalisation after the model: dates, names and ids.

The model writes a date as the phrase in the article; dateparser resolves it against the
article's published date with the precision the phrase has. Names become stable slug ids.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pycountry
from countryinfo import CountryInfo
from dateparser.date import DateDataParser
from dateparser.search import search_dates

from .contract import DateRef

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: words that place something within a day ("early Sunday", "late on Sunday", "Sunday evening"):
#: with a weekday they name that weekday
_DAY_PARTS = frozenset(
    ("early", "late", "on", "the", "of", "morning", "afternoon", "evening", "night", "overnight")
)
_LEADING_WORDS = re.compile(r"^(on|in|at|since|by|from|during|until|of)\s+", re.IGNORECASE)
_FUTURE = re.compile(r"\b(will|shall|would|is to|are to|plans? to|scheduled|next)\b", re.IGNORECASE)
_DAY_RANGE = re.compile(r"\b(\d{1,2})\s*(?:and|to|-|–)\s*\d{1,2}\b")
_VAGUE = re.compile(r"\b(coming|soon|recent|recently|past few)\b", re.IGNORECASE)
#: "earlier this month", "later this year": the period is the precision the phrase gives
_WITHIN = re.compile(r"^(?:earlier|later|early|late)\s+(?=this\s+(?:week|month|year)\b)", re.I)


def slugify(name: str) -> str:
    """A lowercase ASCII id: "Türkiye's Foreign Ministry" -> "turkiyes-foreign-ministry"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("'", "").replace("’", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "actor"


@lru_cache(maxsize=4096)  # grounding folds each sentence and name many times over
def fold(text: str) -> str:
    """Case, diacritics and punctuation folded, for comparing names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


#: Generic variants of country names, folded, each with the form they are compared as.
#: Only names that differ in more than case, accents or punctuation need an entry.
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "turkey": ("turkiye", "republic of turkey", "republic of turkiye"),
    "united states": ("us", "u s", "usa", "u s a", "united states of america", "america"),
    "united kingdom": ("uk", "u k", "britain", "great britain"),
    "russia": ("russian federation",),
    "china": ("peoples republic of china", "people s republic of china", "prc"),
    "north korea": (
        "dprk",
        "democratic peoples republic of korea",
        "democratic people s republic of korea",
    ),
    "south korea": ("republic of korea", "rok"),
    "iran": ("islamic republic of iran",),
    "syria": ("syrian arab republic",),
    "democratic republic of the congo": (
        "drc",
        "dr congo",
        "democratic republic of congo",
        "congo kinshasa",
    ),
    "united arab emirates": ("uae",),
    "myanmar": ("burma",),
    "cote d ivoire": ("ivory coast",),
    "czechia": ("czech republic",),
    "netherlands": ("holland",),
}

#: Words of a title written before a person's name ("Foreign Minister", "Secretary of State").
TITLE_WORDS = frozenset(
    """
    president vice prime minister foreign defence defense interior secretary general spokesman
    spokeswoman spokesperson chancellor king queen prince crown emir sheikh chief commander
    envoy ambassador special representative leader senator governor mayor deputy premier
    director chairman chairwoman chair speaker commissioner supreme mr mrs ms dr gen col lt adm
    maj pope sultan state affairs staff admiral colonel lieutenant brigadier marshal captain high
""".split()
)
#: words that join a title's parts ("Secretary of State"), not a name's
TITLE_JOINERS = frozenset({"of", "the", "for", "and"})
#: lower-case parts of personal names: "bin" in "Omar bin Tariq", "al-" in "al-Tamir"
_NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "bint", "ibn", "abu", "de", "da", "di", "van", "von"}
)


def _particle(word: str) -> bool:
    head, _, tail = word.partition("-")
    return head in _NAME_PARTICLES and (not tail or tail[:1].isupper())


#: Words that make a name an organisation's ("State Security Council"), not a person's.
BODY_WORDS = frozenset(
    """
    council ministry committee forces force army navy group front party union agency department
    office government commission organization organisation brigade corps guard guards authority
    court bank assembly parliament senate congress command service services police movement
    coalition alliance nations states republic kingdom
""".split()
)


def separate_title(name: str) -> tuple[str, str | None]:
    """A name without the title written before it, and the title.

    "Foreign Minister Elena Varga" gives ("Elena Varga", "Foreign Minister"); a name with no
    title, or without a person's name of two or more words after it ("Defence Ministry",
    "General Renn", "State Security Council"), is returned whole.
    """
    words = name.split()

    def is_title(word: str) -> bool:
        return any(part in TITLE_WORDS for part in fold(word).split())

    titled = [i for i, word in enumerate(words) if is_title(word)]
    if not titled:
        return name, None
    rest = words[titled[-1] + 1 :]
    if (
        len(rest) < 2
        or not all(word[:1].isupper() or _particle(word) for word in rest)
        or any(fold(w) in TITLE_JOINERS | BODY_WORDS for w in rest)
    ):
        return name, None  # "General Renn" stays whole: a lone surname is less of a name
    first = next(i for i in titled if fold(words[i]) not in TITLE_JOINERS)
    return " ".join(rest), " ".join(words[first : titled[-1] + 1])


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    names = {
        fold(n)
        for c in pycountry.countries
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None))
        if n
    }
    names.update(fold(n) for name, variants in COUNTRY_VARIANTS.items() for n in (name, *variants))
    return frozenset(names)


def country_variants(name: str) -> tuple[str, ...]:
    """The folded forms of a country besides its own name: "turkiye" for "Turkey" and the
    other way round, "uk" and "britain" for "United Kingdom". Never "us": in folded text
    it is the pronoun as often as the country."""
    folded = re.sub(r"^the ", "", fold(name))
    for canonical, variants in COUNTRY_VARIANTS.items():
        forms = (canonical, *variants)
        if folded in forms:
            return tuple(f for f in forms if f not in (folded, "us"))
    return ()


def _capital_forms_of(record: Mapping[str, object]) -> tuple[str, ...]:
    """The folded forms of a countryinfo record's capital: "washington d c" and "washington".
    The field is a string or a list; its first value is the capital."""
    value = record.get("capital")
    value = value[0] if isinstance(value, list) and value else value
    capital = fold(value) if isinstance(value, str) else ""
    return tuple(dict.fromkeys(c for c in (capital, capital.removesuffix(" d c")) if c))


@lru_cache(maxsize=1)
def _capital_forms_by_country() -> dict[str, tuple[str, ...]]:
    """Folded country name (and long alternative spellings) -> the folded forms of its capital."""
    capitals: dict[str, tuple[str, ...]] = {}
    for key, record in CountryInfo.all().items():
        for name in (
            key,
            record.get("name") or "",
            *(a for a in record.get("altSpellings", []) if len(a) > 3),
        ):
            capitals.setdefault(fold(name), _capital_forms_of(record))
    return capitals


def capital_forms(name: str) -> tuple[str, ...]:
    """The folded capital of a country ("moscow" for Russia): news writes a government by its
    capital ("Moscow said"), which the contract makes an alias of the country (rule 3)."""
    by_country = _capital_forms_by_country()
    for form in (re.sub(r"^the ", "", fold(name)), *country_variants(name)):
        if form in by_country:
            return by_country[form]
    return ()


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Folded capital -> the country's name as countryinfo records it."""
    capitals: dict[str, str] = {}
    for record in CountryInfo.all().values():
        for form in _capital_forms_of(record):
            if record.get("name"):
                capitals.setdefault(form, record["name"])
    return capitals


def capital_of(name: str) -> str | None:
    """The country whose capital the name is ("Russia" for "Moscow"), or None."""
    return _capitals().get(fold(name))


def is_country(name: str) -> bool:
    """Is this the name of a country (ISO 3166 names, common names and the usual variants)?"""
    return re.sub(r"^the ", "", fold(name)) in _country_names()


_UN_PREFIX = re.compile(r"^(?:the\s+)?(?:U\.?\s?N\.?|United\s+Nations)\s+(?=[A-Z])")


def un_organ(name: str) -> str | None:
    """The organ a "UN ..." name gives ("Security Council" of "U.N. Security Council"), or
    None: the UN's organs are international organisations (contract, actor types), and the
    article may name one with or without the prefix."""
    match = _UN_PREFIX.match(name)
    return name[match.end() :] if match else None


def _settings(base: dt.date | None, prefer: str) -> dict[str, object]:
    settings: dict[str, object] = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    return settings


@lru_cache(maxsize=8)
def _parser(base: dt.date | None, prefer: str) -> DateDataParser:
    return DateDataParser(languages=["en"], settings=_settings(base, prefer))


def _format(value: dt.datetime, period: str) -> str:
    """The date at the period's precision; a week has none in ISO dates, so its month."""
    if period == "year":
        return f"{value.year:04d}"
    if period in ("month", "week"):
        return f"{value.year:04d}-{value.month:02d}"
    return value.date().isoformat()


def resolve_date(
    phrase: str, published: dt.date | None, sentence: str = "", future: bool | None = None
) -> str | None:
    """The ISO value of a date phrase, at the precision the phrase gives, or None.

    A bare weekday is the most recent such day on or before the published date, or the next
    one when the item is still to come (contract § DateRef): ``future`` when the caller knows
    it (a planned item), else when the sentence has a future marker anywhere.
    """
    cleaned = _WITHIN.sub("", _LEADING_WORDS.sub("", phrase.strip().rstrip(".,;")).strip())
    if not cleaned or _VAGUE.search(cleaned):
        return None
    future = bool(_FUTURE.search(sentence)) if future is None else future
    lowered = _weekday_of(cleaned.lower())
    if lowered in _WEEKDAYS:
        if published is None:
            return None
        delta = (published.weekday() - _WEEKDAYS.index(lowered)) % 7
        day = (
            published + dt.timedelta(days=(7 - delta) % 7)
            if future
            else published - dt.timedelta(days=delta)
        )
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


def _weekday_of(phrase: str) -> str:
    """The weekday a phrase names with only parts of a day around it, else the phrase itself:
    date parsers read "early Sunday" on a Sunday dateline as the Sunday before."""
    words = phrase.split()
    days = [w for w in words if w in _WEEKDAYS]
    if len(days) == 1 and all(w in _WEEKDAYS or w in _DAY_PARTS for w in words):
        return days[0]
    return phrase


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan\\.?|Feb\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?"
)
#: a capitalised word of a place name, without a possessive "'s" ("Ma'arat" whole, "Hama's" as
#: "Hama")
_PLACE_WORD = r"[A-Z](?:[\w-]|['’](?!s\b))+"
_PLACE_KINDS = "town|city|village|port|region|province|district|governorate|area"
#: "in Ostrov", "near the town of Mirna", "in the Kessel region": where a sentence puts an event
_PLACE = re.compile(
    r"(?:\b(?:in|near|outside|around|at|outskirts of)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central|northern|southern|eastern|western|north-?\w+|south-?\w+)\s+)?"
    r"(?:(?:" + _PLACE_KINDS + r") of\s+)?"
    r"|\bthe\s+(?:" + _PLACE_KINDS + r") of\s+)"
    r"("
    + _PLACE_WORD
    + r"(?:\s+(?:"
    + _PLACE_WORD
    + r"|region|province|city|district|governorate|oblast|valley|state))*)"
)
_NOT_PLACES = re.compile(
    r"^(?:" + _MONTHS + r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"The|A|An|This|That|His|Her|Their|Its)\b"
)


def stated_place(sentence: str, not_places: Iterable[str] = ()) -> str | None:
    """The first place a sentence puts something in ("in Ostrov"), skipping dates and the
    folded names in ``not_places`` (people and organisations), or None."""
    skip = set(not_places)
    for found in _PLACE.finditer(sentence):
        place = found.group(1)
        if not _NOT_PLACES.match(place) and fold(place) not in skip:
            return place
    return None


_WEEKDAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
#: "on Wednesday", "Dec. 3 and 4", "7 November 2024", "last month": when a sentence says something
#: happened
_DATE_PHRASE = re.compile(
    r"\b(?:(?:on|since|by|until)\s+)?(?:"
    r"(?:" + _WEEKDAY_NAMES + r")(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:" + _MONTHS + r")\s+\d{1,2}(?:\s*(?:and|-|–)\s*\d{1,2})?(?:,?\s+\d{4})?"
    r"|\d{1,2}\s+(?:" + _MONTHS + r")(?:\s+\d{4})?"
    r"|(?:last|this|next)\s+(?:week|month|year)|yesterday|today)\b"
)
#: "said on Monday", "told reporters Wednesday": the date of the telling, not of what is told
#: (contract rule 11)
_TOLD_ON = re.compile(r"\b(?:said|says|told\s+\w+|announced|reported|stated|added)\s*,?\s*$")


def stated_date(sentence: str) -> str | None:
    """The first date phrase of a sentence that dates what happened, not when it was said."""
    for found in _DATE_PHRASE.finditer(sentence):
        if not _TOLD_ON.search(sentence[: found.start()]):
            return found.group(0)
    return None


_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen "
        "eighteen nineteen twenty".split()
    )
}


def _number_pattern(group: str) -> str:
    """A stated number ("at least 15", "four") captured as ``group``."""
    return (
        r"(?:at least |as many as |more than |some |about |nearly |around )?(?P<"
        + group
        + r">\d[\d,]*|"
        + "|".join(_NUMBER_WORDS)
        + ")"
    )


#: "killing at least 15", "15 people were killed", "four civilians died": a toll and what it counts
_TOLL = re.compile(
    r"\b(?:(?P<verb>killing|wounding|injuring)\s+"
    + _number_pattern("counted")
    + r"|"
    + _number_pattern("count")
    + r"\s+(?:[\w-]+\s+){0,3}?(?:were\s+|had been\s+|have been\s+)?"
    r"(?P<after>killed|dead|died|wounded|injured|hurt))\b",
    re.IGNORECASE,
)


def _number(text: str) -> int | None:
    text = text.lower().replace(",", "")
    return int(text) if text.isdigit() else _NUMBER_WORDS.get(text)


def stated_toll(sentence: str) -> tuple[int | None, int | None]:
    """(killed, injured) as a sentence states them ("at least 15" gives 15), else None.
    A combined figure ("274 killed and injured") counts neither (contract rule 22)."""
    killed = injured = None
    for found in _TOLL.finditer(sentence):
        word = (found.group("verb") or found.group("after")).lower()
        value = _number(found.group("counted") or found.group("count"))
        if re.match(r"\s+and\s+(?:injured|wounded|killed)", sentence[found.end() :]):
            continue
        if word in ("killing", "killed", "dead", "died"):
            killed = killed or value
        else:
            injured = injured or value
    return killed, injured


def date_ref(
    phrase: str | None,
    published: dt.date | None,
    sentence: str = "",
    future: bool | None = None,
) -> DateRef | None:
    if phrase is None or not phrase.strip():
        return None
    return DateRef(value=resolve_date(phrase, published, sentence, future), text=phrase.strip())
