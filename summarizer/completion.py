"""Stage 4b: complete a briefing from the article's own words.

A small model lists the first few actors and items of an article and stops. What the
article plainly states, it states in words a rule can read: a title before a name, a
reporting verb after a speaker, words of meeting between two actors, words of force with
someone or somewhere. This stage adds those actors and items, merges what one event told
over several sentences, and leaves alone what the model already has.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .article import Article
from .contract import (
    Actor,
    ActorType,
    DevelopmentType,
    Meeting,
    MilitaryDevelopment,
    PositionKind,
    Span,
    StatedPosition,
)
from .drafts import SENTENCE
from .grounding import (
    DATELINE,
    DEVELOPMENT_STEMS,
    DEVELOPMENT_WORDS,
    FORCE_NOUNS,
    NOT_A_NAME,
    REPORTING,
    REPORTING_VERBS,
    ActorResolver,
    Aligner,
    as_actor,
    cues,
    demonym_pattern,
    evidence_text,
    find_quote,
    force_key,
    free_id,
    meeting_format,
    merge_encounters,
    name_forms,
    only_a_place,
    reads_as_person,
    spans,
    stated_kind,
)
from .normalize import (
    BODY_WORDS,
    TITLE_WORDS,
    capital_forms,
    date_ref,
    fold,
    is_country,
    separate_title,
    stated_date,
    stated_place,
    stated_toll,
    un_organ,
)

# The kind of position each reporting verb states ("statement" for the plain ones).
#: "has", "also", "had earlier", "strongly" between a speaker and the reporting verb
_AUXILIARY = (
    r"(?:(?:has|have|had|also|again|later|earlier|previously|then|repeatedly|[a-z]+ly)\s+){0,2}"
)
_REPORTED_KIND: dict[str, PositionKind] = {
    "warn": "warning",
    "thre": "warning",
    "caut": "warning",
    "urge": "demand",
    "urgi": "demand",
    "enco": "demand",
    "call": "demand",
    "appe": "demand",
    "dema": "demand",
    "accu": "accusation",
    "blam": "accusation",
    "deni": "denial",
    "deny": "denial",
    "dism": "denial",
    "reje": "denial",
    "cond": "condemnation",
    "vowe": "commitment",
    "vows": "commitment",
    "pled": "commitment",
    "prom": "commitment",
    "agre": "commitment",
    "inte": "commitment",
    "stan": "commitment",
    "want": "demand",
    "welc": "support",
    "prai": "support",
    "back": "support",
    "supp": "support",
}
#: "He added ...", "..., she said", "It warned ...": the speaker is whoever spoke last
_PRONOUN_SPEAKER = re.compile(
    rf"^\W*(?:he|she|it|they)\b|\b(?:he|she|it|they)\s+(?:also\s+)?(?:{REPORTING_VERBS})\b",
    re.IGNORECASE,
)


def _named_actor(actors: dict[str, Actor], name: str) -> str | None:
    """The actor a name written in the article is, by its name, an alias or a person's surname."""
    folded = fold(name).removeprefix("the ")  # "The AU said" at the start of a sentence
    found = [
        i
        for i, a in actors.items()
        if folded in name_forms(a.name, a.type, a.aliases)
        or (a.type == "country" and folded in capital_forms(a.name))
        or (a.type == "person" and folded.endswith(" " + fold(a.name).split()[-1]))
    ]
    if len(found) > 1:  # "Mira Holt" is Mira Holt, though Karl Holt shares her surname
        found = [
            i
            for i in found
            if actors[i].type == "person"
            and folded in name_forms(actors[i].name, "person", actors[i].aliases)
        ]
    return found[0] if len(found) == 1 else None


#: a speaker that is a common noun ("the agency said", "Valdoria's intelligence agency said",
#: "officials told"), someone new ("a person close to the talks told") or an acronym
_SOMEONE_ELSE_SPEAKS = re.compile(
    r"\b(?:(?:[Tt]he|[Ii]ts|[Tt]heir|[A-Z][\w-]+['’]s)\s+(?:[a-z-]+\s+){0,2}[a-z]+"
    r"|(?P<new>[Aa]n?\s+(?:[A-Z]?[a-z-]+\s+){0,4}[a-z]+)|officials|sources|residents|witnesses"
    r"|analysts|diplomats|experts|locals|villagers|activists|observers|medics|[A-Z]{2,6})"
    r"\s*,?\s+" + _AUXILIARY + r"(?:said|says|told|added|stated|noted|announced)\b"
)


#: a speaker described by office ("The Foreign Secretary stressed ...")
_DESCRIBED_SPEAKER = re.compile(
    r"\b[Tt]he\s+((?:[\w-]+\s+){0,3}?[\w-]+)\s*,?\s+"
    + _AUXILIARY
    + r"(?:"
    + REPORTING_VERBS
    + r")\b"
)


def _speaker(
    aligner: Aligner, actors: dict[str, Actor], number: int, last: str | None
) -> str | None:
    """Who a reporting sentence reports: the one actor named right before a reporting verb;
    nobody listed when that is someone the list lacks ("the agency said"); for "He said ...",
    whoever spoke last (``last``) or the one person the sentence before names; else the one
    person it names, else the one actor it names."""
    text = aligner.sentences[number]
    before_verb = {
        resolved
        for m in _ACTOR_BEFORE_VERB.finditer(text)
        if (resolved := _named_actor(actors, m.group(1))) is not None
    }
    if len(before_verb) == 1:  # "..., spokesman Ivo Renn told reporters"
        return before_verb.pop()
    described = _DESCRIBED_SPEAKER.search(text)
    # "The Foreign Secretary stressed"
    if described and fold(described.group(1)).split()[-1] in TITLE_WORDS:
        titles = set(fold(described.group(1)).split()) & TITLE_WORDS
        fits = [
            i
            for i, a in actors.items()
            if a.type == "person" and a.role and titles <= set(fold(a.role).split())
        ]
        if last in fits or len(fits) == 1:
            return last if last in fits else fits[0]
    other = _SOMEONE_ELSE_SPEAKS.search(text)
    # "the agency said" and "a spokesman said", not "the minister said"
    if other and (other.group("new") or not set(fold(other.group(0)).split()) & TITLE_WORDS):
        return None
    if _PRONOUN_SPEAKER.search(text):
        if last is not None:
            return last
        before = [
            i
            for i, found in aligner.named_in.items()
            if number - 1 in found and actors[i].type == "person"
        ]
        return before[0] if len(before) == 1 else None
    named = [i for i, found in aligner.named_in.items() if number in found]
    people = [i for i in named if actors[i].type == "person"]
    if len(people) == 1:
        return people[0]
    return named[0] if not people and len(named) == 1 else None


def _reported_clause(text: str, verb: re.Match[str], end: int) -> str | None:
    """What a reporting verb reports: the words after it up to ``end``, or, for "..., he
    said.", the words before it; None when fewer than three words."""
    clause = text[verb.end() : end].strip(" ,:;\"“”'").removeprefix("that ").strip()
    if len(clause.split()) < 3:
        clause = text[: verb.start()].strip(" ,:;\"“”'")
    return clause if len(clause.split()) >= 3 else None


_PLAIN_TELLING = re.compile(
    r"said|says|told|tells|added|adding|stated|announced|noted|noting|according to", re.IGNORECASE
)


def _a_factual_update(clause: str) -> bool:
    """Does a plainly reported clause tell a toll ("41 people had been killed")? Contract
    rule 21: a casualty tally is evidence of a development, not a position."""
    return bool(_CASUALTIES.search(clause))


def _goes_on_quoting(text: str, verbs: list[re.Match[str]]) -> bool:
    """Is the sentence a quotation that a pronoun plainly attributes ("“...,” she said.")?"""
    return (
        text.lstrip()[:1] in '"“'
        and bool(verbs)
        and all(_PLAIN_TELLING.fullmatch(v.group(1)) for v in verbs)
        and bool(_PRONOUN_SPEAKER.search(text))
    )


def attributed_positions(
    article: Article, actors: Sequence[Actor], positions: list[StatedPosition], aligner: Aligner
) -> list[StatedPosition]:
    """The positions plus one for every reporting sentence ("X said ...") with a clear speaker
    that no position of that speaker cites: a small model stops listing positions long before
    the article stops reporting them. The position is the reported clause, as written; a
    second verb of another kind ("... and demanded ...") is a second position (contract rule 6)."""
    by_id = {a.id: a for a in actors}
    cited = {(p.holder, s.start) for p in positions for s in p.evidence}
    added: list[StatedPosition] = []
    last: str | None = None  # who spoke last: "They also urged ..." is still them
    for sentence in article.sentences:
        verbs = list(REPORTING.finditer(sentence.text))
        holder = _speaker(aligner, by_id, sentence.number, last) if verbs else None
        last = holder or last
        if holder is None or (holder, sentence.start) in cited:
            continue
        evidence = spans(article, [sentence.number])
        if (
            _goes_on_quoting(sentence.text, verbs)
            and added
            and added[-1].holder == holder
            and any(
                s.end <= sentence.start and article.text[s.end : sentence.start].strip() == ""
                for s in added[-1].evidence
            )
        ):
            # "“Progress is slow,” she told reporters.": more of the position just told (contract
            # rule 6)
            added[-1] = added[-1].model_copy(
                update={
                    "evidence": [*added[-1].evidence, *evidence],
                    "quote": added[-1].quote or find_quote(evidence),
                }
            )
            continue
        kinds: set[str] = set()
        for n, verb in enumerate(verbs):
            # "backed by air strikes" reports nobody
            if sentence.text[verb.end() :].startswith(" by "):
                continue
            kind = _REPORTED_KIND.get(verb.group(1).lower()[:4], "statement")
            # "... and demanded ...", "..., warning that ...": a second position
            joined = (
                not kinds
                or re.search(r"(?:\band|,)\s*$", sentence.text[: verb.start()])
                and (
                    not sentence.text[: verb.start()].rstrip().endswith(",")
                    or verb.group(1).split()[0].lower().endswith("ing")
                )
            )
            if kind in kinds or not joined:
                continue
            clause = _reported_clause(
                sentence.text,
                verb,
                verbs[n + 1].start() if n + 1 < len(verbs) else len(sentence.text),
            )
            if (
                clause is None
                or verb.group(1).lower() == "according to"
                or (_PLAIN_TELLING.match(verb.group(1)) and _a_factual_update(clause))
            ):
                continue
            kinds.add(kind)
            words = clause.split()
            position = (
                " ".join(words)[:SENTENCE].rsplit(" ", 1)[0] if len(clause) > SENTENCE else clause
            )
            added.append(
                StatedPosition(
                    holder=holder,
                    kind=kind,
                    topic=" ".join(words[:5]).strip(",.;:\"“”'"),
                    position=position,
                    quote=find_quote(evidence),
                    evidence=evidence,
                )
            )
    return [*positions, *added]


_NAME_BEFORE_VERB = re.compile(
    r"((?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+)\s*,?\s+"
    + _AUXILIARY
    + r"(?:"
    + REPORTING_VERBS
    + r")\b"
)
#: the same, a known actor by one word too ("Renn has warned", "Valdoria said")
_ACTOR_BEFORE_VERB = re.compile(
    r"((?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’-]+)\s*,?\s+"
    + _AUXILIARY
    + r"(?:"
    + REPORTING_VERBS
    + r")\b"
)


def add_speakers(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors plus everyone named as a speaker ("... Foreign Minister Ivo Renn said") whom
    the list lacks: whoever states a position is an actor, and small models miss many."""
    resolver = ActorResolver(article, actors)
    for sentence in article.sentences:
        for match in _NAME_BEFORE_VERB.finditer(sentence.text):
            name = match.group(1)
            if not (
                fold(name).split()[0] in {"the", "a", "an", "he", "she", "they", "it"}
                or any(fold(w) in BODY_WORDS for w in name.split())
            ):
                resolver.resolve(name)
    return [
        *actors,
        *(
            a.model_copy(update={"type": "person"})
            if a.type == "other" and reads_as_person(article, a.name)
            else a
            for a in resolver.added
        ),
    ]


_FORCE_MODIFIERS = (
    "government",
    "regime",
    "armed",
    "occupation",
    "opposition",
    "rebel",
    "special",
    "coalition",
    "allied",
    "ground",
    "naval",
    "air",
)
#: "Russian forces", "Syrian government forces", "Valdorian troops": a state's forces named by a
#: proper word
_NAMED_FORCE = re.compile(
    r"\b([A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|"
    + "|".join(_FORCE_MODIFIERS)
    + r"))*)\s+("
    + "|".join(FORCE_NOUNS)
    + r")\b"
)


def add_forces(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors plus the forces the article names ("Valdorian troops") that the list lacks:
    developments are mostly carried out by them, and small models list the country instead.
    One state's forces under another noun become an alias of the actor it already has."""
    resolver = ActorResolver(article, actors)
    found = list(actors)
    for sentence in article.sentences:
        for match in _NAMED_FORCE.finditer(sentence.text):
            words = match.group(0).split()
            while words and fold(words[0]) in NOT_A_NAME:
                words = words[1:]
            if len(words) < 2 or words[0].lower() in _FORCE_MODIFIERS:
                continue
            name = " ".join(words)
            if resolver.lookup(fold(name)) is not None:
                continue
            same = next(
                (
                    i
                    for i, a in enumerate(found)
                    if a.type in _FIGHTING_TYPES
                    and force_key(a.name)
                    and force_key(a.name) == force_key(name)
                ),
                None,
            )
            if same is None:
                found.append(
                    Actor(
                        id=free_id(name, {a.id for a in found}),
                        name=name,
                        type="military",
                        evidence=spans(article, [sentence.number]),
                    )
                )
            else:  # "Valdorian troops" after "Valdorian forces": one actor, a state's, so military
                found[same] = found[same].model_copy(
                    update={"aliases": [*found[same].aliases, name], "type": "military"}
                )
            resolver.learn(found[same if same is not None else -1])
    return found


#: a run of capitalised words, with the lowercase particles of names and bodies inside it
#: ("Bashar al-Assad", "Security Service of Ukraine", "Ivo van der Berg")
_PARTICLES = frozenset("of for the al el de bin van von der du da ad as ibn".split())
_PROPER_RUN = re.compile(
    r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|for|the|al|el|de|bin|van|von|der|du|da)\s+)*"
    r"(?:(?:al|el|ad|as|bin|ibn)-)?[A-Z][\w'’.-]*)*"
)
#: words that start a sentence without being part of the name after them ("On Monday", "While
#: Ruritanian ...")
_LEADING_WORDS = frozenset(
    """
    the a an on in at while since as after before during with by for from to when but and if
    although though under over meanwhile however also last next this that these those twice once
    then there here its his her their our some many several both all each every other another
    such no not only even yet still so thus one two three four five six seven eight nine ten
    dozens hundreds thousands january february march april may june july august september
    october november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday
    wednesday thursday friday saturday sunday
""".split()
)
_ORGANISATION_WORDS: dict[ActorType, tuple[str, ...]] = {
    "international_organization": ("nations", "union", "organization", "organisation", "alliance"),
    "military": ("forces", "army", "navy", "brigade", "corps", "guard", "guards", "command"),
}


def _principal(
    article: Article, run: str, common: set[str]
) -> tuple[str, ActorType, str | None] | None:
    """(name, type, role) of an actor a proper-name run plainly names, or None.

    A titled person ("President Ivo Renn"), a person whose surname stands alone elsewhere, a
    country by its name, a body by its kind of word ("State Security Council"), an acronym.
    """
    words = run.split()
    ends = next(
        (i for i, w in enumerate(words) if w.endswith(".") and "." not in w[:-1] and len(w) > 3),
        None,
    )
    # "... the Alliance. Security" ends at the full stop
    words = words[: ends + 1] if ends is not None else words
    while words and (fold(words[0]) in _LEADING_WORDS or words[0].endswith(("ing", "ly"))):
        words = words[1:]
    while words and fold(words[-1]) in {"of", "for", "the", "and"}:
        words = words[:-1]
    if not words:
        return None
    name = " ".join(words).rstrip(".").removesuffix("'s").removesuffix("’s")
    bare, title = separate_title(name)
    if title:
        bare_words = fold(bare).split()
        if bare_words[-1] in common or any(w.removesuffix("s") in TITLE_WORDS for w in bare_words):
            return None  # "Foreign Ministers Meeting" is an occasion
        return bare, "person", title
    folded = fold(name).split()
    if is_country(name):
        return name, "country", None
    # "Chair of the Military Committee" is an office
    if folded[0] in TITLE_WORDS and "of" in folded:
        return None
    if un_organ(name):
        return name, "international_organization", None
    if any(w in BODY_WORDS for w in folded) and len(folded) > 1:
        kind: ActorType = next(
            (k for k, nouns in _ORGANISATION_WORDS.items() if any(w in nouns for w in folded)),
            "government_body",
        )
        return name, kind, None
    if (
        2 <= len(words) <= 4
        and not any(w in TITLE_WORDS or (w in common and w not in _PARTICLES) for w in folded)
        and reads_as_person(article, name)
    ):
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
        text = (
            DATELINE.sub("", sentence.text)
            if sentence.number == article.sentences[0].number
            else sentence.text
        )
        for match in _PROPER_RUN.finditer(text):
            found = _principal(article, match.group(0), common)
            if found is None:
                continue
            name, actor_type, role = found
            if resolver.lookup(fold(name)) is not None or only_a_place(article, name):
                continue
            actor = Actor(
                id=free_id(name, {a.id for a in [*actors, *added]}),
                name=name,
                type=actor_type,
                role=role,
                evidence=spans(article, [sentence.number]),
            )
            added.append(actor)
            resolver.learn(actor)
    return [*actors, *added]


_FORCE_TYPES = ("military", "armed_group", "country", "government_body")
_FIGHTING_TYPES = ("military", "armed_group")
#: a development demanded, threatened, planned, imagined or denied ("must withdraw", "would answer
#: any attack", "plans to launch", "have not captured") did not happen; a call for a ceasefire
#: leaves the fighting real
_UNREAL = {
    kind: re.compile(
        r"\b(must|should|would|could|might|may|calls? for|called for|urged?|urging|threat\w*"
        r"|plans? to|planned to|intends? to|intended to|aims? to|ready to"
        r"|fail(?:s|ed)? to|negotiat\w*|not|never|no"
        r"|\w+n['’]t)\s+"
        r"(?:\w+\s+){0,4}?(?:" + "|".join(stems) + ")",
        re.IGNORECASE,
    )
    for kind, stems in DEVELOPMENT_STEMS
}


def _real_kind(text: str) -> DevelopmentType | None:
    """The first kind of development a sentence tells as having happened ("fighting broke
    out, drawing calls for a ceasefire" is fighting), or None."""
    return next(
        (
            kind
            for kind, words in DEVELOPMENT_WORDS
            if words.search(text) and not _UNREAL[kind].search(text)
        ),
        None,
    )


#: "the African Union (AU)": a name and the acronym the article gives it
_DEFINED_ACRONYM = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|the|and)\s+)*){1,8}[A-Z][\w'’-]+)\s*\(([A-Z][A-Z0-9]{1,7})\)"
)


def with_acronyms(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors, each with the acronym the article defines for its name ("the African Union
    (AU)") among its aliases, so that "The AU urges ..." is found to be it."""
    defined: dict[str, str] = {}
    for match in _DEFINED_ACRONYM.finditer(article.text):
        words = match.group(1).split()
        for start in range(len(words)):  # "The African Union" and "African Union" both name it
            defined.setdefault(fold(" ".join(words[start:])), match.group(2))
    return [
        a.model_copy(update={"aliases": [*a.aliases, acronym]})
        if (acronym := defined.get(fold(a.name))) and acronym != a.name and acronym not in a.aliases
        else a
        for a in actors
    ]


#: "with their Armenian and Azeri counterparts": an unnamed counterpart (a named one, "his
#: Valdorian counterpart Ivo Renn", is an actor by name)
_COUNTERPARTS = re.compile(
    r"\b(?:his|her|their)\s+([A-Z][\w-]+(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)[A-Z][\w-]+)*)"
    r"\s+counterparts?\b(?!\s*,?\s*(?:[A-Z]|the\s+[A-Z]))"
)


def _counterparts(text: str, actors: dict[str, Actor]) -> list[tuple[str, str, str]]:
    """(person id, counterpart's name, demonym) for each unnamed counterpart a sentence gives
    the people named before it: "Valdoria's foreign and defence ministers talked with their
    Ostrian counterparts" pairs each minister with the Ostrian holder of the same office."""
    found: list[tuple[str, str, str]] = []
    for match in _COUNTERPARTS.finditer(text):
        demonyms = re.split(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+", match.group(1))
        head = fold(text[: match.start()])
        for actor_id, actor in actors.items():
            if (
                actor.type != "person"
                or not actor.role
                or not re.search(rf"\b{re.escape(fold(actor.name))}\b", head)
            ):
                continue
            found.extend(
                (actor_id, f"{demonym} {actor.role.lower()}", demonym) for demonym in demonyms
            )
    return found


def add_counterparts(article: Article, actors: list[Actor]) -> list[Actor]:
    """The actors plus every unnamed counterpart ("their Ostrian counterparts"): the
    counterpart takes part in a meeting the article tells, though it never gives a name."""
    by_id = {a.id: a for a in actors}
    countries = [a.name for a in actors if a.type == "country"]
    found = list(actors)
    for sentence in article.sentences:
        for _, name, demonym in _counterparts(sentence.text, by_id):
            if any(fold(a.name) == fold(name) for a in found):
                continue
            country = next(
                (c for c in countries if (p := demonym_pattern(c)) and p.fullmatch(fold(demonym))),
                None,
            )
            found.append(
                Actor(
                    id=free_id(name, {a.id for a in found}),
                    name=name,
                    type="person",
                    role=name.split(" ", 1)[1],
                    affiliation=country,
                    evidence=spans(article, [sentence.number]),
                )
            )
    return found


def complete(
    article: Article, actors: list[Actor], sections: dict[str, list[Any]]
) -> tuple[list[Actor], dict[str, list[Any]]]:
    """What the model left out and the article plainly states: speakers as actors, reporting
    sentences as positions, sentences of meeting or of force as meetings and developments."""
    actors = add_counterparts(
        article,
        with_acronyms(
            article, add_principals(article, add_forces(article, add_speakers(article, actors)))
        ),
    )
    aligner = Aligner(article, actors)
    return actors, {
        "meetings": stated_meetings(article, actors, sections.get("meetings", []), aligner),
        "military_developments": stated_developments(
            article, actors, sections.get("military_developments", []), aligner
        ),
        "stated_positions": attributed_positions(
            article, actors, sections.get("stated_positions", []), aligner
        ),
    }


def _not_places(actors: Sequence[Actor]) -> set[str]:
    """The folded names of the actors that cannot be where something happened."""
    return {
        fold(a.name)
        for a in actors
        if a.type in ("person", "international_organization", "government_body")
    }


def stated_developments(
    article: Article,
    actors: Sequence[Actor],
    developments: list[MilitaryDevelopment],
    aligner: Aligner,
) -> list[MilitaryDevelopment]:
    """The developments plus one for every sentence that names a kind of development (a
    capture, a drone strike, a ceasefire...) and that none cites: the model lists the first
    few and stops. Its actors are the forces and countries the sentence names."""
    cited = {s.start for d in developments for s in d.evidence}
    by_id = {a.id: a for a in actors}
    not_places = _not_places(actors)
    added: list[MilitaryDevelopment] = []
    for sentence in article.sentences:
        kind = _real_kind(sentence.text)
        if (
            stated_kind([sentence]) is None
            and added
            and added[-1].type in _DEADLY
            and _CASUALTIES.search(sentence.text)
            and _follows(added[-1], sentence, article, 0)
        ):
            killed, injured = stated_toll(sentence.text)
            added[-1] = added[-1].model_copy(
                update={
                    "evidence": [*added[-1].evidence, *spans(article, [sentence.number])],
                    "killed": added[-1].killed or killed,
                    "injured": added[-1].injured or injured,
                }
            )
            continue  # "Six people were killed." tells the toll of the strike before it
        if kind is None or sentence.start in cited or _background(sentence.text, article):
            continue
        forces = [
            i
            for i, found in aligner.named_in.items()
            if sentence.number in found and by_id[i].type in _FORCE_TYPES
        ]
        mentioned = _mentions_in(aligner, by_id, sentence.number)
        targets = [
            i
            for i in forces
            if mentioned.get(i) and all(before in _AT_TARGET for _, before in mentioned[i])
        ]
        forces = [i for i in forces if i not in targets]
        # the troops acted, not their country
        if any(by_id[i].type in _FIGHTING_TYPES for i in forces):
            forces = [i for i in forces if by_id[i].type in _FIGHTING_TYPES]
        evidence = spans(article, [sentence.number])
        words = sentence.text.split()
        description = " ".join(words[:25]) + (" ..." if len(words) > 25 else "")
        place = stated_place(sentence.text, not_places)
        if not forces and place is None:  # no one and nowhere: talk of war, not an event
            continue
        killed, injured = stated_toll(sentence.text)
        development = MilitaryDevelopment(
            type=kind,
            description=description,
            actors=forces,
            targets=targets,
            location=place,
            killed=killed,
            injured=injured,
            status="reported",
            evidence=evidence,
        )
        retold = next((i for i, d in enumerate(added) if _retells(d, development)), None)
        if added and _goes_on(added[-1], development, article):
            added[-1] = _merged(added[-1], development)
        elif retold is not None:
            added[retold] = _merged(added[retold], development)
        else:
            added.append(development)
    return [*developments, *added]


#: words after which a force is the target of a development ("strikes on Valdoria"), not its author
_AT_TARGET = frozenset(
    "on against targeting targeted at hit struck attacked into toward towards".split()
)
_LONG_AGO = re.compile(
    r"\b(?:years? ago|last year|in recent years|decades?|years of (?:\w+ "
    r")?(?:war|fighting|conflict))\b",
    re.IGNORECASE,
)


_LATELY = re.compile(
    r"\b(?:on (?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday"
    r"|overnight|this (?:week|morning))\b",
    re.IGNORECASE,
)


def _background(text: str, article: Article) -> bool:
    """Does the sentence tell the background (contract rule 5): "five years ago", "last
    year", a year before the article's ("since 2014")?"""
    # "struck on Friday, ... linked to attacks last year": the news is Friday's
    if _LATELY.search(text):
        return False
    years = [int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", text)]
    old = article.published is not None and any(y < article.published.year for y in years)
    return old or bool(_LONG_AGO.search(text))


#: the kinds of development a toll reported after them belongs to
_DEADLY = (
    "armed_clash",
    "air_or_drone_strike",
    "shelling_or_missile_strike",
    "explosion_or_bombing",
    "attack_on_civilians",
)
_CASUALTIES = re.compile(
    r"\b(killed|killing|dead|died|wounded|injured|injuring|casualties|toll)\b", re.IGNORECASE
)


def _follows(
    earlier: MilitaryDevelopment, sentence: Span | Any, article: Article, gap: int = 1
) -> bool:
    """Is the sentence at most ``gap`` sentences after the development's last evidence?"""
    return (
        0
        <= sum(earlier.evidence[-1].end <= s.start < sentence.start for s in article.sentences)
        <= gap
    )


def _goes_on(earlier: MilitaryDevelopment, later: MilitaryDevelopment, article: Article) -> bool:
    """Does ``later`` tell more of ``earlier``: the same kind, close by, with no other place or
    side? News reports tell one strike over several sentences; the contract wants one entry."""
    return (
        earlier.type == later.type
        and _follows(earlier, later.evidence[0], article)
        and (
            earlier.location is None or later.location is None or earlier.location == later.location
        )
        and (not earlier.actors or not later.actors or set(earlier.actors) == set(later.actors))
    )


#: "the ceasefire", "the full cessation": the truce the article already told
_THE_TRUCE = re.compile(
    r"\bthe\s+(?:[\w-]+\s+){0,2}(?:cease-?fire|truce|cessation|armistice)\b", re.IGNORECASE
)


def _family(kind: str) -> str:
    return (
        "strike"
        if kind in ("air_or_drone_strike", "shelling_or_missile_strike", "explosion_or_bombing")
        else kind
    )


def _retells(earlier: MilitaryDevelopment, later: MilitaryDevelopment) -> bool:
    """Does ``later`` tell ``earlier`` again further on: the same kind of strike or the same
    kind by the same forces, in the same place or none stated, or "the ceasefire" after a
    ceasefire? Reports come back to their main event."""
    if earlier.type == later.type == "ceasefire_or_truce" and _THE_TRUCE.search(
        evidence_text(later.evidence)
    ):
        return True
    return (
        _family(earlier.type) == _family(later.type)
        and bool(earlier.actors)
        and set(later.actors) <= set(earlier.actors)
        and (later.location is None or later.location == earlier.location)
    )


def _merged(earlier: MilitaryDevelopment, later: MilitaryDevelopment) -> MilitaryDevelopment:
    return earlier.model_copy(
        update={
            "evidence": [*earlier.evidence, *later.evidence],
            "killed": earlier.killed or later.killed,
            "injured": earlier.injured or later.injured,
            "actors": earlier.actors or later.actors,
            "location": earlier.location or later.location,
        }
    )


_MEETING_WORDS = cues(
    "met\\b",
    "meets\\b",
    "meeting",
    "talks",
    "discussions",
    "phone",
    "call with",
    "spoke (?:with|to)",
    "visit",
    "hosted",
    "received",
    "summit",
    "held (?:a )?(?:call|meeting|talks)",
)
#: "A met (with) B", "A held talks with B", "A spoke by phone with B": one party meets the others,
#: each on its own (contract: "he also met A, B and C" is three bilateral meetings). Matched in
#: folded text.
_ONE_TO_ONE = re.compile(
    r"\b(?:met|meets|meeting|hosted|received|visited|called(?! for| on| upon)|phoned|spoke|talked"
    r"|(?:held|had|engaged in|in) (?:\w+ ){0,2}(?:talks|discussions|call|meeting|conversation)"
    r"|(?:during|after|before) (?:\w+ ){0,2}(?:talks|discussions|call"
    r"|meeting|conversation)(?= with))"
    r"(?: by (?:tele)?phone| on the phone)?(?: with| to)?\b"
)
_TOPIC_OR_PLACE = frozenset(
    (
        "in",
        "to",
        "about",
        "on",
        "over",
        "regarding",
        "including",
        "at",
        "into",
        "near",
        "discuss",
        "against",
    )
)
#: "the talks", "the meeting": a sentence that goes on about a meeting already told
_THE_MEETING = re.compile(
    r"\b(?:the|these|those|this|that)\s+(?:\w+\s+)?(?:talks|meetings?|summit|call|visit|session"
    r"|negotiations|discussions)\b",
    re.IGNORECASE,
)
#: "an adviser to (President) ...": the one named next is whom the person serves, not a party
_IN_SERVICE_OF = re.compile(
    r"\b(?:advis[eo]rs?|aides?|envoys?|spokes(?:man|woman|person)|assistants?|deputy)\s+(?:to|for|of)"
    r"\s+(?:[\w-]+\s+){0,3}$"
)
_NEARBY = 600  # characters: about three sentences of news
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:[\w ]{0,30},\s*)?(he|she)\b", re.IGNORECASE)


def _mentions_in(
    aligner: Aligner, actors: dict[str, Actor], number: int
) -> dict[str, list[tuple[int, str]]]:
    """Where the sentence names each actor: (position, the word before) in folded text. A name
    that only gives a title's affiliation ("Valdoria's Foreign Minister") is left out."""
    text = aligner.folded[number]
    found: dict[str, list[tuple[int, str]]] = {}
    for actor_id, numbers in aligner.named_in.items():
        if number not in numbers:
            continue
        actor = actors[actor_id]
        capitals = capital_forms(actor.name) if actor.type == "country" else ()
        forms = [
            *name_forms(actor.name, actor.type, actor.aliases),
            *(c for c in capitals if as_actor(text, c)),
        ]
        patterns = [re.compile(rf"\b{re.escape(f)}\b") for f in forms]
        if actor.type == "country" and (demonym := demonym_pattern(actor.name)) is not None:
            patterns.append(demonym)
        for pattern in patterns:
            for m in pattern.finditer(text):
                after = text[m.end() :].split()[:2]
                if after[:1] == ["s"]:
                    after = after[1:]
                if after and after[0] in TITLE_WORDS:
                    continue
                before = [w for w in text[: m.start()].split() if w != "the"][-1:]
                found.setdefault(actor_id, []).append((m.start(), before[0] if before else ""))
    return found


#: taking part in a session of a body: "addressed the Security Council", "told a Council meeting"
_ADDRESSED = re.compile(
    r"\b(?:told|addressed|addressing|chaired|chairing|convened|convening|briefed|briefing"
    r"|attended|attending|(?:participated|participating|took part|taking part) in"
    r"|(?:spoke|speaking) (?:at|before|to))\s+(?:a |an |the )?"
)
_SITTING_BODIES = frozenset(
    "council committee assembly parliament congress senate commission conference".split()
)
_SESSION_WORDS = frozenset(
    "meeting meetings session sessions summit ministerial ministerials conference".split()
)


def _session(aligner: Aligner, actors: dict[str, Actor], number: int) -> list[str]:
    """[person, body] when one person addresses, chairs or attends a session of a body on the
    list ("Renn briefed the Arden Council", "Renn attended the Arden Union ministerial
    meetings"): the one person named before the verb, else the one the sentence names; else []."""
    text = aligner.folded[number]
    for match in _ADDRESSED.finditer(text):
        rest = text[match.end() :]
        for body, actor in actors.items():
            if actor.type not in ("government_body", "international_organization"):
                continue
            form = next(
                (
                    f
                    for f in name_forms(actor.name, actor.type, actor.aliases)
                    if rest.startswith(f + " ") or rest == f
                ),
                None,
            )
            if form is None or not (
                _SITTING_BODIES & set(fold(actor.name).split())
                or _SESSION_WORDS & set(rest[len(form) :].split()[:3])
            ):
                continue
            # who attends: the one person before the verb, or the one person the sentence names
            # ("Addressing the Council, Renn said ...")
            people = [
                i
                for i, numbers in aligner.named_in.items()
                if number in numbers and actors[i].type == "person"
            ]
            mentioned = _mentions_in(aligner, actors, number)
            subjects = [
                i
                for i in people
                if mentioned.get(i) and all(pos < match.start() for pos, _ in mentioned[i])
            ]
            subjects = subjects or people
            if len(subjects) == 1:
                return [subjects[0], body]
    return []


def stated_meetings(
    article: Article, actors: Sequence[Actor], meetings: list[Meeting], aligner: Aligner
) -> list[Meeting]:
    """The meetings plus those of every sentence that says actors met (met, talks, a call, a
    visit...) and that no meeting cites. "A met B, C and D" is a meeting of A with each; "He
    also met ..." takes the last one who met; otherwise everyone the sentence names met."""
    cited = {s.start for m in meetings for s in m.evidence}
    by_id = {a.id: a for a in actors}
    not_places = _not_places(actors)
    added: list[Meeting] = []
    subject: str | None = None
    # the last sentence of meeting that gave a date, and the date
    last_dated: tuple[int, str] | None = None
    for sentence in article.sentences:
        if sentence.start in cited:
            continue
        session = _session(aligner, by_id, sentence.number)
        # "Renn addressed the Security Council": a session of a body (contract § Meeting)
        if session:
            added.append(
                Meeting(
                    participants=session,
                    format="multilateral",
                    status="occurred",
                    evidence=spans(article, [sentence.number]),
                    location=stated_place(sentence.text, not_places),
                    date=date_ref(stated_date(sentence.text), article.published, sentence.text),
                )
            )
            continue
        if not _MEETING_WORDS.search(sentence.text):
            continue
        speakers = {
            _named_actor(by_id, m.group(1)) for m in _NAME_BEFORE_VERB.finditer(sentence.text)
        }
        # not troops (a talk's topic), not "to discuss Syria" nor "talks in Ostrov"
        mentioned = sorted(
            (min(pos for pos, before in found if before not in _TOPIC_OR_PLACE), i)
            for i, found in _mentions_in(aligner, by_id, sentence.number).items()
            if by_id[i].type != "military"
            and any(before not in _TOPIC_OR_PLACE for _, before in found)
        )
        text = aligner.folded[sentence.number]
        verb = _ONE_TO_ONE.search(text)
        # not whom someone works for ("Renn, an adviser to President Kral, met ...")
        mentioned = [(pos, i) for pos, i in mentioned if not _IN_SERVICE_OF.search(text[:pos])]
        # not the speaker ("A met B, spokesman C said"), unless the speaker is the one who met
        # ("C called for calm during talks with B")
        named = [(pos, i) for pos, i in mentioned if i not in speakers]
        if (
            verb
            and verb.group(0).endswith(" with")
            and not any(pos < verb.start() for pos, _ in named)
        ):
            named = [(pos, i) for pos, i in mentioned if i not in speakers or pos < verb.start()]
        before = [i for pos, i in named if verb and pos < verb.start()]
        after = [i for pos, i in named if verb and pos >= verb.end() and i not in before]
        if verb and not before and subject and _PRONOUN_SUBJECT.match(sentence.text):
            before = [subject]
        evidence = spans(article, [sentence.number])
        place = stated_place(sentence.text, not_places)
        counterparts = [
            [person, other]
            for person, name, _ in _counterparts(sentence.text, by_id)
            if (other := next((a.id for a in actors if fold(a.name) == fold(name)), None))
        ]
        # "A and B talked with their Ostrian counterparts": one meeting of each with theirs
        if counterparts:
            groups = counterparts
        elif len(before) == 1 and after:
            subject = before[0]
            groups = [[subject, other] for other in after]
        else:
            groups = [[i for _, i in named]]
            # "Varga attended the summit": she may meet more
            if named and by_id[named[0][1]].type == "person":
                subject = named[0][1]
        phrase = stated_date(sentence.text)
        if phrase is None and last_dated is not None and sentence.number - last_dated[0] <= 2:
            # "During the event, he met ...": the occasion's date (contract rule 26)
            phrase = last_dated[1]
        elif phrase is not None:
            last_dated = (sentence.number, phrase)
        date = date_ref(phrase, article.published, sentence.text)
        if all(len(participants) < 2 for participants in groups):
            if (
                added
                and _THE_MEETING.search(sentence.text)
                and sentence.start - added[-1].evidence[-1].end < _NEARBY
            ):
                # "Officials gave few details of the talks": more on the meeting just told
                added[-1] = added[-1].model_copy(
                    update={"evidence": [*added[-1].evidence, *evidence]}
                )
            continue
        for participants in groups:
            if len(participants) >= 2:
                added.append(
                    Meeting(
                        participants=participants,
                        location=place,
                        status="occurred",
                        evidence=evidence,
                        date=date,
                        format=meeting_format("bilateral", participants, evidence),
                    )
                )
    return merge_encounters([*meetings, *added])
