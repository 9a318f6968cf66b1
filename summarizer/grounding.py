"""Stage 4: ground the model's drafts in the article and make them contract items.

Sentence numbers become character spans copied from the article, so a briefing can only
cite text that is there. Actors get stable slug ids; the same actor written twice (or
once by name and once by alias) becomes one actor. Items repeated by the model are
dropped, as are items the contract rules out (a meeting with fewer than two participants).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from .article import Article
from .contract import Actor, Meeting, MilitaryDevelopment, Span, StatedPosition
from .drafts import SENTENCE
from .normalize import BODY_WORDS as _BODY_WORDS
from .normalize import TITLE_WORDS
from .normalize import (
    capital_forms,
    capital_of,
    country_variants,
    date_ref,
    fold,
    is_country,
    slugify,
    split_title,
    stated_date,
    stated_place,
    stated_toll,
)

_QUOTED = re.compile(r"[\"“”„«]([^\"“”„«»]{3,}?)[\"“”»]")


def _cues(*stems: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(stems) + r")", re.IGNORECASE)


# What a sentence must say for an item of each section to stand on it. Small models turn any
# sentence near an actor into a meeting, a clash or a "demand"; a meeting needs words of
# contact, a development words of force or its end, a position words of saying or standing.
SECTION_CUES = {
    "meetings": _cues(
        "met\\b", "meet", "talks", "talked", "phone", "call", "visit", "summit", "conference", "host", "receiv",
        "discuss", "negotiat", "session", "gather", "convened", "consultation", "dialogue", "delegation",
        "sidelines", "spoke", "held", "round of", "hosted", "welcomed", "forum", "assembly", "council"),
    "military_developments": _cues(
        "attack", "strike", "struck", "airstrike", "bomb", "shell", "missile", "rocket", "drone", "fight", "fought",
        "clash", "battle", "offensive", "assault", "captur", "seiz", "took control", "taken control", "control of",
        "recaptur", "advanc", "retreat", "withdr", "pull", "deploy", "troop", "forces", "soldier", "army", "militar",
        "ceasefire", "cease-fire", "truce", "cessation", "hostilities", "kill", "dead", "death", "casualt", "wound",
        "injur", "explo", "blast", "launch", "fire", "artillery", "invasion", "invad", "occup", "siege", "raid",
        "ambush", "shot down", "intercept", "war\\b", "combat", "front", "weapon", "enter", "fell", "fall of",
        "overr", "liberat", "besieg", "destroy", "target"),
    "stated_positions": _cues(
        "said", "say", "told", "tell", "stated", "statement", "stress", "emphasi", "underlin", "insist", "added",
        "adding", "adds", "noted", "warn", "urg", "call", "demand", "condemn", "denounc", "accus", "blam", "deni",
        "deny", "reject", "vow", "pledg", "promis", "commit", "support", "backed", "backing", "welcom", "prais",
        "express", "announc", "declar", "threat", "assert", "argu", "believ", "hope", "want", "ask", "appeal",
        "according to", "quot", "describ", "critici", "agree", "oppos", "refus", "confirm", "recogni", "acknowledg",
        "claim", "predict", "expect", "stance", "consider", "seek", "sought", "must", "should", "need", "wrote",
        "posted", "respond", "repl", "thank", "congratulat", "condolence", "solidarity", "regret", "dismiss"),
}


def states(section: str, evidence: Sequence[Span]) -> bool:
    """Does the evidence say anything of the kind the section holds (see :data:`SECTION_CUES`)?"""
    quoted = section == "stated_positions" and any(_QUOTED.search(span.text) for span in evidence)
    return quoted or any(SECTION_CUES[section].search(span.text) for span in evidence)


def spans(article: Article, numbers: Iterable[int]) -> list[Span]:
    """Evidence spans for sentence numbers, in article order, each sentence once."""
    by_number = {s.number: s for s in article.sentences}
    chosen = sorted({n for n in numbers if n in by_number})
    return [Span(start=by_number[n].start, end=by_number[n].end, text=by_number[n].text) for n in chosen]


def _evidence_text(evidence: Sequence[Span]) -> str:
    return " ".join(span.text for span in evidence)


def find_quote(evidence: Sequence[Span]) -> str | None:
    """The longest passage inside quotation marks in the evidence, verbatim, or None."""
    quotes = [m.group(1).strip() for span in evidence for m in _QUOTED.finditer(span.text)]
    quotes = [q for q in quotes if len(q.split()) >= 2]
    return max(quotes, key=len) if quotes else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value if value and value.lower() not in {"null", "none", "n/a", "unknown"} else None


def mentions(article: Article, forms: Iterable[str]) -> list[int]:
    """Numbers of the sentences that mention any of the name forms (folded, whole words)."""
    patterns = [re.compile(rf"\b{re.escape(f)}\b") for f in forms if f]
    return [s.number for s in article.sentences if any(p.search(fold(s.text)) for p in patterns)]


def name_forms(name: str, actor_type: str, aliases: Iterable[str] = ()) -> list[str]:
    """The folded forms an actor goes by: name, aliases, a country's usual variants
    ("Turkey" is named by "Türkiye") and a person's surname."""
    forms = [fold(name), *(fold(a) for a in aliases)]
    if actor_type == "country":  # its capital is a name only where it acts (Aligner)
        forms = [f for f in forms if f not in capital_forms(name)]
        forms.extend(country_variants(name))
    if actor_type == "person" and len(name.split()) > 1:
        forms.append(fold(name.split()[-1]))
    return [f for f in dict.fromkeys(forms) if f]


def _actor_evidence(article: Article, name: str, actor_type: str, cited: Iterable[int]) -> list[Span]:
    """The first sentence that names the actor, plus cited sentences that name it.

    Small models often cite a neighbouring sentence; the name itself is a better anchor.
    When the name is nowhere (the model normalised it), the cited sentences stand.
    """
    found = mentions(article, name_forms(name, actor_type))
    if not found:
        return spans(article, cited)
    return spans(article, [found[0], *(n for n in cited if n in found)][:3])


@dataclass
class _ActorRecord:
    name: str
    type: str
    role: str | None
    affiliation: str | None
    cited: list[int]
    aliases: list[str] = field(default_factory=list)

    def forms(self) -> set[str]:
        return {fold(self.name), *(fold(a) for a in self.aliases)}

    def surname(self) -> str | None:
        words = self.name.split()
        return fold(words[-1]) if self.type == "person" and len(words) > 1 else None


def _force_key(name: str) -> str | None:
    """ "valdorian" for "Valdorian troops", "Valdorian army" or "Valdoria's forces": a state's
    forces go by several nouns, and the contract makes them one actor."""
    words = fold(name).split()
    if len(words) in (2, 3) and words[-1] in _FORCE_NOUNS and words[0] not in _NOT_A_NAME:
        return words[0] + ("_s" if words[1:2] == ["s"] else "")
    return None


def _same_actor(known: _ActorRecord, new: _ActorRecord) -> bool:
    """Same name or alias, the same state's forces, or a lone surname of a person ("Varga" and
    "Elena Varga")."""
    if known.forms() & new.forms():
        return True
    if known.type == new.type == "military" and _force_key(known.name) and _force_key(known.name) == _force_key(new.name):
        return True
    lone = len(new.name.split()) == 1 and fold(new.name) == known.surname()
    return lone or (len(known.name.split()) == 1 and fold(known.name) == new.surname())


_POSSESSIVE = re.compile(r"^(?:the\s+)?(.+?)['’]s\s+(.+)$", re.IGNORECASE)


def _free_id(name: str, taken: set[str]) -> str:
    """The slug of a name, numbered ("elena-varga-2") when another actor has it."""
    base, n = slugify(name), 2
    actor_id = base
    while actor_id in taken:
        actor_id, n = f"{base}-{n}", n + 1
    return actor_id


def _possessive(name: str) -> tuple[str | None, str]:
    """("Valdoria", "army chief Ivo Renn") for "Valdoria's army chief Ivo Renn": a country's
    possessive is an affiliation, not part of the name. Anything else is left whole."""
    match = _POSSESSIVE.match(name)
    if match is None or not is_country(match.group(1)) or len(match.group(2).split()) < 2:
        return None, name
    return match.group(1), match.group(2)


_LOCATIVE = frozenset({"in", "at", "from", "to", "near", "outside", "into", "across", "around", "toward", "towards"})


def only_a_place(article: Article, name: str) -> bool:
    """Is the name only ever where things happen ("talks in Geneva"), never who acts?
    Small models list the places of an article among its actors."""
    folded = fold(name)
    if not folded:
        return False
    dateline = _DATELINE.match(article.text)
    text = fold(article.text[dateline.end():] if dateline else article.text)  # "TRIPOLI -" is where it was written
    before = [text[: m.start()].split()[-1:] for m in re.finditer(rf"\b{re.escape(folded)}\b", text)]
    in_dateline = dateline is not None and re.search(rf"\b{re.escape(folded)}\b", fold(dateline.group(0)))
    return (bool(before) or bool(in_dateline)) and all(words and words[0] in _LOCATIVE for words in before)


def _actor_type(name: str, stated: str) -> str:
    """Small models type countries as government bodies; a country's name settles it."""
    return "country" if stated in ("government_body", "other") and is_country(name) else stated


def ground_actors(article: Article, drafts: Sequence[Any]) -> list[Actor]:
    """Actors with unique ids; drafts naming the same entity (by name, alias or surname) are merged."""
    records: list[_ActorRecord] = []
    for draft in drafts:
        name = _clean(draft.name)
        if name is None:
            continue
        actor_type, role, affiliation = _actor_type(name, draft.type), _clean(draft.role), _clean(draft.affiliation)
        owner, owned = _possessive(name)
        if owner:  # "Valdoria's army chief" is the army chief, affiliated with Valdoria
            name, affiliation = owned, affiliation or owner
        bare, title = split_title(name)
        if title:  # "Foreign Minister Elena Varga"
            name, actor_type, role = bare, "person", role or title
        elif len(words := name.split()) >= 4 and _reads_as_person(article, " ".join(words[-2:])):
            # "UN High Commissioner for Human Rights Ivo Renn", "Renn" said later: the office is the role
            name, actor_type, role = " ".join(words[-2:]), "person", role or " ".join(words[:-2])
        aliases = [a for a in (_clean(x) for x in getattr(draft, "aliases", [])) if a]
        if len(name.split()) > 1 and is_country(name.split(maxsplit=1)[1]) and not is_country(name):
            name, actor_type = name.split(maxsplit=1)[1], "country"  # "Isolated North Korea" is North Korea
        if (country := capital_of(name)) and actor_type in ("country", "government_body", "other"):
            name, actor_type, aliases = country, "country", [name, *aliases]  # "Moscow" acts for Russia
        new = _ActorRecord(name, actor_type, role, affiliation, list(draft.evidence), aliases)
        known = next((r for r in records if _same_actor(r, new)), None)
        if known is None:
            records.append(new)
            continue
        if len(new.name) > len(known.name):  # keep the fullest name, the other becomes an alias
            known.name, new.name = new.name, known.name
        known.aliases = [a for a in dict.fromkeys([*known.aliases, new.name, *new.aliases]) if fold(a) != fold(known.name)]
        known.role = known.role or new.role
        known.affiliation = known.affiliation or new.affiliation
        known.cited += new.cited
    actors: list[Actor] = []
    for record in records:
        evidence = _actor_evidence(article, record.name, record.type, record.cited)
        if not evidence or only_a_place(article, record.name):
            continue
        actor_id = _free_id(record.name, {a.id for a in actors})
        aliases = [a for a in dict.fromkeys(record.aliases) if fold(a) != fold(record.name)]
        actors.append(Actor(id=actor_id, name=record.name, type=record.type, role=record.role,
                            affiliation=record.affiliation, aliases=aliases, evidence=evidence))
    return actors


class ActorResolver:
    """Maps the way a model wrote an actor ("fidan", "Hakan Fidan", "hakan_fidan") to its id.

    Used where the model could not be given the ids beforehand (the single-call mode): an
    exact id, the slug of a name or alias, a person's surname, or a near spelling (fuzzy
    ratio of the folded forms at least ``cutoff``) resolves. A reference to a proper name
    the article contains but the actor list lacks adds that actor (:attr:`added`); anything
    else is dropped rather than guessed.
    """

    def __init__(self, article: Article, actors: Sequence[Actor], cutoff: float = 88.0) -> None:
        self.article = article
        self.cutoff = cutoff
        self.actors = list(actors)
        self.added: list[Actor] = []
        self._forms: dict[str, str] = {}
        for actor in actors:
            self._learn(actor)

    def _learn(self, actor: Actor) -> None:
        capitals = capital_forms(actor.name) if actor.type == "country" else ()
        for form in [actor.id.replace("-", " "), *name_forms(actor.name, actor.type, actor.aliases), *capitals]:
            self._forms.setdefault(fold(form), actor.id)

    def resolve(self, ref: str | None) -> str | None:
        if not ref:
            return None
        folded = fold(ref.replace("-", " ").replace("_", " "))
        if not folded:
            return None
        return self._known(folded) or self._add(folded)

    def _known(self, folded: str) -> str | None:
        if folded in self._forms:
            return self._forms[folded]
        match = process.extractOne(folded, list(self._forms), scorer=fuzz.ratio, score_cutoff=self.cutoff)
        if match:
            return self._forms[match[0]]
        within = {i for form, i in self._forms.items() if re.search(rf"\b{re.escape(folded)}\b", form)}
        if len(within) == 1:  # "Okafor" of "Sam Okafor", whatever its type
            return within.pop()
        ending = {i for form, i in self._forms.items() if " " in form and folded.endswith(" " + form)}
        if len(ending) == 1:  # "Human Rights Sam Okafor": the name after an office
            return ending.pop()
        return None

    def _add(self, folded: str) -> str | None:
        """An actor for a proper name the article uses (each word capitalised there), or None."""
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in folded.split()) + r"\b"
        found = re.search(pattern, self.article.text, re.IGNORECASE)
        if found is None or not all(w[:1].isupper() for w in found.group(0).split()) or only_a_place(
                self.article, found.group(0)):
            return None
        name = found.group(0)
        bare, title = split_title(name)
        if title and (known := self._known(fold(bare))):  # "Minister Sam Okafor" is Sam Okafor
            return known
        actor_type = "country" if is_country(name) else "person" if title else "other"
        evidence = spans(self.article, mentions(self.article, [folded])[:3])
        actor_id = _free_id(bare, set(self._forms.values()))
        actor = Actor(id=actor_id, name=bare, type=actor_type, role=title, evidence=evidence)
        self.added.append(actor)
        self._learn(actor)
        return actor_id

    def resolve_item(self, item: Any) -> Any:
        """A copy of a draft item with every actor reference resolved; unresolved ones dropped."""
        update: dict[str, Any] = {}
        for name in ("participants", "actors", "targets"):
            if hasattr(item, name):
                update[name] = [x for x in dict.fromkeys(self.resolve(r) for r in getattr(item, name)) if x]
        for name in ("holder", "target"):
            if hasattr(item, name):
                update[name] = self.resolve(getattr(item, name))
        return item.model_copy(update=update)


def referenced_actors(sections: Iterable[Sequence[Any]]) -> set[str]:
    """Every actor id an item refers to."""
    ids: set[str] = set()
    for items in sections:
        for item in items:
            for name in ("participants", "actors", "targets"):
                ids.update(getattr(item, name, ()))
            ids.update(x for x in (getattr(item, "holder", None), getattr(item, "target", None)) if x)
    return ids


def drop_affiliation_countries(article: Article, actors: list[Actor], sections: Iterable[Sequence[Any]]) -> list[Actor]:
    """Contract rule 2: a country that is only someone's nationality is not an actor.

    A country the article never names ("his Egyptian counterpart" names no Egypt) and that
    no item refers to is dropped; small models list one for every affiliation.
    """
    used = referenced_actors(sections)
    return [a for a in actors
            if a.type != "country" or a.id in used or mentions(article, name_forms(a.name, a.type, a.aliases))]


def _demonym_pattern(country: str) -> re.Pattern[str] | None:
    """The usual English adjectives of a one-word country name: Ruritania(n), Valdoria(n),
    Ukrain(ian), Chin(ese), Turk(ish), Israel(i). A heuristic, used only to find a country's
    part in a sentence, never to make an actor."""
    folded = fold(country)
    if " " in folded or len(folded) < 4:
        return None
    stem = folded.rstrip("aeiouy") or folded
    return re.compile(rf"\b(?:{re.escape(folded)}|{re.escape(stem)})(?:n|ns|an|ans|ian|ians|i|is|ese|ish)?\b")


#: words after a capital that make it the government acting ("Moscow has", "Moscow's")
_AUXILIARIES = frozenset("s has have had is was were will would could can must may might should did does".split())


def _as_actor(folded_text: str, form: str) -> bool:
    """Does the folded text name ``form`` as one that acts: a capital followed by a verb
    ("Moscow dismissed", "Kyiv says") or a possessive, rather than a place ("talks in Moscow")
    or an occasion ("the Abu Dhabi talks")?"""
    for m in re.finditer(rf"\b{re.escape(form)}\b", folded_text):
        rest = folded_text[m.end():].lstrip()
        after = rest.split()[:1]
        if after and (after[0] in _AUXILIARIES or after[0].endswith(("ed", "es")) or _REPORTING.match(rest)):
            return True
    return False


class Aligner:
    """Moves an item's citations onto the sentences that state it.

    A small model often cites the sentence before or after the one it describes. A cited
    sentence is replaced by one at most ``reach`` away that says more of the item: its
    stated phrases (a place, a date) count twice, each actor it names once. Ties keep the
    cited sentence.
    """

    def __init__(self, article: Article, actors: Sequence[Actor], reach: int = 2) -> None:
        self.reach = reach
        self.folded = {s.number: fold(s.text) for s in article.sentences}
        self.sentences = {s.number: s.text for s in article.sentences}
        self.named_in = {}
        for a in actors:
            capitals = capital_forms(a.name) if a.type == "country" else ()
            self.named_in[a.id] = set(mentions(article, name_forms(a.name, a.type, a.aliases)))
            # "Moscow said" names Russia; "strikes on Moscow" names a place (contract rule 3)
            self.named_in[a.id].update(s.number for s in article.sentences
                                       if any(_as_actor(fold(s.text), c) for c in capitals))
            if a.type == "country" and (demonym := _demonym_pattern(a.name)) is not None:
                # "Valdorian troops" name Valdoria as a party to what they did
                self.named_in[a.id].update(s.number for s in article.sentences if demonym.search(fold(s.text)))

    def _support(self, number: int, ids: Sequence[str], phrases: Sequence[str]) -> int:
        text = self.folded[number]
        return 2 * sum(phrase in text for phrase in phrases) + sum(number in self.named_in.get(i, ()) for i in ids)

    def named_participants(self, participants: Sequence[str], numbers: Iterable[int]) -> list[str]:
        """Participants checked against the evidence: one the evidence never names is swapped
        for an actor it does name and the list lacks, or dropped. The first participant stays
        either way: the subject of "He also met ..." is often not named in that sentence."""
        numbers = set(numbers)
        named = [a for a, found in self.named_in.items() if found & numbers]
        spare = [a for a in named if a not in participants]
        kept = list(participants[:1])
        for participant in participants[1:]:
            if participant in named:
                kept.append(participant)
            elif spare:
                kept.append(spare.pop(0))
        return list(dict.fromkeys(kept))

    def named(self, ids: Iterable[str], numbers: Iterable[int]) -> list[str]:
        """The known actors among ``ids`` that one of the sentences ``numbers`` names."""
        numbers = set(numbers)
        return [i for i in dict.fromkeys(ids) if self.named_in.get(i, set()) & numbers]

    def align(self, cited: Iterable[int], ids: Sequence[str], stated: Iterable[str | None] = ()) -> list[int]:
        phrases = [f for f in (fold(x) for x in stated if x) if f]
        aligned = []
        for number in cited:
            if number not in self.folded:
                continue
            window = [n for n in range(number - self.reach, number + self.reach + 1) if n in self.folded]
            best = max(window, key=lambda n: (self._support(n, ids, phrases), -abs(n - number)))
            better = self._support(best, ids, phrases) > self._support(number, ids, phrases)
            aligned.append(best if better else number)
        return aligned


def _stated(article: Article, value: str | None) -> str | None:
    """A field the contract wants "as stated" (a place, an occasion, a date phrase): kept only
    when the article says it. Small models otherwise fill it with words from the prompt."""
    value = _clean(value)
    if value is None:
        return None
    return value if fold(value) and fold(value) in fold(article.text) else None


def _unique(items: list[Any], key: Any) -> list[Any]:
    seen: set[Any] = set()
    kept = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            kept.append(item)
    return kept


def _count(value: int | None) -> int | None:
    """A casualty count; zero and negatives are what small models write for "not stated"."""
    return value if value is not None and value > 0 else None


def _known(refs: Iterable[str], known: Iterable[str]) -> list[str]:
    known = set(known)
    return [ref for ref in dict.fromkeys(refs) if ref in known]


_CALL = re.compile(r"\b(phone|telephone|call|calls|called|video|videoconference)\b", re.IGNORECASE)


def _meeting_format(stated: str, participants: list[str], evidence: Sequence[Span]) -> str:
    """A call is what the evidence calls a call; in person, two parties are bilateral."""
    said_call = bool(_CALL.search(_evidence_text(evidence)))
    if said_call:
        return "call"
    if stated == "call" or stated in ("bilateral", "multilateral"):
        return "bilateral" if len(participants) == 2 else "multilateral"
    return stated


def ground_meetings(article: Article, drafts: Sequence[Any], aligner: Aligner) -> list[Meeting]:
    meetings = []
    for draft in drafts:
        numbers = aligner.align(draft.evidence, _known(draft.participants, aligner.named_in.keys()),
                                [_stated(article, draft.location), _stated(article, draft.date)])
        participants = aligner.named_participants(_known(draft.participants, aligner.named_in.keys()), numbers)
        evidence = spans(article, numbers)
        if len(participants) < 2 or not states("meetings", evidence):
            continue
        meetings.append(Meeting(
            participants=participants, format=_meeting_format(draft.format, participants, evidence),
            event=_stated(article, draft.event),
            location=_stated(article, draft.location),
            date=date_ref(_stated(article, draft.date), article.published, _evidence_text(evidence)),
            topics=[t for t in (_clean(x) for x in draft.topics) if t], status=draft.status, evidence=evidence,
        ))
    return _merge_encounters(meetings)


def _merge_encounters(meetings: list[Meeting]) -> list[Meeting]:
    """One entry per encounter: the same participants, format and date are one meeting.

    Small models list one meeting again for every sentence that mentions it; the contract
    wants one item whose evidence holds all those sentences.
    """
    merged: dict[tuple[Any, ...], Meeting] = {}
    for meeting in meetings:
        key = (frozenset(meeting.participants), meeting.format, meeting.date.value if meeting.date else None)
        known = merged.get(key)
        if known is None:
            merged[key] = meeting
            continue
        evidence = {(s.start, s.end): s for s in [*known.evidence, *meeting.evidence]}
        merged[key] = known.model_copy(update={
            "evidence": [evidence[k] for k in sorted(evidence)],
            "topics": list(dict.fromkeys([*known.topics, *meeting.topics]))[:3],
            "event": known.event or meeting.event,
            "location": known.location or meeting.location,
        })
    return list(merged.values())


def ground_developments(article: Article, drafts: Sequence[Any], aligner: Aligner) -> list[MilitaryDevelopment]:
    developments = []
    known = aligner.named_in.keys()
    for draft in drafts:
        numbers = aligner.align(draft.evidence, _known(draft.actors, known) + _known(draft.targets, known),
                                [_stated(article, draft.location), _stated(article, draft.date)])
        evidence = spans(article, numbers)
        description = _clean(draft.description)
        if description is None or not states("military_developments", evidence):
            continue
        # Small models fill "actors" with whoever the article is about; keep those the evidence
        # names, unless it names none of them ("Valdorian troops" for Valdoria).
        actors = aligner.named(draft.actors, numbers) or _known(draft.actors, known)
        targets = aligner.named(draft.targets, numbers) or _known(draft.targets, known)
        developments.append(MilitaryDevelopment(
            type=stated_kind(evidence) or draft.type, description=description, actors=actors,
            targets=[t for t in targets if t not in actors],
            location=_stated(article, draft.location),
            date=date_ref(_stated(article, draft.date), article.published, _evidence_text(evidence)),
            killed=_count(draft.killed),
            injured=_count(draft.injured),
            status=draft.status, evidence=evidence,
        ))
    return _unique(developments, lambda d: (d.type, tuple(s.start for s in d.evidence), frozenset(d.actors)))


def ground_positions(article: Article, drafts: Sequence[Any], aligner: Aligner) -> list[StatedPosition]:
    positions = []
    known = aligner.named_in.keys()
    for draft in drafts:
        evidence = spans(article, aligner.align(draft.evidence, [draft.holder]))
        topic, position = _clean(draft.topic), _clean(draft.position)
        if topic is None or position is None or draft.holder not in known or not states("stated_positions", evidence):
            continue
        target = draft.target if draft.target in known and draft.target != draft.holder else None
        positions.append(StatedPosition(
            holder=draft.holder, kind=draft.kind, topic=topic, position=position, target=target,
            quote=find_quote(evidence) if draft.quoted else None, evidence=evidence,
        ))
    return _unique(positions, lambda p: (p.holder, p.kind, fold(p.topic), tuple(s.start for s in p.evidence)))


# Reporting verbs, and the kind of position each one states ("statement" for the plain ones).
# Reporting verbs, and the kind of position each one states ("statement" for the plain ones).
_REPORTING_VERBS = (
    r"said|says|told|tells|stated|added|adding|noted|noting|stressed|insisted|reiterated|reaffirmed|affirmed"
    r"|emphasi[sz]ed|underscored|underlined|highlighted|announced|declared|explained|argued|asserted|acknowledged"
    r"|described|wrote|concluded|expressed|voiced|recalled|maintained|repeated|warned|warns|threatened|urged|urges"
    r"|called (?:on|for)|calls (?:on|for)|appealed|demanded|demands|accused|accuses|blamed|denied|denies|dismissed"
    r"|condemned|condemns|vowed|vows|pledged|pledges|promised|promises|welcomed|welcomes|praised|backed|supported"
    r"|rejected|rejects|critici[sz]ed|according to|underscores|reaffirms|reiterates|stresses|emphasi[sz]es"
    r"|encourages|encouraged|cautioned|calling (?:on|upon|for)|calls upon|called upon|urging|warning")
_REPORTING = re.compile(rf"\b({_REPORTING_VERBS})\b", re.IGNORECASE)
#: "has", "also", "had earlier" between a speaker and the reporting verb
_AUXILIARY = r"(?:(?:has|have|had|also|again|later|earlier|previously|then|repeatedly)\s+){0,2}"
_REPORTED_KIND = {
    "warn": "warning", "thre": "warning", "caut": "warning", "urge": "demand", "urgi": "demand", "enco": "demand", "call": "demand", "appe": "demand", "dema": "demand",
    "accu": "accusation", "blam": "accusation", "deni": "denial", "deny": "denial", "dism": "denial",
    "reje": "denial", "cond": "condemnation", "vowe": "commitment", "vows": "commitment", "pled": "commitment",
    "prom": "commitment", "welc": "support", "prai": "support", "back": "support", "supp": "support",
}
#: "He added ...", "..., she said", "It warned ...": the speaker is whoever spoke last
_PRONOUN_SPEAKER = re.compile(rf"^\W*(?:he|she|it|they)\b|\b(?:he|she|it|they)\s+(?:also\s+)?(?:{_REPORTING_VERBS})\b",
                              re.IGNORECASE)


def _named_actor(actors: dict[str, Actor], name: str) -> str | None:
    """The actor a name written in the article is, by its name, an alias or a person's surname."""
    folded = fold(name)
    found = [i for i, a in actors.items() if folded in name_forms(a.name, a.type, a.aliases)
             or (a.type == "country" and folded in capital_forms(a.name))
             or (a.type == "person" and folded.endswith(" " + fold(a.name).split()[-1]))]
    return found[0] if len(found) == 1 else None


#: a speaker that is a common noun ("the agency said", "officials told") or an acronym
_SOMEONE_ELSE_SPEAKS = re.compile(r"\b(?:(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+(?:[a-z-]+\s+){0,2}[a-z]+|officials|sources|[A-Z]{2,6})"
                                  r"\s*,?\s+" + _AUXILIARY + r"(?:said|says|told|added|stated|noted|announced)\b")


def _speaker(aligner: Aligner, actors: dict[str, Actor], number: int, last: str | None) -> str | None:
    """Who a reporting sentence reports: the one actor named right before a reporting verb;
    for "He said ...", whoever spoke last (``last``) or the one person the sentence before
    names; else the one person it names, else the one actor it names."""
    text = aligner.sentences[number]
    before_verb = {resolved for m in _ACTOR_BEFORE_VERB.finditer(text)
                   if (resolved := _named_actor(actors, m.group(1))) is not None}
    if len(before_verb) == 1:  # "..., spokesman Ivo Renn told reporters"
        return before_verb.pop()
    other = _SOMEONE_ELSE_SPEAKS.search(text)
    if other and not set(fold(other.group(0)).split()) & TITLE_WORDS:  # "the agency said", not "the minister said"
        return None
    if _PRONOUN_SPEAKER.search(text):
        if last is not None:
            return last
        before = [i for i, found in aligner.named_in.items() if number - 1 in found and actors[i].type == "person"]
        return before[0] if len(before) == 1 else None
    named = [i for i, found in aligner.named_in.items() if number in found]
    people = [i for i in named if actors[i].type == "person"]
    if len(people) == 1:
        return people[0]
    return named[0] if not people and len(named) == 1 else None


def _reported_clause(text: str, verb: re.Match[str], end: int) -> str | None:
    """What a reporting verb reports: the words after it up to ``end``, or, for "..., he
    said.", the words before it; None when fewer than three words."""
    clause = text[verb.end(): end].strip(" ,:;\"“”'").removeprefix("that ").strip()
    if len(clause.split()) < 3:
        clause = text[: verb.start()].strip(" ,:;\"“”'")
    return clause if len(clause.split()) >= 3 else None


_PLAIN_TELLING = re.compile(r"said|says|told|tells|added|adding|stated|announced|noted|noting|according to",
                            re.IGNORECASE)


def _a_factual_update(clause: str) -> bool:
    """Does a plainly reported clause tell a toll ("41 people had been killed")? Contract
    rule 21: a casualty tally is evidence of a development, not a position."""
    return bool(_CASUALTIES.search(clause))


def attributed_positions(article: Article, actors: Sequence[Actor], positions: list[StatedPosition],
                         aligner: Aligner) -> list[StatedPosition]:
    """The positions plus one for every reporting sentence ("X said ...") with a clear speaker
    that no position of that speaker cites: a small model stops listing positions long before
    the article stops reporting them. The position is the reported clause, as written; a
    second verb of another kind ("... and demanded ...") is a second position (contract rule 6)."""
    by_id = {a.id: a for a in actors}
    cited = {(p.holder, s.start) for p in positions for s in p.evidence}
    added = []
    last: str | None = None  # who spoke last: "They also urged ..." is still them
    for sentence in article.sentences:
        verbs = list(_REPORTING.finditer(sentence.text))
        holder = _speaker(aligner, by_id, sentence.number, last) if verbs else None
        last = holder or last
        if holder is None or (holder, sentence.start) in cited:
            continue
        evidence = spans(article, [sentence.number])
        kinds: set[str] = set()
        for n, verb in enumerate(verbs):
            kind = _REPORTED_KIND.get(verb.group(1).lower()[:4], "statement")
            # "... and demanded ...", "..., warning that ...": a second position
            joined = n == 0 or re.search(r"(?:\band|,)\s*$", sentence.text[: verb.start()]) and (
                not sentence.text[: verb.start()].rstrip().endswith(",") or verb.group(1).split()[0].lower().endswith("ing"))
            if kind in kinds or not joined:
                continue
            clause = _reported_clause(sentence.text, verb, verbs[n + 1].start() if n + 1 < len(verbs) else len(sentence.text))
            if clause is None or (_PLAIN_TELLING.match(verb.group(1)) and _a_factual_update(clause)):
                continue
            kinds.add(kind)
            words = clause.split()
            position = " ".join(words)[:SENTENCE].rsplit(" ", 1)[0] if len(clause) > SENTENCE else clause
            added.append(StatedPosition(
                holder=holder, kind=kind, topic=" ".join(words[:5]).strip(",.;:\"“”'"), position=position,
                quote=find_quote(evidence), evidence=evidence,
            ))
    return [*positions, *added]


_NAME_BEFORE_VERB = re.compile(
    r"((?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+)\s*,?\s+" + _AUXILIARY + r"(?:" + _REPORTING_VERBS + r")\b")
#: the same, a known actor by one word too ("Renn has warned", "Valdoria said")
_ACTOR_BEFORE_VERB = re.compile(
    r"((?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’-]+)\s*,?\s+" + _AUXILIARY + r"(?:" + _REPORTING_VERBS + r")\b")


def add_speakers(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors plus everyone named as a speaker ("... Foreign Minister Ivo Renn said") whom
    the list lacks: whoever states a position is an actor, and small models miss many."""
    resolver = ActorResolver(article, actors)
    for sentence in article.sentences:
        for match in _NAME_BEFORE_VERB.finditer(sentence.text):
            name = match.group(1)
            if not (fold(name).split()[0] in {"the", "a", "an", "he", "she", "they", "it"}
                    or any(fold(w) in _BODY_WORDS for w in name.split())):
                resolver.resolve(name)
    return [*actors, *(a.model_copy(update={"type": "person"}) if a.type == "other" and _reads_as_person(article, a.name)
                       else a for a in resolver.added)]


def _reads_as_person(article: Article, name: str) -> bool:
    """Does the article treat a name as a person's: a title right before it ("spokesman Ivo
    Renn") or its last word standing alone later ("Renn said")? Places and firms get neither."""
    words = name.split()
    if len(words) < 2:
        return False
    titled = re.search(rf"\b(\w+)\s+{re.escape(name)}", article.text)
    if titled and fold(titled.group(1)) in TITLE_WORDS:
        return True
    surname = re.sub(r"^(?:al|el|ad|as|bin|ibn)-", "", words[-1])  # "Assad" of "Bashar al-Assad"
    alone = re.compile(rf"(?<!{re.escape(words[-2])} )(?<![-\w])(?:(?i:al|el|ad|as|bin|ibn)-)?{re.escape(surname)}\b"
                       r"(?!\s+[A-Z])")
    return bool(alone.search(article.text))


_FORCE_NOUNS = ("forces", "troops", "army", "military", "soldiers")
_FORCE_MODIFIERS = ("government", "regime", "armed", "occupation", "opposition", "rebel", "special", "coalition",
                    "allied", "ground", "naval", "air")
#: "Russian forces", "Syrian government forces", "Valdorian troops": a state's forces named by a proper word
_NAMED_FORCE = re.compile(r"\b([A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|" + "|".join(_FORCE_MODIFIERS) + r"))*)\s+("
                          + "|".join(_FORCE_NOUNS) + r")\b")
_NOT_A_NAME = frozenset({"the", "a", "an", "both", "all", "his", "her", "their", "its", "our", "some", "many", "two"})


def add_forces(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors plus the forces the article names ("Valdorian troops") that the list lacks:
    developments are mostly carried out by them, and small models list the country instead."""
    resolver = ActorResolver(article, actors)
    added: list[Actor] = []
    for sentence in article.sentences:
        for match in _NAMED_FORCE.finditer(sentence.text):
            words = match.group(0).split()
            while words and fold(words[0]) in _NOT_A_NAME:
                words = words[1:]
            if len(words) < 2 or words[0].lower() in _FORCE_MODIFIERS:
                continue
            name = " ".join(words)
            if resolver._known(fold(name)) is not None:
                continue
            known = [*actors, *added]
            same = next((i for i, a in enumerate(known) if a.type == "military" and _force_key(a.name)
                         and _force_key(a.name) == _force_key(name)), None)
            if same is not None:  # "Valdorian troops" after "Valdorian forces": one actor
                merged = known[same].model_copy(update={"aliases": [*known[same].aliases, name]})
                if same < len(actors):
                    actors = [*actors[:same], merged, *actors[same + 1:]]
                else:
                    added[same - len(actors)] = merged
                resolver._learn(merged)
                continue
            actor = Actor(id=_free_id(name, {a.id for a in [*actors, *added]}), name=name, type="military",
                          evidence=spans(article, [sentence.number]))
            added.append(actor)
            resolver._learn(actor)
    return [*actors, *added]


#: a run of capitalised words, with the lowercase particles of names and bodies inside it
#: ("Bashar al-Assad", "Security Service of Ukraine", "Jose Manuel Albares")
_PARTICLES = frozenset("of for the al el de bin van von der du da ad as ibn".split())
_PROPER_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|for|the|al|el|de|bin|van|von|der|du|da)\s+)*"
                         r"(?:(?:al|el|ad|as|bin|ibn)-)?[A-Z][\w'’.-]*)*")
#: words that start a sentence without being part of the name after them ("On Monday", "While Ruritanian ...")
_LEADING_WORDS = frozenset("""
    the a an on in at while since as after before during with by for from to when but and if although though under
    over meanwhile however also last next this that these those twice once then there here its his her their our
    some many several both all each every other another such no not only even yet still so thus
    one two three four five six seven eight nine ten dozens hundreds thousands
    january february march april may june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
""".split())
#: "TRIPOLI, Feb 19 (Reuters) -": a dateline run into the first sentence names a place, not an actor
_DATELINE = re.compile(r"^\W*(?:(?:[A-Z][A-Z.'’-]+(?=\s*[/,(–—-])|[A-Z][A-Z.'’-]{4,}(?=\s+[A-Z]))[\s/,]*)+"
                       r"(?:\([^)]*\)\s*)?(?:[-–—:]\s*)?")
_ORGANISATION_WORDS = {"international_organization": ("nations", "union", "organization", "organisation", "alliance"),
                       "military": ("forces", "army", "navy", "brigade", "corps", "guard", "guards", "command")}


def _principal(article: Article, run: str, common: set[str]) -> tuple[str, str, str | None] | None:
    """(name, type, role) of an actor a proper-name run plainly names, or None.

    A titled person ("President Ivo Renn"), a person whose surname stands alone elsewhere, a
    country by its name, a body by its kind of word ("State Security Council"), an acronym.
    """
    words = run.split()
    ends = next((i for i, w in enumerate(words) if w.endswith(".") and "." not in w[:-1] and len(w) > 3), None)
    words = words[: ends + 1] if ends is not None else words  # "... the Alliance. Security" ends at the full stop
    while words and (fold(words[0]) in _LEADING_WORDS or words[0].endswith(("ing", "ly"))):
        words = words[1:]
    while words and fold(words[-1]) in {"of", "for", "the", "and"}:
        words = words[:-1]
    if not words:
        return None
    name = " ".join(words).rstrip(".").removesuffix("'s").removesuffix("’s")
    bare, title = split_title(name)
    if title:
        bare_words = fold(bare).split()
        if bare_words[-1] in common or any(w.removesuffix("s") in TITLE_WORDS for w in bare_words):
            return None  # "Foreign Ministers Meeting" is an occasion
        return bare, "person", title
    folded = fold(name).split()
    if is_country(name):
        return name, "country", None
    if folded[0] in TITLE_WORDS and "of" in folded:  # "Chair of the Military Committee" is an office
        return None
    if any(w in _BODY_WORDS for w in folded) and len(folded) > 1:
        kind = next((k for k, nouns in _ORGANISATION_WORDS.items() if any(w in nouns for w in folded)), "government_body")
        return name, kind, None
    if 2 <= len(words) <= 4 and not any(w in TITLE_WORDS or (w in common and w not in _PARTICLES) for w in folded) \
            and _reads_as_person(
            article, name):
        return name, "person", None
    return None


def add_principals(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors plus the principals the article names that the list lacks: titled people,
    people named again by surname, countries by name, bodies and acronyms. A small model
    lists the first few actors and stops; the contract wants every named principal."""
    resolver = ActorResolver(article, actors)
    common = set(re.findall(r"\b[a-z]+\b", article.text))  # words the article writes in lower case
    added: list[Actor] = []
    for sentence in article.sentences:
        text = _DATELINE.sub("", sentence.text) if sentence.number == article.sentences[0].number else sentence.text
        for match in _PROPER_RUN.finditer(text):
            found = _principal(article, match.group(0), common)
            if found is None:
                continue
            name, actor_type, role = found
            if resolver._known(fold(name)) is not None or only_a_place(article, name):
                continue
            actor = Actor(id=_free_id(name, {a.id for a in [*actors, *added]}), name=name, type=actor_type, role=role,
                          evidence=spans(article, [sentence.number]))
            added.append(actor)
            resolver._learn(actor)
    return [*actors, *added]


# Words that name a kind of military development, most specific first.
_DEVELOPMENT_STEMS = (
    ("ceasefire_or_truce", ("ceasefire", "cease-fire", "truce", "cessation of hostilities", "armistice")),
    ("territorial_change", ("captur", "recaptur", "seiz", r"(?:took|taken|gain\w*|seiz\w*) control", "control over",
                            "liberat", "overran", "fell to", "entered the")),
    ("weapons_launch_or_test", (r"launch\w* (?:a |an |the )?(?:[\w-]+ ){0,3}?(?:rocket|missile|satellite)s?\b"
                                r"(?! (?:attack|strike|fire|at|against|toward|towards|into)\b)",
                                r"(?:rocket|missile|satellite|nuclear|weapons?) (?:launch|test)", r"test-fired",
                                r"(?:rocket|missile|satellite)s? (?:was|were|has been|had been) launched",
                                r"test\w* (?:a |an )?(?:[\w-]+ ){0,2}?(?:rocket|missile|nuclear)")),
    ("air_or_drone_strike", ("air ?strike", "drone", "warplane", "jets? ", "bomber", "air raid")),
    ("shelling_or_missile_strike", ("shell", r"(?:missile|rocket)s? (?:strike|attack|fire|barrage|at|against)\b",
                                    r"fired (?:[\w-]+ ){0,4}?(?:missiles?|rockets?|shells?)",
                                    r"(?:missiles?|rockets?) (?:hit|struck|landed|slammed)", "artillery", "mortar")),
    ("explosion_or_bombing", ("explo", "blast", "bombing", "car bomb", "suicide")),
    ("withdrawal", ("withdr", "pulled out", "pull out", "retreat")),
    ("deployment", ("deploy", "dispatched", "sent troops", "reinforce")),
    ("armed_clash", ("clash", "fighting", "fought", "battle", "offensive", "assault", "attack", "ambush", "storm",
                     "combat engagement", "opened fire", "fired on", "shot at")),
)
_DEVELOPMENT_WORDS = tuple((kind, _cues(*stems)) for kind, stems in _DEVELOPMENT_STEMS)
_FORCE_TYPES = ("military", "armed_group", "country", "government_body")
_FIGHTING_TYPES = ("military", "armed_group")
#: a development demanded, threatened, planned, imagined or denied ("must withdraw", "would answer any attack",
#: "plans to launch", "have not captured") did not happen
_UNREAL = re.compile(r"\b(must|should|would|could|might|may|calls? for|called for|urged?|urging|threat\w*"
                     r"|plans? to|planned to|intends? to|intended to|aims? to|ready to|not|never|no)\s+"
                     r"(?:\w+\s+){0,3}?(?:" + "|".join(stem for _, stems in _DEVELOPMENT_STEMS for stem in stems) + ")",
                     re.IGNORECASE)


def stated_kind(evidence: Sequence[Span]) -> str | None:
    """The development type the evidence's own words name, if any. The model picks types
    poorly; "captured" says territorial_change better than it does."""
    return next((kind for kind, words in _DEVELOPMENT_WORDS if any(words.search(s.text) for s in evidence)), None)


#: "the African Union (AU)": a name and the acronym the article gives it
_DEFINED_ACRONYM = re.compile(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|the|and)\s+)*){1,8}[A-Z][\w'’-]+)\s*\(([A-Z][A-Z0-9]{1,7})\)")


def with_acronyms(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors, each with the acronym the article defines for its name ("the African Union
    (AU)") among its aliases, so that "The AU urges ..." is found to be it."""
    defined: dict[str, str] = {}
    for match in _DEFINED_ACRONYM.finditer(article.text):
        words = match.group(1).split()
        for start in range(len(words)):  # "The African Union" and "African Union" both name it
            defined.setdefault(fold(" ".join(words[start:])), match.group(2))
    return [a.model_copy(update={"aliases": [*a.aliases, acronym]})
            if (acronym := defined.get(fold(a.name))) and acronym != a.name and acronym not in a.aliases else a
            for a in actors]


def complete(article: Article, actors: list[Actor], sections: dict[str, list[Any]]) -> tuple[list[Actor], dict[str, list[Any]]]:
    """What the model left out and the article plainly states: speakers as actors, reporting
    sentences as positions, sentences of meeting or of force as meetings and developments."""
    actors = with_acronyms(article, add_principals(article, add_forces(article, add_speakers(article, actors))))
    aligner = Aligner(article, actors)
    return actors, {
        "meetings": stated_meetings(article, actors, sections.get("meetings", []), aligner),
        "military_developments": stated_developments(article, actors, sections.get("military_developments", []),
                                                     aligner),
        "stated_positions": attributed_positions(article, actors, sections.get("stated_positions", []), aligner),
    }


def _not_places(actors: Sequence[Actor]) -> set[str]:
    """The folded names of the actors that cannot be where something happened."""
    return {fold(a.name) for a in actors if a.type in ("person", "international_organization", "government_body")}


def stated_developments(article: Article, actors: Sequence[Actor], developments: list[MilitaryDevelopment],
                        aligner: Aligner) -> list[MilitaryDevelopment]:
    """The developments plus one for every sentence that names a kind of development (a
    capture, a drone strike, a ceasefire...) and that none cites: the model lists the first
    few and stops. Its actors are the forces and countries the sentence names."""
    cited = {s.start for d in developments for s in d.evidence}
    by_id = {a.id: a for a in actors}
    not_places = _not_places(actors)
    added: list[MilitaryDevelopment] = []
    for sentence in article.sentences:
        kind = stated_kind([sentence])
        if (kind is None and added and added[-1].type in _DEADLY and _CASUALTIES.search(sentence.text)
                and _follows(added[-1], sentence, article, 0)):
            killed, injured = stated_toll(sentence.text)
            added[-1] = added[-1].model_copy(update={
                "evidence": [*added[-1].evidence, *spans(article, [sentence.number])],
                "killed": added[-1].killed or killed, "injured": added[-1].injured or injured})
            continue  # "Six people were killed." tells the toll of the strike before it
        if kind is None or sentence.start in cited or _UNREAL.search(sentence.text) or _background(sentence.text,
                                                                                                   article):
            continue
        forces = [i for i, found in aligner.named_in.items() if sentence.number in found
                  and by_id[i].type in _FORCE_TYPES]
        mentioned = _mentions_in(aligner, by_id, sentence.number)
        targets = [i for i in forces if mentioned.get(i) and all(before in _AT_TARGET for _, before in mentioned[i])]
        forces = [i for i in forces if i not in targets]
        if any(by_id[i].type in _FIGHTING_TYPES for i in forces):  # the troops acted, not their country
            forces = [i for i in forces if by_id[i].type in _FIGHTING_TYPES]
        evidence = spans(article, [sentence.number])
        words = sentence.text.split()
        description = " ".join(words[:25]) + (" ..." if len(words) > 25 else "")
        place = stated_place(sentence.text, not_places)
        if not forces and place is None:  # no one and nowhere: talk of war, not an event
            continue
        killed, injured = stated_toll(sentence.text)
        development = MilitaryDevelopment(type=kind, description=description, actors=forces, targets=targets,
                                          location=place, killed=killed, injured=injured,
                                          status="reported",
                                          evidence=evidence)
        retold = next((i for i, d in enumerate(added) if _retells(d, development)), None)
        if added and _goes_on(added[-1], development, article):
            added[-1] = _merged(added[-1], development)
        elif retold is not None:
            added[retold] = _merged(added[retold], development)
        else:
            added.append(development)
    return [*developments, *added]


#: words after which a force is the target of a development ("strikes on Valdoria"), not its author
_AT_TARGET = frozenset("on against targeting targeted at hit struck attacked into toward towards".split())
_LONG_AGO = re.compile(r"\b(?:years? ago|last year|in recent years|decades?)\b", re.IGNORECASE)


def _background(text: str, article: Article) -> bool:
    """Does the sentence tell the background (contract rule 5): "five years ago", "last
    year", a year before the article's ("since 2014")?"""
    years = [int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", text)]
    old = article.published is not None and any(y < article.published.year for y in years)
    return old or bool(_LONG_AGO.search(text))


#: the kinds of development a toll reported after them belongs to
_DEADLY = ("armed_clash", "air_or_drone_strike", "shelling_or_missile_strike", "explosion_or_bombing",
           "attack_on_civilians")
_CASUALTIES = re.compile(r"\b(killed|killing|dead|died|wounded|injured|injuring|casualties|toll)\b", re.IGNORECASE)


def _follows(earlier: MilitaryDevelopment, sentence: Span | Any, article: Article, gap: int = 1) -> bool:
    """Is the sentence at most ``gap`` sentences after the development's last evidence?"""
    return 0 <= sum(earlier.evidence[-1].end <= s.start < sentence.start for s in article.sentences) <= gap


def _goes_on(earlier: MilitaryDevelopment, later: MilitaryDevelopment, article: Article) -> bool:
    """Does ``later`` tell more of ``earlier``: the same kind, close by, with no other place or
    side? News reports tell one strike over several sentences; the contract wants one entry."""
    return (earlier.type == later.type and _follows(earlier, later.evidence[0], article)
            and (earlier.location is None or later.location is None or earlier.location == later.location)
            and (not earlier.actors or not later.actors or set(earlier.actors) == set(later.actors)))


def _retells(earlier: MilitaryDevelopment, later: MilitaryDevelopment) -> bool:
    """Does ``later`` tell ``earlier`` again further on: the same kind by the same forces, in
    the same place or none stated? Reports come back to their main event."""
    return (earlier.type == later.type and bool(earlier.actors) and set(earlier.actors) == set(later.actors)
            and (later.location is None or later.location == earlier.location))


def _merged(earlier: MilitaryDevelopment, later: MilitaryDevelopment) -> MilitaryDevelopment:
    return earlier.model_copy(update={"evidence": [*earlier.evidence, *later.evidence],
                                      "killed": earlier.killed or later.killed, "injured": earlier.injured or later.injured,
                                      "actors": earlier.actors or later.actors,
                                      "location": earlier.location or later.location})


_MEETING_WORDS = _cues("met\\b", "meets\\b", "meeting", "talks", "discussions", "phone", "call with", "spoke (?:with|to)", "visit",
                       "hosted", "received", "summit", "held (?:a )?(?:call|meeting|talks)")
#: "A met (with) B", "A held talks with B", "A spoke by phone with B": one party meets the others, each on its own
#: (contract: "he also met A, B and C" is three bilateral meetings). Matched in folded text.
_ONE_TO_ONE = re.compile(r"\b(?:met|meets|meeting|hosted|received|visited|called|phoned|(?:held|had|engaged in|in) "
                         r"(?:\w+ ){0,2}(?:talks|discussions|call|meeting|conversation)|spoke|talked)"
                         r"(?: by (?:tele)?phone| on the phone)?(?: with| to)?\b")
_TOPIC_OR_PLACE = frozenset(("in", "to", "about", "on", "over", "regarding", "including", "at", "into", "near",
                             "discuss", "against"))
#: "the talks", "the meeting": a sentence that goes on about a meeting already told
_THE_MEETING = re.compile(r"\b(?:the|these|those|this|that)\s+(?:\w+\s+)?(?:talks|meetings?|summit|call|visit|session"
                          r"|negotiations|discussions)\b", re.IGNORECASE)
_NEARBY = 600  # characters: about three sentences of news
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:[\w ]{0,30},\s*)?(he|she)\b", re.IGNORECASE)


def _mentions_in(aligner: Aligner, actors: dict[str, Actor], number: int) -> dict[str, list[tuple[int, str]]]:
    """Where the sentence names each actor: (position, the word before) in folded text. A name
    that only gives a title's affiliation ("Valdoria's Foreign Minister") is left out."""
    text = aligner.folded[number]
    found: dict[str, list[tuple[int, str]]] = {}
    for actor_id, numbers in aligner.named_in.items():
        if number not in numbers:
            continue
        actor = actors[actor_id]
        capitals = capital_forms(actor.name) if actor.type == "country" else ()
        forms = [*name_forms(actor.name, actor.type, actor.aliases), *(c for c in capitals if _as_actor(text, c))]
        patterns = [re.compile(rf"\b{re.escape(f)}\b") for f in forms]
        if actor.type == "country" and (demonym := _demonym_pattern(actor.name)) is not None:
            patterns.append(demonym)
        for pattern in patterns:
            for m in pattern.finditer(text):
                after = text[m.end():].split()[:2]
                if after[:1] == ["s"]:
                    after = after[1:]
                if after and after[0] in TITLE_WORDS:
                    continue
                before = [w for w in text[: m.start()].split() if w != "the"][-1:]
                found.setdefault(actor_id, []).append((m.start(), before[0] if before else ""))
    return found


def stated_meetings(article: Article, actors: Sequence[Actor], meetings: list[Meeting],
                    aligner: Aligner) -> list[Meeting]:
    """The meetings plus those of every sentence that says actors met (met, talks, a call, a
    visit...) and that no meeting cites. "A met B, C and D" is a meeting of A with each; "He
    also met ..." takes the last one who met; otherwise everyone the sentence names met."""
    cited = {s.start for m in meetings for s in m.evidence}
    by_id = {a.id: a for a in actors}
    not_places = _not_places(actors)
    added: list[Meeting] = []
    subject: str | None = None
    last_dated: tuple[int, str] | None = None  # the last sentence of meeting that gave a date, and the date
    for sentence in article.sentences:
        if sentence.start in cited or not _MEETING_WORDS.search(sentence.text):
            continue
        speakers = {_named_actor(by_id, m.group(1)) for m in _NAME_BEFORE_VERB.finditer(sentence.text)}
        # not the speaker, not troops (a talk's topic), not "to discuss Syria" nor "talks in Ostrov"
        named = sorted((min(pos for pos, before in found if before not in _TOPIC_OR_PLACE), i)
                       for i, found in _mentions_in(aligner, by_id, sentence.number).items()
                       if i not in speakers and by_id[i].type != "military"
                       and any(before not in _TOPIC_OR_PLACE for _, before in found))
        verb = _ONE_TO_ONE.search(aligner.folded[sentence.number])
        before = [i for pos, i in named if verb and pos < verb.start()]
        after = [i for pos, i in named if verb and pos >= verb.end() and i not in before]
        if verb and not before and subject and _PRONOUN_SUBJECT.match(sentence.text):
            before = [subject]
        evidence = spans(article, [sentence.number])
        place = stated_place(sentence.text, not_places)
        if len(before) == 1 and after:
            subject = before[0]
            groups = [[subject, other] for other in after]
        else:
            groups = [[i for _, i in named]]
            if named and by_id[named[0][1]].type == "person":  # "Varga attended the summit": she may meet more
                subject = named[0][1]
        phrase = stated_date(sentence.text)
        if phrase is None and last_dated is not None and sentence.number - last_dated[0] <= 2:
            phrase = last_dated[1]  # "During the event, he met ...": the occasion's date (contract rule 26)
        elif phrase is not None:
            last_dated = (sentence.number, phrase)
        date = date_ref(phrase, article.published, sentence.text)
        if all(len(participants) < 2 for participants in groups):
            if added and _THE_MEETING.search(sentence.text) and sentence.start - added[-1].evidence[-1].end < _NEARBY:
                # "Officials gave few details of the talks": more on the meeting just told
                added[-1] = added[-1].model_copy(update={"evidence": [*added[-1].evidence, *evidence]})
            continue
        for participants in groups:
            if len(participants) >= 2:
                added.append(Meeting(participants=participants, location=place, status="occurred", evidence=evidence,
                                     date=date, format=_meeting_format("bilateral", participants, evidence)))
    return _merge_encounters([*meetings, *added])
