"""Many different invented articles, and the right answer to every pass over each of them.

Article ``i`` is the sample article with every name replaced by invented ones (countries,
people, places, the armed group), so it has the same sentences to cite; its answers are
the sample script with the same replacements. :func:`invented_answer` recognises the article
in a request by its foreign minister's name and answers the pass that was asked for.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from summarizer.normalize import slugify

from .conftest import SAMPLE, SAMPLE_SCRIPT

COUNTRIES = ["Vesteria", "Morania", "Calvaria", "Dorlania", "Estovia", "Galdonia", "Harvonia", "Ilmaria",
             "Jorvenia", "Kestria", "Lormania", "Norvalia", "Pellaria", "Quarnia", "Sorvania", "Tellaria",
             "Urvania", "Varnesia", "Wendaria", "Yselia", "Zornia"]
FIRST_NAMES = ["Ilse", "Marta", "Petra", "Dana", "Lia", "Nora", "Vera", "Irena", "Sofia", "Hana", "Mila"]
MEN = ["Pavel", "Oskar", "Emil", "Jonas", "Viktor", "Lukas", "Matej"]
SURNAMES = ["Adler", "Baros", "Cerny", "Dovic", "Ekman", "Falk", "Gorin", "Holm", "Ivic", "Jansa", "Kolar",
            "Lind", "Moravec", "Novak", "Ostric", "Pavlin", "Quist", "Roth", "Sokol", "Tamm", "Vidal"]
OTHER_SURNAMES = ["Berg", "Dusek", "Fiala", "Hajek", "Kunz", "Mares", "Ruzic", "Stolz"]
TOWNS = ["Belko", "Darin", "Feston", "Gora", "Hallin", "Ivno", "Kasp", "Lusk", "Marov", "Nesh", "Orlin"]
RIVERS = ["Dorn", "Vell", "Tasse", "Sill", "Rave", "Lorn", "Amsel"]
GROUPS = ["Eastern Liberation Front", "Southern Freedom Front", "Western Unity Front",
          "Northern Resistance Front", "Highland Liberation Front", "Coastal Freedom Front"]


def _replacements(i: int) -> list[tuple[str, str]]:
    """(sample name, invented name) pairs for article ``i``: full names before surnames, ids too."""
    people = {
        "Elena Varga": f"{FIRST_NAMES[i % 11]} {SURNAMES[i % 21]}",
        "Tomas Brenner": f"{MEN[i % 7]} {OTHER_SURNAMES[i % 8]}",
        "Anton Kral": f"{MEN[(i + 3) % 7]} {OTHER_SURNAMES[(i + 3) % 8]}",
        "Sam Okafor": f"{FIRST_NAMES[(i + 5) % 11]} {OTHER_SURNAMES[(i + 5) % 8]}",
    }
    pairs = []
    for sample, invented in people.items():
        pairs += [(sample, invented), (slugify(sample), slugify(invented))]
    pairs += [("Varga", people["Elena Varga"].split()[1]), ("Okafor", people["Sam Okafor"].split()[1])]
    group = GROUPS[i % 6]
    pairs += [("Northern Liberation Front", group), ("northern-liberation-front", slugify(group))]
    country_a, country_b = COUNTRIES[i % 21], COUNTRIES[(i + 7) % 21]
    pairs += [("Ruritania", country_a), ("ruritania", country_a.lower()),
              ("Valdoria", country_b), ("valdoria", country_b.lower())]
    pairs += [("Ostrov", TOWNS[i % 11]), ("Mirna", TOWNS[(i + 4) % 11]), ("Kessel", RIVERS[i % 7])]
    return pairs


def _replace(text: str, pairs: list[tuple[str, str]]) -> str:
    for sample, invented in pairs:
        text = text.replace(sample, invented)
    return text


def invented_article(i: int) -> tuple[str, dict[str, str]]:
    """The text of article ``i`` (title line first) and its answer for each pass by draft name."""
    pairs = _replacements(i)
    answers = {name: _replace(str(script[0]), pairs) for name, script in SAMPLE_SCRIPT.items()}
    return _replace(SAMPLE.read_text(encoding="utf-8"), pairs), answers


def write_corpus(folder: Path, count: int) -> list[Path]:
    """``count`` invented articles as ``story-NN.txt`` files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"story-{i:02}.txt"
        path.write_text(invented_article(i)[0], encoding="utf-8")
        paths.append(path)
    return paths


_MINISTER = re.compile(r"Foreign Minister (\w+ \w+) held")
_BY_MINISTER = {_replacements(i)[0][1]: i for i in range(21)}


def article_index(body: dict[str, Any]) -> int:
    """Which invented article a chat-completions request is about."""
    text = " ".join(str(m.get("content")) for m in body["messages"])
    [index] = {_BY_MINISTER[name] for name in _MINISTER.findall(text) if name in _BY_MINISTER}
    return index


def invented_answer(body: dict[str, Any]) -> str:
    """The fault server's answer to a request about an invented article."""
    name = body["response_format"]["json_schema"]["name"]
    return invented_article(article_index(body))[1].get(name, '{"items": []}')
