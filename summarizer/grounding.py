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

from .article import Article, Sentence
from .contract import (
    Actor,
    ActorType,
    DevelopmentType,
    Meeting,
    MeetingFormat,
    MilitaryDevelopment,
    Span,
    StatedPosition,
)
from .normalize import (
    BODY_WORDS,
    TITLE_WORDS,
    capital_forms,
    capital_of,
    country_variants,
    date_ref,
    fold,
    is_country,
    separate_title,
    slugify,
    un_organ,
)

_QUOTED = re.compile(r"[\"“”„«]([^\"“”„«»]{3,}?)[\"“”»]")


def cues(*stems: str) -> re.Pattern[str]:
    """A pattern for words starting with any of ``stems`` ("captur" finds "captured")."""
    return re.compile(r"\b(?:" + "|".join(stems) + r")", re.IGNORECASE)


# What a sentence must say for an item of each section to stand on it. Small models turn any
# sentence near an actor into a meeting, a clash or a "demand"; a meeting needs words of
# contact, a development words of force or its end, a position words of saying or standing.
SECTION_CUES = {
    "meetings": cues(
        "met\\b",
        "meet",
        "talks",
        "talked",
        "phone",
        "call",
        "visit",
        "summit",
        "conference",
        "host",
        "receiv",
        "discuss",
        "negotiat",
        "session",
        "gather",
        "convened",
        "consultation",
        "dialogue",
        "delegation",
        "sidelines",
        "spoke",
        "held",
        "round of",
        "hosted",
        "welcomed",
        "forum",
        "assembly",
        "council",
    ),
    "military_developments": cues(
        "attack",
        "strike",
        "struck",
        "airstrike",
        "bomb",
        "shell",
        "missile",
        "rocket",
        "drone",
        "fight",
        "fought",
        "clash",
        "battle",
        "offensive",
        "assault",
        "captur",
        "seiz",
        "took control",
        "taken control",
        "control of",
        "recaptur",
        "advanc",
        "retreat",
        "withdr",
        "pull",
        "deploy",
        "troop",
        "forces",
        "soldier",
        "army",
        "militar",
        "ceasefire",
        "cease-fire",
        "truce",
        "cessation",
        "hostilities",
        "kill",
        "dead",
        "death",
        "casualt",
        "wound",
        "injur",
        "explo",
        "blast",
        "launch",
        "fire",
        "artillery",
        "invasion",
        "invad",
        "occup",
        "siege",
        "raid",
        "ambush",
        "shot down",
        "intercept",
        "war\\b",
        "combat",
        "front",
        "weapon",
        "enter",
        "fell",
        "fall of",
        "overr",
        "liberat",
        "besieg",
        "destroy",
        "target",
    ),
    "stated_positions": cues(
        "said",
        "say",
        "told",
        "tell",
        "stated",
        "statement",
        "stress",
        "emphasi",
        "underlin",
        "insist",
        "added",
        "adding",
        "adds",
        "noted",
        "warn",
        "urg",
        "call",
        "demand",
        "condemn",
        "denounc",
        "accus",
        "blam",
        "deni",
        "deny",
        "reject",
        "vow",
        "pledg",
        "promis",
        "commit",
        "support",
        "backed",
        "backing",
        "welcom",
        "prais",
        "express",
        "announc",
        "declar",
        "threat",
        "assert",
        "argu",
        "believ",
        "hope",
        "want",
        "ask",
        "appeal",
        "according to",
        "quot",
        "describ",
        "critici",
        "agree",
        "oppos",
        "refus",
        "confirm",
        "recogni",
        "acknowledg",
        "claim",
        "predict",
        "expect",
        "stance",
        "consider",
        "seek",
        "sought",
        "must",
        "should",
        "need",
        "wrote",
        "posted",
        "respond",
        "repl",
        "thank",
        "congratulat",
        "condolence",
        "solidarity",
        "regret",
        "dismiss",
    ),
}


def states(section: str, evidence: Sequence[Span]) -> bool:
    """Does the evidence say anything of the kind the section holds (see :data:`SECTION_CUES`)?"""
    quoted = section == "stated_positions" and any(_QUOTED.search(span.text) for span in evidence)
    return quoted or any(SECTION_CUES[section].search(span.text) for span in evidence)


def spans(article: Article, numbers: Iterable[int]) -> list[Span]:
    """Evidence spans for sentence numbers, in article order, each sentence once."""
    by_number = {s.number: s for s in article.sentences}
    chosen = sorted({n for n in numbers if n in by_number})
    return [
        Span(start=by_number[n].start, end=by_number[n].end, text=by_number[n].text) for n in chosen
    ]


def evidence_text(evidence: Sequence[Span]) -> str:
    """The cited sentences as one text, for rules that read what an item stands on."""
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
    if (
        actor_type == "person"
        and len(name.split()) > 1
        and fold(name.split()[-1]) not in TITLE_WORDS
    ):
        forms.append(fold(name.split()[-1]))  # not "minister" of "the Ostrian foreign minister"
    return [f for f in dict.fromkeys(forms) if f]


def _actor_evidence(
    article: Article, name: str, actor_type: str, cited: Iterable[int]
) -> list[Span]:
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
    type: ActorType
    role: str | None
    affiliation: str | None
    cited: list[int]
    aliases: list[str] = field(default_factory=list)

    def forms(self) -> set[str]:
        return {fold(self.name), *(fold(a) for a in self.aliases)}

    def surname(self) -> str | None:
        words = self.name.split()
        return fold(words[-1]) if self.type == "person" and len(words) > 1 else None


def force_key(name: str) -> str | None:
    """ "valdori" for "Valdorian troops", "Valdorian army", "Valdoria's forces" or, when Arden is
    its capital, "Arden's forces": a state's forces go by several names, and the contract
    makes them one actor."""
    words = fold(name).split()
    if len(words) in (2, 3) and words[-1] in FORCE_NOUNS and words[0] not in NOT_A_NAME:
        return _state_stem(words[0])
    return None


_DEMONYM_ENDINGS = ("ians", "ian", "ans", "an", "ese", "ish", "is", "i", "n")


def _state_stem(word: str) -> str:
    """The stem a state's name and its adjective share: "ukrain" of "Ukraine" and "Ukrainian",
    "russ" of "Russian" and of "Moscow" (its capital)."""
    if country := capital_of(word):
        word = fold(country)
    ending = next((e for e in _DEMONYM_ENDINGS if word.endswith(e) and len(word) - len(e) >= 4), "")
    return word.removesuffix(ending).rstrip("aeiouy") if ending else word.rstrip("aeiouy")


def _same_actor(known: _ActorRecord, new: _ActorRecord) -> bool:
    """Same name or alias, the same state's forces, or a lone surname of a person ("Varga" and
    "Elena Varga")."""
    if known.forms() & new.forms():
        return True
    if (
        known.type == new.type == "military"
        and force_key(known.name)
        and force_key(known.name) == force_key(new.name)
    ):
        return True
    lone = len(new.name.split()) == 1 and fold(new.name) == known.surname()
    return lone or (len(known.name.split()) == 1 and fold(known.name) == new.surname())


_POSSESSIVE = re.compile(r"^(?:the\s+)?(.+?)['’]s\s+(.+)$", re.IGNORECASE)


def free_id(name: str, taken: set[str]) -> str:
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


_LOCATIVE = frozenset(
    {"in", "at", "from", "to", "near", "outside", "into", "across", "around", "toward", "towards"}
)
#: "the city of Mirna", "the outskirts of Ostrov": a place after "of"
_PLACE_NOUNS = frozenset(
    """city town village villages region province district state capital outskirts area areas
    entirety part parts centre center heart north south east west suburb suburbs county""".split()
)


def only_a_place(article: Article, name: str) -> bool:
    """Is the name only ever where things happen ("talks in Geneva", "the city of Mirna"), never
    who acts? Small models list the places of an article among its actors."""
    folded = fold(name)
    if not folded:
        return False
    dateline = DATELINE.match(article.text)
    # "TRIPOLI -" is where it was written
    text = fold(article.text[dateline.end() :] if dateline else article.text)
    before = [
        text[: m.start()].split()[-3:] for m in re.finditer(rf"\b{re.escape(folded)}\b", text)
    ]
    in_dateline = dateline is not None and re.search(
        rf"\b{re.escape(folded)}\b", fold(dateline.group(0))
    )
    return (bool(before) or bool(in_dateline)) and all(_after_a_locative(words) for words in before)


def _after_a_locative(words: list[str]) -> bool:
    """Do the (folded) words end the way a place's name is introduced: "in", "in the", "the city
    of"?"""
    if words[-1:] == ["the"]:
        # not "according to the agency"
        return len(words) > 1 and words[-2] in _LOCATIVE - {"to", "from"}
    return bool(words) and (
        words[-1] in _LOCATIVE or words[-1] == "of" and len(words) > 1 and words[-2] in _PLACE_NOUNS
    )


def _actor_type(name: str, stated: ActorType) -> ActorType:
    """Small models type countries and UN organs as government bodies; the name settles it."""
    if un_organ(name):
        return "international_organization"
    return "country" if stated in ("government_body", "other") and is_country(name) else stated


def ground_actors(article: Article, drafts: Sequence[Any]) -> list[Actor]:
    """Actors with unique ids; drafts naming the same entity (by name, alias or surname) are
    merged."""
    records: list[_ActorRecord] = []
    for draft in drafts:
        name = _clean(draft.name)
        if name is None:
            continue
        actor_type, role, affiliation = (
            _actor_type(name, draft.type),
            _clean(draft.role),
            _clean(draft.affiliation),
        )
        owner, owned = _possessive(name)
        if owner:  # "Valdoria's army chief" is the army chief, affiliated with Valdoria
            name, affiliation = owned, affiliation or owner
        bare, title = separate_title(name)
        if title:  # "Foreign Minister Elena Varga"
            name, actor_type, role = bare, "person", role or title
        elif (
            len(words := name.split()) >= 4
            and fold(words[-1]) not in BODY_WORDS
            and reads_as_person(article, " ".join(words[-2:]))
        ):
            # "UN High Commissioner for Human Rights Ivo Renn", "Renn" said later: the office is the
            # role
            name, actor_type, role = " ".join(words[-2:]), "person", role or " ".join(words[:-2])
        aliases = [a for a in (_clean(x) for x in getattr(draft, "aliases", [])) if a]
        if organ := un_organ(name):  # "the Human Rights Council" is the "UN Human Rights Council"
            aliases.append(organ)
        if len(name.split()) > 1 and is_country(name.split(maxsplit=1)[1]) and not is_country(name):
            # "Landlocked Bolivia" is Bolivia
            name, actor_type = name.split(maxsplit=1)[1], "country"
        if (country := capital_of(name)) and actor_type in ("country", "government_body", "other"):
            # "Moscow" acts for Russia
            name, actor_type, aliases = country, "country", [name, *aliases]
        new = _ActorRecord(name, actor_type, role, affiliation, list(draft.evidence), aliases)
        known = next((r for r in records if _same_actor(r, new)), None)
        if known is None:
            records.append(new)
            continue
        if len(new.name) > len(known.name):  # keep the fullest name, the other becomes an alias
            known.name, new.name = new.name, known.name
        known.aliases = [
            a
            for a in dict.fromkeys([*known.aliases, new.name, *new.aliases])
            if fold(a) != fold(known.name)
        ]
        known.role = known.role or new.role
        known.affiliation = known.affiliation or new.affiliation
        known.cited += new.cited
    actors: list[Actor] = []
    for record in records:
        evidence = _actor_evidence(article, record.name, record.type, record.cited)
        if not evidence or only_a_place(article, record.name):
            continue
        actor_id = free_id(record.name, {a.id for a in actors})
        aliases = [a for a in dict.fromkeys(record.aliases) if fold(a) != fold(record.name)]
        actors.append(
            Actor(
                id=actor_id,
                name=record.name,
                type=record.type,
                role=record.role,
                affiliation=record.affiliation,
                aliases=aliases,
                evidence=evidence,
            )
        )
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
            self.learn(actor)

    def learn(self, actor: Actor) -> None:
        """Resolve ``actor``'s id, name forms and (for a country) capital from now on."""
        capitals = capital_forms(actor.name) if actor.type == "country" else ()
        for form in [
            actor.id.replace("-", " "),
            *name_forms(actor.name, actor.type, actor.aliases),
            *capitals,
        ]:
            self._forms.setdefault(fold(form), actor.id)

    def resolve(self, ref: str | None) -> str | None:
        if not ref:
            return None
        folded = fold(ref.replace("-", " ").replace("_", " "))
        if not folded:
            return None
        return self.lookup(folded) or self._add(folded)

    def lookup(self, folded: str) -> str | None:
        """The id of a known actor a folded name refers to, or None; never adds an actor."""
        if folded in self._forms:
            return self._forms[folded]
        match = process.extractOne(
            folded, list(self._forms), scorer=fuzz.ratio, score_cutoff=self.cutoff
        )
        if match:
            return self._forms[match[0]]
        within = {
            i for form, i in self._forms.items() if re.search(rf"\b{re.escape(folded)}\b", form)
        }
        if len(within) == 1:  # "Okafor" of "Sam Okafor", whatever its type
            return within.pop()
        ending = {
            i for form, i in self._forms.items() if " " in form and folded.endswith(" " + form)
        }
        if len(ending) == 1:  # "Human Rights Sam Okafor": the name after an office
            return ending.pop()
        return None

    def _add(self, folded: str) -> str | None:
        """An actor for a proper name the article uses (each word capitalised there), or None."""
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in folded.split()) + r"\b"
        found = re.search(pattern, self.article.text, re.IGNORECASE)
        if (
            found is None
            or not all(w[:1].isupper() for w in found.group(0).split())
            or only_a_place(self.article, found.group(0))
        ):
            return None
        name = found.group(0)
        bare, title = separate_title(name)
        if title and (known := self.lookup(fold(bare))):  # "Minister Sam Okafor" is Sam Okafor
            return known
        actor_type: ActorType = "country" if is_country(name) else "person" if title else "other"
        evidence = spans(self.article, mentions(self.article, [folded])[:3])
        actor_id = free_id(bare, set(self._forms.values()))
        actor = Actor(id=actor_id, name=bare, type=actor_type, role=title, evidence=evidence)
        self.added.append(actor)
        self.learn(actor)
        return actor_id

    def resolve_item(self, item: Any) -> Any:
        """A copy of a draft item with every actor reference resolved; unresolved ones dropped."""
        update: dict[str, Any] = {}
        for name in ("participants", "actors", "targets"):
            if hasattr(item, name):
                update[name] = [
                    x for x in dict.fromkeys(self.resolve(r) for r in getattr(item, name)) if x
                ]
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
            ids.update(
                x for x in (getattr(item, "holder", None), getattr(item, "target", None)) if x
            )
    return ids


def drop_affiliation_countries(
    article: Article, actors: list[Actor], sections: Iterable[Sequence[Any]]
) -> list[Actor]:
    """Contract rule 2: a country that is only someone's nationality is not an actor.

    A country the article never names ("his Egyptian counterpart" names no Egypt) and that
    no item refers to is dropped; small models list one for every affiliation.
    """
    used = referenced_actors(sections)
    return [
        a
        for a in actors
        if a.type != "country"
        or a.id in used
        or mentions(article, name_forms(a.name, a.type, a.aliases))
    ]


def demonym_pattern(country: str) -> re.Pattern[str] | None:
    """The usual English adjectives of a one-word country name: Ruritania(n), Valdoria(n),
    Ukrain(ian), Chin(ese), Turk(ish), Israel(i). A heuristic, used only to find a country's
    part in a sentence, never to make an actor."""
    folded = fold(country)
    if " " in folded or len(folded) < 4:
        return None
    stem = folded.rstrip("aeiouy") or folded
    return re.compile(
        rf"\b(?:{re.escape(folded)}|{re.escape(stem)})(?:n|ns|an|ans|ian|ians|i|is|ese|ish)?\b"
    )


# Reporting verbs: a speaker acts, and so does a capital before one ("Moscow said").
REPORTING_VERBS = (
    r"said|says|told|tells|stated|added|adding|noted|noting|stressed|insisted|reiterated|reaffirmed|affirmed"
    r"|emphasi[sz]ed|underscored|underlined|highlighted|announced|declared|explained|argued|asserted|acknowledged"
    r"|described|wrote|concluded|expressed|voiced|recalled|maintained|repeated|warned|warns|threatened|urged|urges"
    r"|called (?:on|for)|calls (?:on|for)|appealed|demanded|demands|accused|accuses|blamed|denied"
    r"|denies|dismissed"
    r"|condemned|condemns|vowed|vows|pledged|pledges|promised|promises|welcomed|welcomes|praised|backed|supported"
    r"|rejected|rejects|critici[sz]ed|according to|underscores|reaffirms|reiterates|stresses"
    r"|emphasi[sz]es"
    r"|encourages|encouraged|cautioned|calling (?:on|upon|for)|calls upon|called upon|urging"
    r"|warning"
    r"|agreed to|agrees to|wants|wanted|intends to|intended to|stands ready|stand ready"
)
REPORTING = re.compile(rf"\b({REPORTING_VERBS})\b", re.IGNORECASE)

#: words after a capital that make it the government acting ("Moscow has", "Moscow's")
_AUXILIARIES = frozenset(
    "s has have had is was were will would could can must may might should did does".split()
)


def as_actor(folded_text: str, form: str) -> bool:
    """Does the folded text name ``form`` as one that acts: a capital followed by a verb
    ("Moscow dismissed", "Kyiv says") or a possessive, rather than a place ("talks in Moscow")
    or an occasion ("the Abu Dhabi talks")?"""
    for m in re.finditer(rf"\b{re.escape(form)}\b", folded_text):
        rest = folded_text[m.end() :].lstrip()
        after = rest.split()[:1]
        if after and (
            after[0] in _AUXILIARIES or after[0].endswith(("ed", "es")) or REPORTING.match(rest)
        ):
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
            self.named_in[a.id].update(
                s.number
                for s in article.sentences
                if any(as_actor(fold(s.text), c) for c in capitals)
            )
            if a.type == "country" and (demonym := demonym_pattern(a.name)) is not None:
                # "Valdorian troops" name Valdoria as a party to what they did
                self.named_in[a.id].update(
                    s.number for s in article.sentences if demonym.search(fold(s.text))
                )

    def _support(self, number: int, ids: Sequence[str], phrases: Sequence[str]) -> int:
        text = self.folded[number]
        return 2 * sum(phrase in text for phrase in phrases) + sum(
            number in self.named_in.get(i, ()) for i in ids
        )

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

    def align(
        self, cited: Iterable[int], ids: Sequence[str], stated: Iterable[str | None] = ()
    ) -> list[int]:
        phrases = [f for f in (fold(x) for x in stated if x) if f]
        aligned = []
        for number in cited:
            if number not in self.folded:
                continue
            window = [
                n for n in range(number - self.reach, number + self.reach + 1) if n in self.folded
            ]
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


def _casualty_count(value: int | None) -> int | None:
    """A casualty count; zero and negatives are what small models write for "not stated"."""
    return value if value is not None and value > 0 else None


def _known_refs(refs: Iterable[str], known: Iterable[str]) -> list[str]:
    known = set(known)
    return [ref for ref in dict.fromkeys(refs) if ref in known]


#: a phone or video call; not a call for something ("called on both sides", "renewed calls for
#: talks")
_CALL = re.compile(
    r"\b(phone|telephone|call(?! for)|(?:calls|called)(?! for| on| upon)|video|videoconference)\b",
    re.IGNORECASE,
)


def meeting_format(
    stated: MeetingFormat, participants: list[str], evidence: Sequence[Span]
) -> MeetingFormat:
    """A call is what the evidence calls a call; in person, two parties are bilateral."""
    said_call = bool(_CALL.search(evidence_text(evidence)))
    if said_call:
        return "call"
    if stated == "call" or stated in ("bilateral", "multilateral"):
        return "bilateral" if len(participants) == 2 else "multilateral"
    return stated


def ground_meetings(article: Article, drafts: Sequence[Any], aligner: Aligner) -> list[Meeting]:
    meetings = []
    for draft in drafts:
        numbers = aligner.align(
            draft.evidence,
            _known_refs(draft.participants, aligner.named_in.keys()),
            [_stated(article, draft.location), _stated(article, draft.date)],
        )
        participants = aligner.named_participants(
            _known_refs(draft.participants, aligner.named_in.keys()), numbers
        )
        evidence = spans(article, numbers)
        if len(participants) < 2 or not states("meetings", evidence):
            continue
        meetings.append(
            Meeting(
                participants=participants,
                format=meeting_format(draft.format, participants, evidence),
                event=_stated(article, draft.event),
                location=_stated(article, draft.location),
                date=date_ref(
                    _stated(article, draft.date), article.published, evidence_text(evidence)
                ),
                topics=[t for t in (_clean(x) for x in draft.topics) if t],
                status=draft.status,
                evidence=evidence,
            )
        )
    return merge_encounters(meetings)


def merge_encounters(meetings: list[Meeting]) -> list[Meeting]:
    """One entry per encounter: the same participants and format, on the same date or on a
    date only one of them gives, are one meeting.

    Small models list one meeting again for every sentence that mentions it, and articles
    date a meeting in one sentence and not in the next; the contract wants one item whose
    evidence holds all those sentences.
    """
    merged: list[Meeting] = []
    for meeting in meetings:
        index = next(
            (
                i
                for i, known in enumerate(merged)
                if set(known.participants) == set(meeting.participants)
                and known.format == meeting.format
                and (
                    known.date is None
                    or meeting.date is None
                    or known.date.value == meeting.date.value
                )
            ),
            None,
        )
        if index is None:
            merged.append(meeting)
            continue
        known = merged[index]
        evidence = {(s.start, s.end): s for s in [*known.evidence, *meeting.evidence]}
        merged[index] = known.model_copy(
            update={
                "evidence": [evidence[k] for k in sorted(evidence)],
                "topics": list(dict.fromkeys([*known.topics, *meeting.topics]))[:3],
                "event": known.event or meeting.event,
                "location": known.location or meeting.location,
                "date": known.date or meeting.date,
            }
        )
    return merged


def ground_developments(
    article: Article, drafts: Sequence[Any], aligner: Aligner
) -> list[MilitaryDevelopment]:
    developments = []
    known = aligner.named_in.keys()
    for draft in drafts:
        numbers = aligner.align(
            draft.evidence,
            _known_refs(draft.actors, known) + _known_refs(draft.targets, known),
            [_stated(article, draft.location), _stated(article, draft.date)],
        )
        evidence = spans(article, numbers)
        description = _clean(draft.description)
        if description is None or not states("military_developments", evidence):
            continue
        # Small models fill "actors" with whoever the article is about; keep those the evidence
        # names, unless it names none of them ("Valdorian troops" for Valdoria).
        actors = aligner.named(draft.actors, numbers) or _known_refs(draft.actors, known)
        targets = aligner.named(draft.targets, numbers) or _known_refs(draft.targets, known)
        developments.append(
            MilitaryDevelopment(
                type=stated_kind(evidence) or draft.type,
                description=description,
                actors=actors,
                targets=[t for t in targets if t not in actors],
                location=_stated(article, draft.location),
                date=date_ref(
                    _stated(article, draft.date), article.published, evidence_text(evidence)
                ),
                killed=_casualty_count(draft.killed),
                injured=_casualty_count(draft.injured),
                status=draft.status,
                evidence=evidence,
            )
        )
    return _unique(
        developments, lambda d: (d.type, tuple(s.start for s in d.evidence), frozenset(d.actors))
    )


def ground_positions(
    article: Article, drafts: Sequence[Any], aligner: Aligner
) -> list[StatedPosition]:
    positions = []
    known = aligner.named_in.keys()
    for draft in drafts:
        evidence = spans(article, aligner.align(draft.evidence, [draft.holder]))
        topic, position = _clean(draft.topic), _clean(draft.position)
        if (
            topic is None
            or position is None
            or draft.holder not in known
            or not states("stated_positions", evidence)
        ):
            continue
        target = draft.target if draft.target in known and draft.target != draft.holder else None
        positions.append(
            StatedPosition(
                holder=draft.holder,
                kind=draft.kind,
                topic=topic,
                position=position,
                target=target,
                quote=find_quote(evidence) if draft.quoted else None,
                evidence=evidence,
            )
        )
    return _unique(
        positions, lambda p: (p.holder, p.kind, fold(p.topic), tuple(s.start for s in p.evidence))
    )


FORCE_NOUNS = ("forces", "troops", "army", "military", "soldiers")
NOT_A_NAME = frozenset(
    {"the", "a", "an", "both", "all", "his", "her", "their", "its", "our", "some", "many", "two"}
)
#: "TRIPOLI, Feb 19 (Reuters) -": a dateline run into the first sentence names a place, not an actor
DATELINE = re.compile(
    r"^\W*(?:(?:[A-Z][A-Z.'’-]+(?=\s*[/,(–—-])|[A-Z][A-Z.'’-]{4,}(?=\s+[A-Z]))[\s/,]*)+"
    r"(?:\([^)]*\)\s*)?(?:[-–—:]\s*)?"
)


def reads_as_person(article: Article, name: str) -> bool:
    """Does the article treat a name as a person's: a title right before it ("spokesman Ivo
    Renn") or its last word standing alone later ("Renn said")? Places and firms get neither."""
    words = name.split()
    if len(words) < 2:
        return False
    titled = re.search(rf"\b(\w+)\s+{re.escape(name)}", article.text)
    if titled and fold(titled.group(1)) in TITLE_WORDS:
        return True
    surname = re.sub(r"^(?:al|el|ad|as|bin|ibn)-", "", words[-1])  # "Assad" of "Bashar al-Assad"
    alone = re.compile(
        rf"(?<!{re.escape(words[-2])} )(?<![-\w])(?:(?i:al|el|ad|as|bin"
        rf"|ibn)-)?{re.escape(surname)}\b"
        r"(?!\s+[A-Z])"
    )
    return bool(alone.search(article.text))


# Words that name a kind of military development, most specific first.
DEVELOPMENT_STEMS: tuple[tuple[DevelopmentType, tuple[str, ...]], ...] = (
    (
        "ceasefire_or_truce",
        (r"cease-?fire(?! talks| negotiations| proposals?)", "truce", "cessation", "armistice"),
    ),
    (
        "territorial_change",
        (
            "captur",
            "recaptur",
            "seiz",
            r"(?:took|taken|gain\w*|seiz\w*) control",
            "control over",
            "liberat",
            "overran",
            "fell to",
            "entered the",
        ),
    ),
    (
        "weapons_launch_or_test",
        (
            r"launch\w* (?:a |an |the )?(?:[\w-]+ ){0,3}?(?:rocket|missile|satellite)s?\b"
            r"(?! (?:attack|strike|fire|at|against|toward|towards|into)\b)",
            r"(?:rocket|missile|satellite|nuclear|weapons?) (?:launch|test)",
            r"test-fired",
            r"(?:rocket|missile|satellite)s? (?:was|were|has been|had been) launched",
            r"test\w* (?:a |an )?(?:[\w-]+ ){0,2}?(?:rocket|missile|nuclear)",
        ),
    ),
    ("air_or_drone_strike", ("air ?strike", "drone", "warplane", "jets? ", "bomber", "air raid")),
    (
        "shelling_or_missile_strike",
        (
            "shell",
            r"(?:missile|rocket)s? (?:strike|attack|fire|barrage|at|against)\b",
            r"fired (?:[\w-]+ ){0,4}?(?:missiles?|rockets?|shells?)",
            r"(?:missiles?|rockets?) (?:hit|struck|landed|slammed)",
            "artillery",
            "mortar",
        ),
    ),
    ("explosion_or_bombing", ("explo", "blast", "bombing", "car bomb", "suicide")),
    ("withdrawal", ("withdr", "pulled out", "pull out", "retreat")),
    ("deployment", ("deploy", "dispatched", "sent troops", "reinforce")),
    (
        "armed_clash",
        (
            "clash",
            "fighting",
            "fought",
            r"battles?\b",
            "offensive",
            "assault",
            r"(?<!cyber )attack",
            "ambush",
            "storm",
            "combat engagement",
            "opened fire",
            "fired on",
            "shot at",
        ),
    ),
    # a strike the words do not say was from the air or by artillery; most are drones and jets
    (
        "air_or_drone_strike",
        (
            r"strikes? (?:on|against)\b",
            r"struck\b(?! (?:a|an) (?:deal|agreement|accord|balance))",
            r"to strike\b",
        ),
    ),
    # contract rule 22: prisoner exchanges and other measures by armed forces; an aircraft shot down
    (
        "other",
        (
            r"prisoners? (?:of war )?(?:exchange|swap)",
            r"(?:exchange|swap|exchanged|swapped) (?:of )?(?:\d+ )?"
            r"(?:prisoners|captives|pows)",
            "shot down",
            "downed",
        ),
    ),
)
DEVELOPMENT_WORDS = tuple((kind, cues(*stems)) for kind, stems in DEVELOPMENT_STEMS)


def stated_kind(evidence: Sequence[Span] | Sequence[Sentence]) -> DevelopmentType | None:
    """The development type the evidence's own words name, if any. The model picks types
    poorly; "captured" says territorial_change better than it does."""
    return next(
        (kind for kind, words in DEVELOPMENT_WORDS if any(words.search(s.text) for s in evidence)),
        None,
    )
