"""Candidates for every section of a briefing, read from the parse of the article.

The parse gives who did what to whom whatever the word order: a speaker after its verb
("said the minister"), a quote before it, an appositive title, a passive toll ("Twenty-five
people were killed"), a development under a demand ("demanded that Y withdraw"). Word lists
are data (:mod:`summarizer.lexicon`); the rules here are general English syntax.

``propose(article)`` returns :class:`Proposals`: actors (one per real-world entity, with the
surface forms that refer to it), and meetings, developments and positions whose actors are
actor keys (:attr:`ActorProposal.key`). Every candidate carries its article sentence numbers.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from .article import Article
from .contract import (
    ActorType,
    DevelopmentStatus,
    DevelopmentType,
    MeetingFormat,
    MeetingStatus,
    PositionKind,
)
from .lexicon import Lexicon, lexicon
from .normalize import (
    COUNTRY_VARIANTS,
    TITLE_JOINERS,
    TITLE_WORDS,
    capital_of,
    fold,
    is_country,
    resolve_date,
    separate_title,
)
from .parsing import ParsedArticle, Token, parse
from .scoring import name_key

# Universal dependency labels and parts of speech the rules read (spaCy's English scheme).
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_OBJECTS = ("dobj", "pobj", "attr", "dative", "oprd")
_NAME_JOINERS = ("of", "for")
_LOCATIVE = (
    "in",
    "at",
    "near",
    "outside",
    "around",
    "inside",
    "across",
    "into",
    "from",
    "off",
    "to",
)
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_QUOTES = '"“”„«»'
_STANDING_TAGS = ("VB", "VBZ")
"""Verb tags of the present and the base form: a predicate that tells no past event."""
#: the key of the actor "Varnian troops", "Varnian rebels", "the Varnian government" make
#: kinds of a named organisation whose "forces", "fighters" are the organisation itself
_ORGANISED = ("military", "armed_group")
_BODY_KEYS = {"military": "forces", "armed_group": "fighters", "government_body": "government"}
_DATELINE_DASHES = ("-", "--", "—", "–")
#: position kinds whose verb takes a stance on an event someone else carried out
_STANCES_ON_AN_EVENT = ("condemnation", "support", "accusation", "demand")
_USES_OF_FORCE = (
    "armed_clash",
    "air_or_drone_strike",
    "shelling_or_missile_strike",
    "explosion_or_bombing",
    "attack_on_civilians",
)
_PERSON_PRONOUNS = ("he", "she", "him", "her", "his")
_OTHER_PRONOUNS = ("it", "they", "them", "its", "their", "we", "our")
#: actor types that can be a side of a conflict
_SIDES = ("country", "government_body", "military", "armed_group")
_FIRST_PERSON = ("i", "we")
_DEMONYM_ENDINGS = ("ians", "ian", "ans", "an", "ese", "ish", "is", "i", "n")


@dataclass(frozen=True)
class ActorProposal:
    """One actor: its fullest name and every surface form the article uses for it."""

    key: str
    name: str
    type: ActorType
    role: str | None
    affiliation: str | None
    aliases: tuple[str, ...]
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class PositionProposal:
    """``holder`` said, demanded... (``verb``) ``content``; ``quote`` when in quotation marks."""

    holder: str
    kind: PositionKind
    verb: str
    content: str
    quote: str | None
    target: str | None
    sentence: int


@dataclass(frozen=True)
class MeetingProposal:
    participants: tuple[str, ...]
    format: MeetingFormat
    predicate: str
    location: str | None
    date: str | None
    """The date phrase as written (a DATE entity of the clause)."""
    status: MeetingStatus
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class DevelopmentProposal:
    type: DevelopmentType
    predicate: str
    clause: str
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    location: str | None
    date: str | None
    killed: int | None
    injured: int | None
    status: DevelopmentStatus
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class Proposals:
    actors: tuple[ActorProposal, ...]
    meetings: tuple[MeetingProposal, ...]
    developments: tuple[DevelopmentProposal, ...]
    positions: tuple[PositionProposal, ...]


def propose(article: Article, parsed: ParsedArticle | None = None) -> Proposals:
    """Every candidate the parse of the article supports (parsing it unless ``parsed`` is given)."""
    parsed = parsed or parse(article)
    actors = _Actors(parsed, lexicon())
    positions = _positions(parsed, actors)
    meetings = _meetings(parsed, actors)
    developments = _developments(parsed, actors)
    used = {key for p in positions for key in (p.holder, p.target) if key}
    used |= {key for m in meetings for key in m.participants}
    used |= {key for d in developments for key in (*d.actors, *d.targets)}
    return Proposals(
        actors=actors.proposals(used),
        meetings=tuple(meetings),
        developments=tuple(developments),
        positions=tuple(positions),
    )


# --- actors -------------------------------------------------------------------------------


@dataclass
class _Record:
    key: str
    name: str
    type: ActorType
    role: str | None = None
    affiliation: str | None = None
    forms: list[str] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    principal: bool = False
    """Named in its own right (a person, an organisation), not only a place or an affiliation."""
    heads_body: bool = False
    """A person named in a body's name ("the Dask regime", "Dask loyalist fighters")."""
    acts: bool = False
    """A person, or named as a subject, object or agent at least once: a body named only in
    passing ("a report to the Arden Union") is no actor unless a candidate names it."""


def _stems(word: str) -> list[str]:
    """A name without each demonym ending that leaves three letters or more, the likeliest
    first ("Syrian": syr, syri), and the whole name last."""
    folded = fold(word)
    cut = [folded[: -len(e)] for e in _DEMONYM_ENDINGS if folded.endswith(e)]
    return [*dict.fromkeys(c for c in cut if len(c) >= 3), folded]


class _Actors:
    """The article's actors and which tokens refer to them.

    Mentions are proper-noun runs and named entities. They are one actor when one is the
    other's surname, a defined acronym ("the Arden Union (AU)"), a country's capital or
    demonym, or a country variant; a pronoun or a definite role noun ("the minister") refers
    to the latest actor it can.
    """

    def __init__(self, parsed: ParsedArticle, words: Lexicon) -> None:
        self.parsed = parsed
        self.words = words
        self.records: dict[str, _Record] = {}
        self.token_key: dict[int, str] = {}
        """Token index -> actor key, for every token of a mention."""
        self.places: set[int] = set()
        """Tokens of mentions that name a place only."""
        self.order: list[tuple[int, str]] = []
        """(head token, key) of every mention in text order, for pronouns and descriptions."""
        self.dateline = _dateline(parsed)
        """Tokens of a dateline run into the first sentence ("HALDOR/OSTREL"): never an actor."""
        self._countries = self._article_countries()
        self._canonical: dict[str, str] = {}
        """Key of a country reached through a capital or a metonym -> the country's name."""
        self._collectives: dict[str, str] = {}
        """Head lemma of an unnamed collective ("parties") -> its actor key."""
        mentions = [m for m in self._mentions() if not self._credited(m)]
        self.place_names = self._places(mentions)
        self._surnames = self._full_names(mentions)
        for tokens in mentions:
            self._add(tokens)
        for token in self._common_surnames(mentions):
            self._add([token])
        for noun in parsed.tokens:
            if noun.pos in ("NOUN", "PROPN") and noun.lemma.lower() in words.forces:
                self._add_state_body(noun, "military")
            elif noun.pos in ("NOUN", "PROPN") and noun.lemma.lower() in words.irregulars:
                self._add_state_body(noun, "armed_group")
            elif noun.pos == "NOUN" and noun.lemma.lower() in words.governments:
                self._add_state_body(noun, "government_body")
        for noun in parsed.tokens:
            if noun.lemma.lower() in words.state_organs and noun.index not in self.token_key:
                self._add_organ(noun)
        self.order.sort()
        self._chain_subjects()
        for noun in parsed.tokens:
            if noun.pos == "NOUN" and noun.lemma.lower() in words.forces:
                self._add_owned_forces(noun)

    def _chain_subjects(self) -> None:
        """A subject or a possessive pronoun that refers to an actor without naming it (a
        pronoun, "the minister", "the members of the Council", "his trip") becomes a mention of
        that actor, so a pronoun in a later
        sentence finds the actor through it: "They urged ... They called for ..." is one chain.
        Resolution looks only backwards, so one pass in text order resolves each link first."""
        for token in self.parsed.tokens:
            possessive = token.dep == "poss" and token.pos == "PRON"  # "his trip"
            if (token.dep in _SUBJECTS or possessive) and token.index not in self.token_key:
                key = self.resolve(token)
                if key is not None:
                    bisect.insort(self.order, (token.index, key))

    # mentions

    def _article_countries(self) -> dict[str, str]:
        """Stem of each country named in the article (and every ISO country) -> its name."""
        import pycountry

        found: dict[str, str] = {}
        for entity in self.parsed.entities:
            name = entity.text.removeprefix("the ").removesuffix("'s").removesuffix("’s")
            adjective = self.parsed.tokens[entity.last].pos == "ADJ"  # "Varnian" taken for a place
            if (
                entity.label == "GPE"
                and not adjective
                and (is_country(name) or len(name.split()) == 1)
            ):
                found.update({stem: name for stem in _stems(name) if stem not in found})
        for country in pycountry.countries:
            name = getattr(country, "common_name", None) or country.name
            found.update({stem: name for stem in _stems(name) if stem not in found})
        for canonical, variants in COUNTRY_VARIANTS.items():
            for variant in variants:
                found.update(
                    {stem: canonical.title() for stem in _stems(variant) if stem not in found}
                )
        return found

    def demonym_country(self, word: str) -> str | None:
        """The country of a demonym ("Valdorian" -> "Valdoria"), by the longest shared stem."""
        stems = _stems(word)
        exact = [stem for stem in stems if stem in self._countries]
        if exact:  # "Nigerian": Nigeria before Niger
            return self._countries[max(exact, key=len)]
        for stem in stems:
            best = [
                (name, s)
                for s, name in self._countries.items()
                if (s.startswith(stem) or stem.startswith(s))
                and (min(len(s), len(stem)) >= 4 or s == stem)
            ]
            if best:
                return min(best, key=lambda pair: (len(pair[1]) < len(stem), len(pair[1])))[0]
        return None

    def _mentions(self) -> Iterator[list[Token]]:
        """Proper-noun runs ("Foreign Minister Elena Dask") and named entities not inside one."""
        parsed = self.parsed
        covered: set[int] = set()
        organisation = {
            i: e.first
            for e in parsed.entities
            if e.label == "ORG"
            for i in range(e.first, e.last + 1)
        }
        named = {i: e.first for e in parsed.entities for i in range(e.first, e.last + 1)}
        for number in parsed.sentence_tokens:
            tokens = parsed.sentence(number)
            run: list[Token] = []
            for i, token in enumerate(tokens):
                proper = (
                    token.pos == "PROPN"
                    and token.text not in _QUOTES
                    and token.index not in self.dateline
                )
                # "Prime Minister Ruth Wanjala of Kenya": a person, then the state they serve
                of_a_person = (
                    bool(run)
                    and run[-1].entity == "PERSON"
                    and i + 1 < len(tokens)
                    and tokens[i + 1].entity == "GPE"
                )
                joiner = (
                    token.text.lower() in _NAME_JOINERS
                    and bool(run)
                    and i + 1 < len(tokens)
                    and tokens[i + 1].pos == "PROPN"
                    and not of_a_person
                ) or _hyphenated(tokens, i, bool(run))
                joiner = joiner or (  # "the Liaison Committee on Varnia"
                    token.text.lower() == "on"
                    and bool(run)
                    and run[-1].text.lower() in self.words.topic_bodies
                    and i + 1 < len(tokens)
                    and tokens[i + 1].pos == "PROPN"
                    and tokens[i + 1].entity not in ("DATE", "TIME")
                )
                # "the Centre for Trade and Peace Studies": "and" inside one organisation's name
                # that "for" or "of" already joins (not a pair of people the parser took as one)
                joiner = joiner or (
                    token.text.lower() == "and"
                    and any(t.text.lower() in _NAME_JOINERS for t in run)
                    and i + 1 < len(tokens)
                    and tokens[i + 1].pos == "PROPN"
                    and organisation.get(run[0].index, -1)
                    == organisation.get(tokens[i + 1].index, -2)
                )
                joiner = joiner or self._inner_possessive(tokens, i, run, named)
                if proper or joiner:
                    run.append(token)
                    continue
                if run:
                    covered.update(t.index for t in run)
                    if _capitalised(run):
                        yield run
                run = []
            if run:
                covered.update(t.index for t in run)
                if _capitalised(run):
                    yield run
        for entity in parsed.entities:
            span = list(parsed.tokens[entity.first : entity.last + 1])
            if entity.label in ("PERSON", "ORG", "GPE", "NORP") and not (
                covered | self.dateline
            ) & {t.index for t in span}:
                span = [t for t in span if t.lemma.lower() != "the"]
                if span:
                    yield span

    def _inner_possessive(
        self, tokens: list[Token], i: int, run: list[Token], named: dict[int, int]
    ) -> bool:
        """A possessive inside one name ("the Valdoria People's Liberation Front"): the name
        before it owns a proper noun after it and one named entity spans all three, so the
        name goes on past it ("Varnia's Foreign Minister Dask" is two names, and so is "Varnia's
        Defence Ministry", a state's body)."""
        if not run or i + 1 >= len(tokens) or tokens[i].tag != "POS":
            return False
        owner, after = run[-1], tokens[i + 1]
        return (
            owner.dep == "poss"
            and not is_country(self.parsed.text_of(run))
            and self.parsed.head(owner).pos == "PROPN"
            and self.parsed.head(owner).index > i
            and after.pos == "PROPN"
            and named.get(owner.index, -1) == named.get(after.index, -2)
        )

    def _full_names(self, mentions: list[list[Token]]) -> dict[str, str]:
        """Surname -> the key of the full name it ends, for people named in full anywhere in the
        article (a headline may use the surname before the text gives the full name)."""
        full: list[tuple[str, bool]] = []
        for tokens in mentions:
            classified = self._classify(self.parsed.text_of(tokens), tokens)
            untitled = (
                [w for w in classified[0].split() if w not in TITLE_WORDS] if classified else []
            )
            if classified and classified[1] == "person" and len(untitled) >= 2:
                full.append((classified[0], tokens[-1].entity == "PERSON"))
        names: dict[str, str] = {}
        for name, _ in full:
            names.setdefault(name.split()[-1], name)
        for name, tagged in full:  # a family name written first ("Lin" of "Lin Hao")
            if tagged and not is_country(name.split()[0]):
                names.setdefault(name.split()[0], name)
        for name, _ in full:  # a middle name used alone ("Veszto" of "Simon Veszto Dual")
            for word in name.split()[1:-1]:
                if len(word) > 3 and not is_country(word):
                    names.setdefault(word, name)
        return names

    def _common_surnames(self, mentions: list[list[Token]]) -> list[Token]:
        """A capitalised word the tagger took for a common noun that is the surname of someone
        named in full ("Dask, writing online, said"): a mention of that person."""
        covered = {t.index for tokens in mentions for t in tokens}
        return [
            t
            for t in self.parsed.tokens
            if t.pos == "NOUN"
            and t.text[:1].isupper()
            and name_key(t.text) in self._surnames
            and t.index not in covered | self.dateline
        ]

    def _credited(self, tokens: list[Token]) -> bool:
        """A name in a credit line ("Reporting by ..."): a writer, not an actor."""
        sentence = fold(self.parsed.article.sentences[tokens[0].sentence - 1].text)
        return any(phrase in sentence for phrase in self.words.credits)

    def _places(self, mentions: list[list[Token]]) -> set[str]:
        """Names used as a place anywhere in the article: after "in", "near"... or tagged as a
        place; countries and capitals excepted (they may speak for their state)."""
        found: set[str] = set()
        unacting: dict[str, bool] = {}
        for tokens in mentions:
            head = tokens[-1]
            name = self.parsed.text_of(tokens)
            if is_country(name) or capital_of(name):
                continue
            listed = _list_head(self.parsed, head)  # "near Gora, Lusk and Tarn": each a place
            preposition = self.parsed.head(listed) if listed.dep == "pobj" else None
            after = (
                preposition is not None
                and preposition.lemma.lower() in self.words.place_preps
                and not (
                    preposition.lemma.lower() == "at"
                    and self.parsed.head(preposition).pos == "VERB"
                )
            )  # "fired at X": X is a target
            named_place = (
                preposition is not None
                and preposition.lemma.lower() == "of"
                and self.parsed.head(preposition).lemma.lower() in self.words.place_nouns
            )  # "the village of X"
            held = (
                preposition is not None
                and preposition.lemma.lower() in self.words.holding_preps
                and self.parsed.head(preposition).lemma.lower() in self.words.holding_nouns
            )  # "took control of X"
            owner = self.parsed.head(_list_head(self.parsed, head))
            modifies_place = (
                _list_head(self.parsed, head).dep == "compound"
                and owner.lemma.lower() in self.words.place_nouns
            )  # "the X region", "the X and Y districts"
            if after or named_place or held or modifies_place or head.entity in ("LOC", "FAC"):
                found.add(name_key(name))
            if head.entity == "GPE":
                key = name_key(name)
                unacting[key] = unacting.get(key, True) and not self._acts(head)
        return found | {key for key, never in unacting.items() if never}

    def _classify(self, name: str, tokens: list[Token]) -> tuple[str, ActorType, str | None] | None:
        """(key, type, role) of a mention, or None for a source or a place."""
        words = self.words
        label = next((t.entity for t in tokens if t.entity), "")
        folded = name_key(name)
        if (
            not folded
            or folded in words.sources
            or label in ("DATE", "TIME", "CARDINAL", "ORDINAL")
        ):
            return None
        short = self._state_form(name)
        if short is not None:  # "the Kingdom of Varnia": Varnia
            self._canonical[name_key(short)] = short
            return name_key(short), "country", None
        if folded in words.metonyms:
            country = words.metonyms[folded]
            self._canonical[name_key(country)] = country
            return name_key(country), "country", None
        person, role = self._separate_title(name, tokens)
        name_words = folded.split()
        if all(w.removesuffix("s") in TITLE_WORDS for w in name_words if w not in TITLE_JOINERS):
            return None  # "the Foreign Ministers", "Chiefs of Staff": titles, no one's name
        if name_words[-1] in words.occasions:
            return None  # "the Ministers Meeting", "the Lorn Accord": an occasion or a document
        if name_words[-1] in TITLE_WORDS and any(
            c.dep == "appos" and c.entity == "PERSON" for c in self.parsed.children(tokens[-1])
        ):
            return None  # "the Arden Union Secretary-General, Lars Enqvist,": his title
        if name_words[-1] in words.facilities:
            return None  # "the Lusk Dam", "Gora Air Base": a place
        if role:
            return name_key(person), "person", role
        if any(p in words.media for p in name_words):
            return None  # an outlet or a medium (a source)
        if folded in words.international or folded.split()[-1] in words.international:
            return folded, "international_organization", None
        if is_country(name):
            return folded, "country", None
        head = tokens[-1]
        capital = capital_of(name)
        # "Ankara has demanded", "Ankara and Lusk hosted": the capital speaks for its state
        if capital and self._acts(_list_head(self.parsed, head)):
            self._canonical[name_key(capital)] = capital
            return name_key(capital), "country", None
        parts = set(folded.split())
        for kind, kind_words in words.type_words.items():
            if parts & kind_words:
                return folded, kind, None  # type: ignore[return-value]
        if label == "NORP":
            return None  # a demonym: an affiliation, or a force with its noun (see _add_state_body)
        if label in _PLACE_LABELS or self._locative(head) or folded in self.place_names:
            if label == "GPE" and len(tokens) == 1 and self._acts(head):
                return folded, "country", None
            return None
        if self._class_noun(tokens) in words.organisation_nouns:
            return folded, "other", None  # "the company Lusk Shipping": no person
        if label == "PERSON" or self._appositive_role(head):
            return folded, "person", None
        if (
            len(tokens) >= 2
            and label in ("", "ORG")
            and len(tokens) <= 3
            and not self._in_title(head)
            and all(t.text.isalpha() for t in tokens)
            and not any(t.tag == "NNPS" or is_country(t.text) for t in tokens)
        ):
            return (
                folded,
                "person",
                None,
            )  # two or three plain names with no word of a body: a person
        if label == "ORG" or self._acts(head):
            return folded, "other", None
        return None

    def _in_title(self, head: Token) -> bool:
        """Inside a title's "for" or "of" ("Commissioner for Trade and Border Affairs"): the
        portfolio of an office, no one's name."""
        token = head
        while token.dep in ("conj", "pobj", "prep", "nmod", "compound"):
            token = self.parsed.head(token)
            if token.dep == "prep":
                owner = self.parsed.head(token)
                return owner.pos == "PROPN" and owner.lemma.lower() in TITLE_WORDS
        return False

    def _class_noun(self, tokens: list[Token]) -> str | None:
        """The common noun that says what a name names: set right before it ("the company Lusk
        Shipping") or modified by it ("the Tarn Resistance group")."""
        head = tokens[-1]
        before = self.parsed.tokens[tokens[0].index - 1] if tokens[0].index > 0 else None
        if before is not None and before.pos == "NOUN" and before.sentence == head.sentence:
            return before.lemma.lower()
        owner = self.parsed.head(head)
        if head.dep == "compound" and owner.pos == "NOUN" and owner.index > head.index:
            return owner.lemma.lower()
        return None

    def _separate_title(self, name: str, tokens: list[Token]) -> tuple[str, str | None]:
        """The name and the title before it (:func:`separate_title`), also when the title
        names a place or a body ("the UN Special Envoy for Varnia Jan Lusk"): the person is
        the plain words after the last place or body the parser tagged."""
        person, role = separate_title(name)
        if role or len(tokens) != len(name.split()):
            return person, role
        tail: list[Token] = []
        for token in reversed(tokens):
            plain = token.entity in ("", "PERSON") and token.text.isalpha()
            if not plain or not token.text[:1].isupper() or fold(token.text) in TITLE_WORDS:
                break
            tail.insert(0, token)
        before = tokens[: len(tokens) - len(tail)]
        if len(tail) < 2 or not before or before[-1].entity in ("", "PERSON"):
            return person, role
        if not any(fold(t.text) in TITLE_WORDS for t in before):
            return person, role
        return self.parsed.text_of(tail), self.parsed.text_of(before)

    def _state_form(self, name: str) -> str | None:
        """The country of a state's formal name ("the Republic of Varnia": Varnia), when the
        name after "of" is a country the article names or a known one."""
        before, of, country = name.removeprefix("the ").rpartition(" of ")
        words = fold(before).split()
        if not (of and words and all(w in self.words.state_forms for w in words)):
            return None
        return country if is_country(country) or fold(country) in self._countries else None

    def _locative(self, head: Token) -> bool:
        """After "in", "near"... or "the town of": a place."""
        if head.dep != "pobj":
            return False
        preposition = self.parsed.head(head)
        if preposition.lemma.lower() == "of":
            return self.parsed.head(preposition).lemma.lower() in self.words.place_nouns
        return preposition.lemma.lower() in _LOCATIVE

    def _acts(self, head: Token) -> bool:
        """Is the mention a subject, agent or object of a verb (not a place or a modifier)? Not
        the agent of a participle or a relative clause that only describes a noun ("a truce
        mediated by Varnia", "the island, which is also claimed by Varnia")."""
        if head.dep in (*_SUBJECTS, "dobj"):
            return True
        by = self.parsed.head(head)
        if head.dep != "pobj" or by.lemma.lower() != "by":
            return False
        return not (by.dep == "agent" and self.parsed.head(by).dep in ("acl", "relcl"))

    def _tells(self, head: Token) -> bool:
        """Is the mention the subject of a telling verb ("the ministry said")? Told content that
        gave no candidate makes it a source (contract rule 1)."""
        verb = self.parsed.head(_list_head(self.parsed, head))
        return head.dep in _SUBJECTS and verb.lemma.lower() in self.words.reporting

    def _add(self, tokens: list[Token]) -> None:
        while tokens and tokens[-1].text in ("'s", "’s", "'"):
            tokens = tokens[:-1]
        if not tokens:
            return
        name = self.parsed.text_of(tokens)
        head = _joined_head(self.parsed, tokens)
        holder = self._title_holder(name, head)
        if holder is not None:  # "the Secretary of State" after "Secretary of State Ann Lee"
            for token in tokens:
                self.token_key[token.index] = holder
            self.order.append((head.index, holder))
            return
        if head.lemma.lower() in self.words.state_organs and self._organ_state(head):
            return  # "the Varnian Foreign Ministry": its state's, once every body is known
        classified = self._classify(name, tokens)
        known = self.records.get(self._same_as(name_key(name), ""))
        if (
            classified is None
            and known is not None
            and not self._locative(head)
            and (head.entity not in _PLACE_LABELS or known.type == "person")
        ):  # a name already given to an actor ("the LDF" again; a person's surname the parser
            # took for a place)
            classified = known.key, known.type, None
        if classified is None:
            last = name_key(name).split()[-1:]
            occasion = bool(last) and last[0] in self.words.occasions  # "in the Lusk Summit"
            if (self._locative(head) or head.entity in _PLACE_LABELS) and not occasion:
                self.places.update(t.index for t in tokens)
            return
        key, kind, role = classified
        if kind == "person" and self._speaks_for_person(head):
            return
        person = self._separate_title(name, tokens)[0] if role else name
        if kind == "person" and not role:
            words = name.split()
            titled = next((i for i, w in enumerate(words) if fold(w) not in TITLE_WORDS), 0)
            surname = name_key(words[-1])
            if 0 < titled == len(words) - 1 and surname in self._surnames:
                key, role, person = surname, " ".join(words[:titled]), words[-1]
        key = self._same_as(key, kind)
        if key in self._surnames.values():
            kind = "person"  # a surname before or after the full name
        if key in self._canonical and key not in self.records:
            person = self._canonical[key]  # "the Kremlin" first: the actor is Russia
        record = self.records.get(key)
        if record is None:
            record = self.records[key] = _Record(key=key, name=person, type=kind, role=role)
        elif len(person.split()) > len(record.name.split()) and kind == "person" == record.type:
            record.forms.append(record.name)
            record.name = person
        record.principal = record.principal or kind != "country" or self._acts(head)
        # a country that tells holds a stance; "the Kremlin said" only relays, like a ministry
        metonym = name_key(name) in self.words.metonyms
        told = (kind != "country" or metonym) and self._tells(head)
        record.acts = record.acts or kind == "person" or self._acts(head) and not told
        record.role = record.role or role or self._appositive_role(head)
        record.affiliation = record.affiliation or self._affiliation(tokens)
        record.forms.append(self._separate_title(name, tokens)[0])
        record.sentences.append(head.sentence)
        for token in tokens:
            self.token_key[token.index] = key
        self.order.append((head.index, key))
        self._acronym(tokens, key)

    def _title_holder(self, name: str, head: Token) -> str | None:
        """The person named before whose title a mention is no more than ("the Secretary of
        State", "the Admiral"), if one person holds it."""
        words = [w for w in fold(name).split() if w not in ("the", "of", "for", "and")]
        if not words or not all(w in TITLE_WORDS for w in words):
            return None
        holders = {
            key
            for index, key in self.order
            if index < head.index
            and self.records[key].type == "person"
            and set(words) <= set(fold(self.records[key].role or "").split())
        }
        return holders.pop() if len(holders) == 1 else None

    def _same_as(self, key: str, kind: str) -> str:
        """The key of an actor already seen that this form names: a person's surname alone, an
        acronym defined earlier, a variant of a country."""
        if len(key.split()) == 1 and key in self._surnames:
            return self._surnames[key]
        if key in self.records:
            return key
        for record in self.records.values():
            forms = {name_key(f) for f in record.forms}
            if key in forms:
                return record.key
            if kind == "person" and record.type == "person" and record.key.endswith(f" {key}"):
                return record.key  # a surname, of one word or more ("Ruiz Calvo")
            if kind == "person" == record.type and _extends(key, record.key):
                return record.key  # "Anton Kral" and "Anton Kral Veszto": one person
        heads = [  # "the Council" after "the Trade Council": that body by its head word
            r.key
            for r in self.records.values()
            if kind not in ("", "person", "country")
            and r.type == kind
            and len(key.split()) == 1
            and r.key.split()[-1] == key
            and len(r.key.split()) > 1
        ]
        return heads[0] if len(heads) == 1 else key

    def _acronym(self, tokens: list[Token], key: str) -> None:
        """ "the Arden Union (AU)": the bracketed initials are an alias of the name before them."""
        after = self.parsed.tokens[tokens[-1].index + 1 : tokens[-1].index + 4]
        if (
            len(after) == 3
            and after[0].text == "("
            and after[2].text == ")"
            and after[1].text.isupper()
        ):
            initials = "".join(w[0] for w in self.parsed.text_of(tokens).split() if w[0].isupper())
            if (
                after[1].text.rstrip("s") in (initials, initials.replace("T", ""))
                or len(after[1].text) >= 2
            ):
                self.records[key].forms.append(after[1].text)
                self.token_key[after[1].index] = key

    def _appositive_role(self, head: Token) -> str | None:
        """ "Elena Dask, Varnia's foreign minister," or "the minister, Elena Dask": the role."""
        parsed = self.parsed
        nouns = [c for c in parsed.children(head) if c.dep == "appos"]
        if head.dep == "appos":
            nouns.append(parsed.head(head))
        if (
            head.dep == "nsubj" and parsed.head(head).lemma == "be"
        ):  # "Dask is the foreign minister"
            nouns += [c for c in parsed.children(parsed.head(head)) if c.dep == "attr"]
        for noun in nouns:
            if noun.lemma.lower() in self.words.roles and noun.index not in self.token_key:
                words = [
                    t
                    for t in parsed.subtree(noun)
                    if t.dep in ("amod", "compound")
                    and t.head == noun.index
                    and t.entity not in ("GPE", "NORP")
                ] + [noun]
                words = [t for t in words if t.index >= min(w.index for w in words)]
                return " ".join(t.text for t in sorted(words, key=lambda t: t.index))
        return None

    def _affiliation(self, tokens: list[Token]) -> str | None:
        """The country a person speaks for: "Varnia's" or "Varnian", by title or apposition."""
        parsed = self.parsed
        head = tokens[-1]
        titled = next((i for i, t in enumerate(tokens) if fold(t.text) in TITLE_WORDS), 0)
        before_title = tokens[:titled]  # "Varnian President Elena Dask"
        candidates = [parsed.tokens[tokens[0].index - 1]] if tokens[0].index > 0 else []
        for noun in [c for c in parsed.children(head) if c.dep == "appos"] + [parsed.head(head)]:
            candidates += [
                c for c in parsed.children(noun) if c.dep in ("poss", "amod", "compound")
            ]
        mention = {t.index for t in tokens}
        for token in before_title + candidates:
            if token.sentence != head.sentence or token.index in mention - {
                t.index for t in before_title
            }:
                continue
            if is_country(token.text):
                return token.text
            if token.entity in ("NORP", "GPE") or (token.pos == "ADJ" and token.text[:1].isupper()):
                return self.demonym_country(token.text) or token.text
        return None

    def _add_state_body(self, noun: Token, kind: ActorType) -> None:
        """ "Valdorian troops", "Varnia's army": a state's forces, one actor per state; "Kestrian
        rebels": a non-state armed group; "the Valdorian government": its government (contract
        rule 23)."""
        parsed = self.parsed
        if noun.index in self.token_key:
            return
        owners = [  # "the government of Varnia", "the army of Varnia"
            g
            for c in parsed.children(noun)
            if c.dep == "prep" and c.lemma.lower() == "of"
            for g in parsed.children(c)
            if g.dep == "pobj" and self._names_state(g)
        ]
        for modifier in [*parsed.children(noun), *owners]:
            before = modifier.dep in ("amod", "compound", "poss") and modifier.index < noun.index
            if not before and modifier not in owners or modifier.index in self.dateline:
                continue
            key = self.token_key.get(modifier.index)
            if key is not None and self.records[key].type == "person":
                self.records[key].heads_body = True  # "the Dask regime": a principal (rule 1)
                state = self._leader_state(noun, self.records[key])
                if kind == "government_body" and state is not None:
                    self._add_state_form(noun, modifier, state)
                    return
            if key is not None and self.records[key].type in _ORGANISED:
                self._add_body_form(noun, key)  # "Sarn Army forces", "SLF fighters": the group
                return
            country = (
                self.records[key].name
                if key and self.records[key].type == "country"
                else modifier.text
                if is_country(modifier.text)
                else self.demonym_country(modifier.text)
                if modifier.entity in ("NORP", "GPE")
                or (modifier.text[:1].isupper() and modifier.pos in ("ADJ", "PROPN"))
                else None
            )
            if (
                country is None
                and modifier.entity in ("NORP", "GPE")
                or country is None
                and modifier.text[:1].isupper()
                and modifier.pos in ("ADJ", "PROPN")
            ):
                country = modifier.text  # a demonym of a country the article does not name
            if country is None:
                continue
            country = capital_of(country) or country  # "Lusk's troops": the capital's state
            named = [
                t
                for t in parsed.subtree(modifier)
                if t.index <= modifier.index and t.text[:1].isupper() and t.pos in ("PROPN", "ADJ")
            ]
            while len(named) > 2 and self.demonym_country(named[0].text):
                named = named[1:]  # "Varnian Sarn Front fighters": the front, of Varnians
            if (
                kind == "armed_group"
                and len(named) >= 2
                and named[-1].pos == "PROPN"
                and not is_country(parsed.text_of(named))
            ):  # "Sarn Liberation Front fighters": the group by its name
                country = parsed.text_of(named)
                key = name_key(country)
                record = self.records.setdefault(key, _Record(key=key, name=country, type=kind))
                record.type = kind if record.type == "other" else record.type
                record.principal = record.acts = True
                record.forms.append(country)
                self._mention_at(noun, key)
                return
            key = f"{_BODY_KEYS[kind]} of {name_key(country)}"
            first, last = sorted((modifier.index, noun.index))
            name = parsed.text_of(parsed.tokens[first : last + 1])
            affiliation = country if kind != "armed_group" or is_country(country) else None
            record = self.records.setdefault(
                key, _Record(key=key, name=name, type=kind, affiliation=affiliation)
            )
            verb = parsed.head(noun)
            victim = noun.dep in ("nsubjpass", "dobj") and (
                verb.lemma.lower() in self.words.casualties
                or verb.text.lower() in self.words.casualties
            )
            record.principal = record.principal or not victim  # the killed are no principals
            record.acts = record.acts or not victim and not self._tells(noun)
            record.forms.append(name)
            self._mention_at(noun, key)
            if kind == "military":
                self._add_named_government(noun, modifier, country)
            return

    def _add_owned_forces(self, noun: Token) -> None:
        """ "The ministry said its forces advanced", "Dask said his troops would strike": forces
        owned by a pronoun, named as acting, are those of the body or state the pronoun refers
        to (a body that is itself armed, the state a body or a person serves)."""
        if noun.index in self.token_key or noun.dep not in _SUBJECTS:
            return  # forces named only as moved or hit are no actor of their own (rule 23)
        pronoun = next(
            (c for c in self.parsed.children(noun) if c.dep == "poss" and c.pos == "PRON"), None
        )
        owner = self.resolve(pronoun) if pronoun is not None else None
        if owner is None:
            return
        record = self.records[owner]
        if record.type in ("military", "armed_group"):
            self._add_body_form(noun, owner)
            return
        mention = next(  # the owner's own name, not a pronoun chained to it
            (self.parsed.tokens[i] for i, k in self.order if self.token_key.get(i) == owner),
            None,
        )
        country = (
            record.name
            if record.type == "country"
            else record.affiliation
            if record.affiliation and is_country(record.affiliation)
            else self.demonym_country(record.affiliation or "")
            or (self._owner(mention) if mention else None)  # "Varnia's Defence Ministry"
        )
        if not country:
            return
        key = f"{_BODY_KEYS['military']} of {name_key(country)}"
        name = f"{country}'s {noun.text}"
        forces = self.records.setdefault(
            key, _Record(key=key, name=name, type="military", affiliation=country)
        )
        forces.principal = True
        forces.acts = forces.acts or not self._tells(noun)
        forces.forms.append(name)
        self._mention_at(noun, key)
        self.order.sort()  # the next pronoun's antecedents are read in text order

    def _names_state(self, token: Token) -> bool:
        """Is the token a mention of a country or a state ("of Varnia")?"""
        key = self.token_key.get(token.index)
        if key is not None:
            return self.records[key].type == "country"
        return is_country(token.text) or token.entity == "GPE"

    def _add_named_government(self, forces: Token, modifier: Token, country: str) -> None:
        """ "Varnian government forces", "Dask regime forces": the forces name the government
        they serve, an actor of its own (a named principal, contract rule 1)."""
        parsed = self.parsed
        body = next(
            (
                c
                for c in parsed.children(forces)
                if c.dep == "compound"
                and c.index > modifier.index
                and c.lemma.lower() in self.words.governments
            ),
            None,
        )
        if body is None or body.index in self.token_key:
            return
        key = f"{_BODY_KEYS['government_body']} of {name_key(country)}"
        name = parsed.text_of(parsed.tokens[modifier.index : body.index + 1])
        record = self.records.setdefault(
            key, _Record(key=key, name=name, type="government_body", affiliation=country)
        )
        record.principal = record.acts = True
        record.forms.append(name)
        self._mention_at(body, key)

    def _mention_at(self, token: Token, key: str) -> None:
        """A one-token mention of ``key``'s actor: its sentence, its key, its place in order."""
        self.records[key].sentences.append(token.sentence)
        self.token_key[token.index] = key
        self.order.append((token.index, key))

    def _add_body_form(self, noun: Token, key: str) -> None:
        """A body noun after an organisation's name, as a mention of that organisation."""
        record = self.records[key]
        record.acts = record.acts or self._acts(noun) and not self._tells(noun)
        self._mention_at(noun, key)

    def _leader_state(self, noun: Token, leader: _Record) -> str | None:
        """The country of a government named for its leader ("the Dask administration"), which
        speaks for the leader's state: the leader's country, when the article gives it."""
        if noun.lemma.lower() not in self.words.leader_governments or not leader.affiliation:
            return None
        if is_country(leader.affiliation):
            return leader.affiliation
        return self.demonym_country(leader.affiliation)

    def _organ_state(self, organ: Token) -> tuple[Token, str] | None:
        """The state an organ is named for ("Varnia's", "the Varnian Defence", "of Varnia"), as
        the first token of the organ's mention and the country's name."""
        parsed = self.parsed
        before = [t for t in parsed.subtree(organ) if t.index < organ.index and t.dep != "det"]
        for token in [*before, *_objects(parsed, organ, (), ("of",))]:
            key = self.token_key.get(token.index)
            if key is not None and self.records[key].type == "country":
                country: str | None = self.records[key].name
            elif is_country(token.text):
                country = token.text
            elif token.entity in ("NORP", "GPE") or (
                token.pos in ("ADJ", "PROPN") and token.text[:1].isupper()
            ):
                country = self.demonym_country(token.text)
            else:
                continue
            if country is not None:
                return (before[0] if before else organ), country
        return None

    def _add_organ(self, organ: Token) -> None:
        """ "Varnia's foreign ministry said": the state speaks (contract rule 15), through its
        government when the article makes that an actor of its own."""
        found = self._organ_state(organ)
        if found is None:
            return
        first, country = found
        government = f"{_BODY_KEYS['government_body']} of {name_key(country)}"
        if government in self.records:
            record = self.records[government]
            record.forms.append(
                self.parsed.text_of(self.parsed.tokens[first.index : organ.index + 1])
            )
            self._add_body_form(organ, government)
        else:
            self._add_state_form(organ, first, country, relays=True)

    def _add_state_form(
        self, noun: Token, modifier: Token, country: str, relays: bool = False
    ) -> None:
        """ "the Dask administration" as a mention of the country actor (an alias of it); a form
        that ``relays`` (a ministry) makes no principal of the state by telling alone."""
        key = self._same_as(name_key(country), "country")
        record = self.records.setdefault(key, _Record(key=key, name=country, type="country"))
        acts = self._acts(noun) and not (relays and self._tells(noun))
        record.principal = record.principal or acts
        record.acts = record.acts or acts
        tokens = self.parsed.tokens[modifier.index : noun.index + 1]
        record.forms.append(self.parsed.text_of(tokens))
        self._mention_at(noun, key)

    # references

    def resolve(self, token: Token) -> str | None:
        """The actor a token refers to: its mention, or the antecedent of a pronoun or role noun."""
        key = self.token_key.get(token.index)
        if key is not None:
            return (
                key
                if self.records[key].principal
                or _list_head(self.parsed, token).dep in (*_SUBJECTS, "dobj", "pobj")
                else None
            )
        lemma = token.lemma.lower()
        text = token.text.lower()
        if lemma in self.words.delegates and (senders := self._senders(token)):
            return senders[0]
        if lemma in self.words.spokespeople and (principal := self._principal(token)):
            return principal
        if (
            lemma in self.words.spokespeople
            and self._apposed_name(token) is None
            and (body := self._principal(token, people_only=False))
        ):
            return body  # "a spokesman for the Varnian army said": unnamed, the army's voice
        if token.pos == "PRON":
            if text in ("who", "which", "that") and token.head != token.index:
                relative = self.parsed.head(token)
                return self.resolve(self.parsed.head(relative)) if relative.dep == "relcl" else None
            if text in _PERSON_PRONOUNS:
                return self._latest(
                    token, lambda r: r.type == "person", subjects=True
                ) or self._latest(token, lambda r: r.type == "person")
            if text in _OTHER_PRONOUNS:
                main = self._main_subject(token)
                if main is not None:  # "the agency said ..., as it warned": the agency
                    return self.resolve(main)
                return self._latest(token, lambda r: r.type != "person", subjects=True)
            return None
        if token.pos != "NOUN":
            return None
        if lemma in self.words.roles and (named := self._apposed_name(token)):
            return named
        if lemma in self.words.roles:
            titled = self._latest(
                token,
                lambda r: (
                    r.type == "person"
                    and (
                        lemma in fold(r.role or "")
                        or lemma in ("official", "spokesman", "spokeswoman", "spokesperson")
                    )
                ),
            )
            country = self._affiliation([token]) or self._owner(token)
            if titled is None and country is not None:  # "the Varnian leader": by country
                titled = self._latest(
                    token,
                    lambda r: (
                        r.type == "person"
                        and r.affiliation is not None
                        and name_key(r.affiliation) == name_key(country)
                    ),
                )
            if titled is None and token.dep in _SUBJECTS and country is not None:
                return self._next_subject(token)
            return titled
        if lemma in ("country", "state", "nation"):
            return self._latest(token, lambda r: r.type == "country")
        if any(lemma in kind_words for kind_words in self.words.type_words.values()):
            return self._latest(
                token, lambda r: lemma in fold(" ".join([r.name, *r.forms])).split()
            )
        return None

    def _speaks_for_person(self, head: Token) -> bool:
        """The name set beside "a spokesperson for Dask" ("a spokesperson for Dask, Tomas Holm,
        said"): the voice of Dask, who holds the position, not an actor of their own; the
        parser hangs the name on the spokesperson or on the principal."""
        if head.dep != "appos":
            return False
        apposed = self.parsed.head(head)
        if apposed.dep == "pobj" and self.parsed.head(apposed).dep == "prep":
            apposed = self.parsed.head(self.parsed.head(apposed))
        return apposed.lemma.lower() in self.words.spokespeople and bool(self._principal(apposed))

    def _principal(self, spokesperson: Token, people_only: bool = True) -> str | None:
        """Whom "a spokesperson for Dask" speaks for: the person after "for" or "of" (a body's
        spokesperson may well be the position's holder in their own name), or any actor when
        not ``people_only``."""
        return next(
            (
                key
                for c in self.parsed.children(spokesperson)
                if c.dep == "prep" and c.lemma.lower() in self.words.spokes_preps
                for g in self.parsed.children(c)
                if g.dep == "pobj"
                and (key := self.resolve(g))
                and (self.records[key].type == "person" or not people_only)
            ),
            None,
        )

    def _owner(self, role: Token) -> str | None:
        """The country a role noun's own possessive or demonym names ("Varnia's minister")."""
        for child in self.parsed.children(role):
            if child.dep not in ("poss", "amod"):
                continue
            key = (
                self.token_key.get(child.index)
                or next(iter(self.demonym_actor(child)), None)
                or name_key(child.text)
            )
            if key in self.records and self.records[key].type == "country":
                return self.records[key].name
        return None

    def _next_subject(self, role: Token) -> str | None:
        """ "Varnia's energy minister warned ... . Tomas Holm said ...": a subject role of a
        country that no one before it holds is the person who is the first subject of the next
        sentence (the article names the officeholder right after)."""
        for index, key in self.order:
            token = self.parsed.tokens[index]
            if token.sentence <= role.sentence:
                continue
            if token.sentence > role.sentence + 1:
                return None
            if token.dep in _SUBJECTS:
                return key if self.records[key].type == "person" else None
        return None

    def _main_subject(self, pronoun: Token) -> Token | None:
        """The noun subject of the clause that a pronoun subject's adverbial clause hangs on
        ("the agency said ... as it warned"), which the pronoun takes up."""
        if pronoun.dep not in _SUBJECTS or pronoun.head == pronoun.index:
            return None
        clause = self.parsed.head(pronoun)
        if clause.dep != "advcl" or clause.head == clause.index:
            return None
        return next(
            (
                c
                for c in self.parsed.children(self.parsed.head(clause))
                if c.dep in _SUBJECTS and c.pos in ("NOUN", "PROPN")
            ),
            None,
        )

    def demonym_actor(self, token: Token) -> list[str]:
        """The country actor a demonym names ("Varnian attacks": Varnia), when it is an actor."""
        if token.entity != "NORP" and not (token.pos == "ADJ" and token.text[:1].isupper()):
            return []
        country = self.demonym_country(token.text)
        key = name_key(country) if country else None
        return [key] if key in self.records and self.records[key].type == "country" else []

    def speaks_for(self, person: str, state: str) -> bool:
        """Is ``person`` an officeholder of the state actor ``state`` ("President Dask" of
        Varnia)?"""
        record = self.records[person]
        return (
            record.type == "person"
            and record.affiliation is not None
            and self._same_as(name_key(record.affiliation), "country") == state
        )

    def sides(self, token: Token) -> list[str]:
        """The two sides of "both sides accused each other" when the teller names neither: the
        two latest states or armed groups named before it, within three sentences; a state by
        itself or by its bodies and forces (a state is one actor, contract rule 23)."""
        found: list[str] = []
        states: set[str] = set()
        for index, key in reversed(self.order):
            if index >= token.index or key in found:
                continue
            if self.parsed.tokens[index].sentence < token.sentence - 3:
                break
            record = self.records[key]
            state = name_key(record.affiliation) if record.affiliation else key
            of_a_state = record.type == "country" or is_country(record.affiliation or "")
            if record.type not in _SIDES or not of_a_state and record.type != "armed_group":
                continue
            if state not in states:
                found.append(state if state in self.records else key)
                states.add(state)
            if len(found) == 2:
                return found[::-1]
        return []

    def _apposed_name(self, role: Token) -> str | None:
        """The name set beside a role noun by a comma ("her counterpart, Tomas Brenner,"), after
        the role's own modifier ("an analyst from the Lusk institute, Tomas Brenner,"), whatever
        the parser attached it to."""
        tokens = self.parsed.tokens
        phrase = {t.index for t in self.parsed.subtree(role)}
        after = role.index + 1
        while after < len(tokens) and after in phrase and tokens[after].text != ",":
            after += 1
        if after >= len(tokens) or tokens[after].text != ",":
            return None
        for j in range(after + 1, min(after + 5, len(tokens))):
            if tokens[j].sentence != role.sentence or tokens[j].pos != "PROPN":
                return None
            if j in self.token_key:
                return self.token_key[j]
        return None

    def _latest(self, token: Token, accept: object, subjects: bool = False) -> str | None:
        """The latest actor mentioned before the token, within three sentences, that ``accept``
        takes; with ``subjects``, only actors that were the subject of their clause (the likelier
        antecedent of a pronoun)."""
        for index, key in reversed(self.order):
            if index >= token.index or subjects and self.parsed.tokens[index].dep not in _SUBJECTS:
                continue
            if self.parsed.tokens[index].sentence < token.sentence - 3:
                return None
            if accept(self.records[key]):  # type: ignore[operator]
                return key
        return None

    def resolve_all(self, token: Token) -> list[str]:
        """The actors of a token and its conjuncts ("Varnia, Belmark and Kestria"); envoys or a
        delegation "from" parties stand for those parties."""
        keys: list[str | None] = []
        for t in _conjuncts(self.parsed, token):
            senders = self._senders(t) if t.lemma.lower() in self.words.delegates else []
            keys += senders or self._pair(t) or [self.resolve(t)]
        return list(dict.fromkeys(k for k in keys if k))

    def joint(self, token: Token) -> list[str]:
        """ "Both sides stressed ...": a pair noun that is no role takes up the subject just
        before it when that was two actors or more ("Varnia and Belmark spoke", "the two
        leaders met"), a joint stance of each (rule 10): the pair just named, not a war's sides."""
        plural = (
            token.tag == "NNS"
            and token.index not in self.token_key
            and token.lemma.lower() not in self.words.roles
            and any(
                c.dep in ("nummod", "det", "predet") and c.lemma.lower() in self.words.pair_words
                for c in self.parsed.children(token)
            )
        )
        if not plural or token.dep not in _SUBJECTS:
            return []
        for earlier in reversed(self.parsed.tokens[: token.index]):
            if earlier.sentence < token.sentence - 2:
                return []
            if earlier.dep in _SUBJECTS:
                keys = self.resolve_all(earlier)
                return keys if len(keys) >= 2 else []
        return []

    def _pair(self, token: Token) -> list[str]:
        """ "the two leaders", "both ministers": the two latest people named."""
        # "both sides" is too often the sides of a war, not the latest two actors: roles only
        if (
            token.index in self.token_key
            or token.lemma.lower() not in self.words.roles
            or not any(
                c.dep in ("nummod", "det", "predet") and c.lemma.lower() in self.words.pair_words
                for c in self.parsed.children(token)
            )
        ):
            return []
        found: list[str] = []
        for index, key in reversed(self.order):
            if index >= token.index or key in found:
                continue
            if self.parsed.tokens[index].sentence < token.sentence - 3:
                break
            if self.records[key].type == "person":
                found.append(key)
            if len(found) == 2:
                return found[::-1]
        return []

    def unnamed(self, noun: Token) -> str:
        """An officeholder or envoy the article does not name is a person named as the article
        puts it ("a senior diplomat": "senior diplomat", contract rule 24)."""
        words = [
            t
            for t in self.parsed.subtree(noun)
            if t.index <= noun.index and t.dep != "det" and t.pos != "PUNCT"
        ]
        name = self.parsed.text_of(words)
        key = self._same_as(name_key(name), "person")
        record = self.records.setdefault(key, _Record(key=key, name=name, type="person"))
        record.sentences.append(noun.sentence)
        return key

    def collective(self, noun: Token) -> str | None:
        """An unnamed collective a demand or a warning is addressed to ("urged all parties to",
        "the warring sides") is an actor of type other, named as the article puts it (contract
        rule 15); None for a noun of no collective or one that is a mention."""
        if (
            noun.pos != "NOUN"
            or noun.index in self.token_key
            or noun.lemma.lower() not in self.words.collectives
        ):
            return None
        words = [t for t in self.parsed.subtree(noun) if t.index <= noun.index and t.pos != "PUNCT"]
        words += [  # "all parties involved"
            c
            for c in self.parsed.children(noun)
            if c.index == noun.index + 1 and c.dep in ("amod", "acl") and c.tag == "VBN"
        ]
        name = self.parsed.text_of(words)
        # "all parties" ... "the parties", "the warring sides" ... "both sides": one collective
        key = self._collectives.setdefault(noun.lemma.lower(), name_key(name))
        record = self.records.setdefault(key, _Record(key=key, name=name, type="other"))
        record.forms.append(name)
        record.sentences.append(noun.sentence)
        return key

    def counterparts(self, token: Token, sides: list[str]) -> list[tuple[str, str]]:
        """ "Dask and Holm spoke with their Varnian counterparts": each side's counterpart is the
        holder of its office for Varnia, a person named as the article puts it ("Varnian foreign
        minister", contract rule 24) unless a person named with that role and country is known."""
        parsed = self.parsed
        if token.lemma.lower() not in self.words.relational_roles or token.index in self.token_key:
            return []
        countries = [
            m
            for c in parsed.children(token)
            if c.dep in ("amod", "compound", "nmod", "poss") and c.index < token.index
            for m in _conjuncts(parsed, c)
            if m.entity in ("NORP", "GPE")
        ]
        pairs = []
        for side in sides:
            role = self.records[side].role
            if self.records[side].type != "person" or not role:
                continue
            for country in countries:
                affiliation = self.demonym_country(country.text) or country.text
                # "Varnian Foreign Minister": the office without its own country
                office = " ".join(w for w in role.split() if not self.demonym_country(w)).lower()
                if not office:
                    continue
                name = f"{country.text} {office}"
                known = [
                    r.key
                    for r in self.records.values()
                    if r.type == "person"
                    and r.key != side
                    and fold(office) in fold(r.role or "")
                    and r.affiliation is not None
                    and name_key(r.affiliation) == name_key(affiliation)
                ]
                key = known[0] if known else self._same_as(name_key(name), "person")
                if key not in self.records:
                    self.records[key] = _Record(
                        key=key, name=name, type="person", role=office, affiliation=affiliation
                    )
                self.records[key].sentences.append(token.sentence)
                pairs.append((side, key))
        return pairs

    def officeholders(self, token: Token, sides: list[str]) -> list[str]:
        """ "met Varnia's interior and defence ministers", "the Belmarkian foreign minister": an
        office of a named country whose holder the article does not name is a person named as
        the article puts it, one per office (contract rule 24), or the person known to hold it
        (of that country or of none stated; not one of the ``sides`` that meets them)."""
        parsed = self.parsed
        lemma = token.lemma.lower()
        if (
            lemma not in self.words.roles
            or lemma in self.words.relational_roles
            or lemma in self.words.delegates  # envoys stand for who sends them (_senders)
            or token.index in self.token_key
            or self._apposed_name(token)  # "the Belmarkian foreign minister, Tomas Holm"
            or any(c.dep == "appos" for c in parsed.children(token))
        ):
            return []
        modifiers = [
            c
            for c in parsed.children(token)
            if c.dep in ("amod", "compound", "nmod", "poss") and c.index < token.index
        ]
        countries = [
            c
            for c in modifiers
            if (c.entity in ("NORP", "GPE") or c.pos == "PROPN")
            and self.demonym_country(c.text) is not None
        ]
        if len(countries) != 1:
            return []
        country = countries[0]
        affiliation = self.demonym_country(country.text) or country.text
        offices = [
            " ".join(
                t.text.lower() for t in parsed.subtree(m) if t.index not in _coordinated(parsed, m)
            )
            for c in modifiers
            if c.index != country.index
            for m in _conjuncts(parsed, c)
        ]
        if not offices:
            return []  # "Varnian officials": the country's people, not one office
        keys = []
        for office in offices:
            role = f"{office} {lemma}".strip()
            known = [
                r.key
                for r in self.records.values()
                if r.type == "person"
                and r.key not in sides
                and fold(role) in fold(r.role or "")
                and (
                    r.affiliation is None
                    or (self.demonym_country(r.affiliation) or r.affiliation) == affiliation
                )
            ]
            name = f"{parsed.text_of(parsed.subtree(country))} {role}"
            key = known[0] if known else self._same_as(name_key(name), "person")
            if key not in self.records:
                self.records[key] = _Record(
                    key=key, name=name, type="person", role=role, affiliation=affiliation
                )
            self.records[key].sentences.append(token.sentence)
            keys.append(key)
        return keys

    def holders_of(self, token: Token) -> list[str]:
        """ "the ambassadors of the Council's five members": officeholders named only by whom
        they serve are one collective actor, named by the whole phrase (contract rule 24)."""
        parsed = self.parsed
        if (
            token.tag != "NNS"
            or token.lemma.lower() not in self.words.roles
            or token.index in self.token_key
            or not any(c.dep == "prep" and c.lemma.lower() == "of" for c in parsed.children(token))
        ):
            return []
        words = [t for t in parsed.subtree(token) if t.index not in _coordinated(parsed, token)]
        while words and (words[0].dep == "det" or words[0].pos == "PUNCT"):
            words = words[1:]
        name = parsed.text_of(words)
        key = self._same_as(name_key(name), "other")
        record = self.records.setdefault(key, _Record(key=key, name=name, type="other"))
        record.sentences.append(token.sentence)
        return [key]

    def _senders(self, token: Token) -> list[str]:
        """The parties named after "from" or "of" beside a delegate noun that is no mention
        itself ("envoys from Varnia and Belmark", "the members of the Council")."""
        if token.index in self.token_key:
            return []
        named = [  # "Varnian and Belmarkian delegations", "the Varnia team", "the government team"
            k
            for c in self.parsed.children(token)
            if c.dep in ("amod", "compound", "nmod")
            and token.lemma.lower() in self.words.delegate_bodies
            for g in _conjuncts(self.parsed, c)
            for k in self.demonym_actor(g)
            or [self.token_key.get(g.index) or (g.pos == "NOUN" and self.resolve(g)) or ""]
            if k
        ]
        return named + [
            k
            for c in self.parsed.children(token)
            if c.dep == "prep" and c.lemma.lower() in self.words.delegate_preps
            for g in self.parsed.children(c)
            if g.dep == "pobj"
            for k in self.resolve_all(g)
        ]

    def represented(self, token: Token) -> list[str]:
        """ "Leaders of Varnia and Belmark met", "Varnian and Belmarkian officials held talks":
        plural officials of no stated office stand, at a meeting, for the parties they serve."""
        parsed = self.parsed
        if (
            token.tag != "NNS"
            or token.lemma.lower() not in self.words.roles | self.words.delegates
            or token.index in self.token_key
        ):
            return []
        if any(
            t.index < token.index
            and t.dep in ("amod", "compound")
            and t.pos == "ADJ"
            and t.entity != "NORP"
            for t in parsed.subtree(token)
        ):
            return []  # "the foreign ministers of": persons, whom the article names later
        served = [
            g
            for c in parsed.children(token)
            if c.dep == "prep" and c.lemma.lower() in self.words.delegate_preps
            for p in parsed.children(c)
            if p.dep == "pobj"
            for g in _conjuncts(parsed, p)
        ] + [
            g
            for c in parsed.children(token)
            if c.dep in ("amod", "compound", "nmod") and c.index < token.index
            for g in _conjuncts(parsed, c)
        ]
        parties: list[str] = []
        for g in served:
            country = self.demonym_country(g.text) if g.entity == "NORP" else None
            key = self.token_key.get(g.index) or (name_key(country) if country else None)
            if key is None:
                continue
            if key not in self.records and country:  # a state named only by its demonym
                self.records[key] = _Record(key=key, name=country, type="country")
            self.records[key].sentences.append(token.sentence)
            parties.append(key)
        return list(dict.fromkeys(parties))

    @staticmethod
    def _bare_word(record: _Record) -> bool:
        """A "person" of one word with no title: more often a place or a thing the parser took
        for a name; an actor only when a candidate or a body's name ("the Dask regime") names it."""
        return (
            record.type == "person"
            and not record.role
            and len(record.name.split()) == 1
            and not record.heads_body
        )

    def proposals(self, used: set[str]) -> tuple[ActorProposal, ...]:
        """Actors that take part in a candidate, and named principals (contract rule 1): a
        country is one when it acts (a subject, an object or an agent), not when it only places
        or qualifies someone. A name of no known kind ("other": often a place the parser did
        not tag) is one only when a candidate names it."""
        chosen = [
            r
            for r in self.records.values()
            if r.key in used
            or r.principal
            and r.acts
            and r.type != "other"
            and not self._bare_word(r)
        ]
        return tuple(
            ActorProposal(
                key=r.key,
                name=r.name,
                type=r.type,
                role=r.role,
                affiliation=r.affiliation,
                aliases=tuple(dict.fromkeys(f for f in r.forms if f != r.name)),
                sentences=tuple(sorted(set(r.sentences))),
            )
            for r in chosen
        )


def _joined_head(parsed: ParsedArticle, tokens: list[Token]) -> Token:
    """The head of a name joined by "of", "for" or "on" ("the Committee on Varnia"): the
    word before the first joiner whose own head lies outside the name; else the last word."""
    inside = {t.index for t in tokens}
    joined = [t for t in tokens if t.text.lower() in (*_NAME_JOINERS, "on")]
    if not joined:
        return tokens[-1]
    before = parsed.tokens[joined[0].index - 1]
    return before if before.index in inside and before.head not in inside else tokens[-1]


def _capitalised(tokens: list[Token]) -> bool:
    """A run of proper nouns with no capital ("the defence ministry said" tagged as a name) is
    the tagger's slip: no name."""
    return any(t.text[:1].isupper() for t in tokens)


def _extends(a: str, b: str) -> bool:
    """Does one name of two words or more open the other ("anton kral", "anton kral veszto")?"""
    short, long = sorted((a.split(), b.split()), key=len)
    return 2 <= len(short) < len(long) and long[: len(short)] == short


def _hyphenated(tokens: list[Token], i: int, in_run: bool) -> bool:
    """A hyphen inside a name ("Nagorno-Karabakh", "Frank-Walter") or a particle joined to one by
    a hyphen ("al-Sham"): part of the name."""

    def attached(a: int) -> bool:
        return a >= 0 and a + 1 < len(tokens) and tokens[a].end == tokens[a + 1].start

    token = tokens[i]
    if token.text in "-‐‑" and in_run and attached(i - 1) and attached(i):
        return tokens[i + 1].text[:1].isupper()
    return (
        token.text.isalpha()
        and i + 2 < len(tokens)
        and tokens[i + 1].text in "-‐‑"
        and attached(i)
        and attached(i + 1)
        and tokens[i + 2].pos == "PROPN"
    )


def _dateline(parsed: ParsedArticle) -> set[int]:
    """The capitals-only place names that open the first sentence ("HALDOR/OSTREL Varnia said",
    "OSTREL, May 4 (VNA) --"): a dateline, when a place, a slash or a comma marks it so."""
    tokens = parsed.sentence(min(parsed.sentence_tokens, default=1))
    run: list[Token] = []
    for token in tokens:
        if (
            token.text == "/"
            or token.text.isalpha()
            and token.text.isupper()
            and len(token.text) > 2
        ):
            run.append(token)
            continue
        break
    words = [t for t in run if t.text != "/"]
    if not words or len(run) == len(tokens):
        return set()
    after = tokens[len(run)]
    marked = (
        any(t.text == "/" for t in run)
        or all(t.entity in _PLACE_LABELS for t in words)
        or after.text == ","
        or _unknown_capitals(words)
    )
    opens = after.text == "," or after.text[:1].isupper()
    if not (marked and opens):
        return set()
    # "OSTREL, May 4 (VNA) --": the date and the agency up to the dash are the dateline too
    rest = tokens[len(run) : len(run) + 12]
    dash = next(
        (
            i
            for i, t in enumerate(rest)
            if t.text in _DATELINE_DASHES and not _joined(parsed.tokens, t.index)
        ),
        None,
    )
    return {t.index for t in [*run, *(rest[: dash + 1] if dash is not None else [])]}


def _unknown_capitals(words: list[Token]) -> bool:
    """ "OSTREL U.S. warplanes struck": one word in capitals that names no body, group or
    source the lexicon knows (an acronym such as "NATO" or "IAEA" would) and no entity the
    tagger knows as other than a place, is the dateline's city."""
    known = lexicon()
    bodies = (
        known.international | known.sources | {w for ws in known.type_words.values() for w in ws}
    )
    return (
        len(words) == 1
        and fold(words[0].text) not in bodies
        and words[0].entity in ("", *_PLACE_LABELS)
    )


def _coordinated(parsed: ParsedArticle, token: Token) -> set[int]:
    """The tokens of the items coordinated with a token ("and defence" of "interior and
    defence"), which its subtree holds."""
    return {
        t.index
        for c in parsed.children(token)
        if c.dep in ("cc", "conj")
        for t in parsed.subtree(c)
    }


def _joined(tokens: Sequence[Token], i: int) -> bool:
    """A hyphen inside a word ("long-range"), written with no space on either side: no dash
    that closes a dateline."""
    return (
        0 < i < len(tokens) - 1
        and tokens[i - 1].end == tokens[i].start
        and tokens[i].end == tokens[i + 1].start
    )


def _conjuncts(parsed: ParsedArticle, token: Token) -> list[Token]:
    found = [token]
    for child in parsed.children(token):
        if child.dep == "conj":
            found += _conjuncts(parsed, child)
        elif child.dep == "appos" and child.pos == "PROPN":
            found.append(child)
        elif child.dep == "nmod" and any(g.dep == "cc" for g in parsed.children(child)):
            found += _conjuncts(parsed, child)  # "A and Minister B met", A parsed inside B's name
    return found


# --- shared clause reading ------------------------------------------------------------------


def _list_head(parsed: ParsedArticle, token: Token) -> Token:
    """The first item of the list a conjunct is in ("Varnia" of "Varnia, Belmark and Kestria"),
    which holds the list's role in the clause."""
    while token.dep == "conj" and token.head != token.index:
        token = parsed.head(token)
    return token


def _keys(parsed: ParsedArticle, token: Token) -> list[str]:
    """The lexicon keys of a word: its lemma, and "lemma particle" per particle or preposition."""
    lemma = token.lemma.lower()
    return [
        lemma,
        *(f"{lemma} {c.text.lower()}" for c in parsed.children(token) if c.dep in ("prt", "prep")),
    ]


def _objects(
    parsed: ParsedArticle, token: Token, deps: tuple[str, ...], preps: tuple[str, ...]
) -> list[Token]:
    """The token's dependents of ``deps``, then the objects of its prepositions in ``preps``."""
    return [c for c in parsed.children(token) if c.dep in deps] + [
        g
        for c in parsed.children(token)
        if c.dep == "prep" and c.lemma.lower() in preps
        for g in parsed.children(c)
        if g.dep == "pobj"
    ]


def _subject(parsed: ParsedArticle, verb: Token) -> Token | None:
    """The subject of a verb, or of the verb it is coordinated with or adds to ("..., adding").
    Of two subjects the parser gave one verb (a dateline read as one), the nearer."""
    subjects = [c for c in parsed.children(verb) if c.dep in ("nsubj", "csubj")]
    if subjects:
        before = [c for c in subjects if c.index < verb.index]
        return before[-1] if before else subjects[0]
    for child in parsed.children(verb):
        if child.dep == "agent":
            return next((c for c in parsed.children(child) if c.dep == "pobj"), None)
    if verb.dep in ("conj", "advcl", "xcomp") and verb.head != verb.index:
        return _subject(parsed, parsed.head(verb))
    if verb.dep == "relcl":
        return parsed.head(verb)
    return None


def _clause(parsed: ParsedArticle, token: Token) -> list[Token]:
    """The token's subtree without punctuation at its ends."""
    tokens = parsed.subtree(token)
    while tokens and tokens[0].pos == "PUNCT":
        tokens = tokens[1:]
    while tokens and tokens[-1].pos == "PUNCT":
        tokens = tokens[:-1]
    return tokens


def _date(parsed: ParsedArticle, scope: list[Token], avoid: Iterable[Token] = ()) -> str | None:
    """The first DATE entity inside the scope, skipping dates that go with the tokens in
    ``avoid`` (a reporting verb's "said on Monday" dates the telling, contract rule 11)."""
    inside = {t.index for t in scope} - _dateline(parsed)
    skipped = {
        t.index
        for a in avoid
        for c in parsed.children(a)
        if c.dep in ("prep", "npadvmod", "tmod")
        for t in parsed.subtree(c)
    }
    # "said on Tuesday it had ...": between the verb of telling and the subject of what it tells,
    # wherever the parser hung the date
    for a in avoid:
        for content in parsed.children(a):
            subject = _subject(parsed, content) if content.dep == "ccomp" else None
            if subject is not None and a.index < subject.index:
                skipped |= set(range(a.index + 1, subject.index))
    # "the heaviest attack since 2029": a date that a noun is measured from is not the scope's
    skipped |= {
        g.index
        for t in scope
        if t.dep == "prep"
        and t.lemma.lower() in lexicon().date_comparisons
        and parsed.head(t).pos in ("NOUN", "ADJ", "PROPN")
        for g in parsed.subtree(t)
    }
    for entity in parsed.entities:
        if (
            entity.label == "DATE"
            and entity.first in inside
            and entity.first not in skipped
            and not _duration(entity.text)
            and _when(entity.text)
        ):
            return entity.text
    return None


def _when(text: str) -> bool:
    """Does a phrase the parser tagged as a date say when (a digit, a month, "last week")?"""
    words = lexicon()
    parts = text.lower().replace("-", " ").split()
    return any(
        any(c.isdigit() for c in p)
        or p in words.date_words
        or p in words.duration_units
        or p in words.duration_points
        for p in parts
    )


def _duration(text: str) -> bool:
    """ "four years", "a five-year", "month-long": how long, not when."""
    words = lexicon()
    parts = text.lower().replace("-", " ").split()
    return any(p in words.duration_units for p in parts) and not any(
        p in words.duration_points or p.isdigit() and len(p) == 4 for p in parts
    )


def _place(parsed: ParsedArticle, actors: _Actors, scope: list[Token]) -> str | None:
    """The first named place in a locative phrase of the scope ("in Lusk", "near the town of X")."""
    for token in scope:
        if (
            token.entity not in _PLACE_LABELS
            and token.index not in actors.places
            or token.entity == "DATE"
            or token.index in actors.dateline
        ):
            continue
        if (
            token.index in actors.token_key
            and actors.records[actors.token_key[token.index]].type != "country"
        ):
            continue
        path = [token, *parsed.ancestors(token)]
        # the nearest preposition places it: "for Varnia's jets from allies" places nothing
        preposition = next(
            (t for t in path[:4] if t.pos == "ADP" and t.lemma.lower() != "of"), None
        )
        if preposition is not None and _origin_of_people(parsed, actors.words, preposition):
            continue  # "negotiators from Varnia met in Lusk": where they come from
        if preposition is not None and (
            preposition.lemma.lower() in _LOCATIVE or _on_a_front(parsed, actors.words, preposition)
        ):
            whole = parsed.head(token)
            narrower = [
                t
                for t in parsed.subtree(whole)
                if token.index < t.index <= whole.index and t.dep != "case"
            ]
            if token.dep == "poss" and narrower:  # "in Varnia's Lusk region": Lusk region
                return parsed.text_of(narrower)
            entity = parsed.entity_of(token)
            words = [t for t in parsed.tokens[token.index :] if t.sentence == token.sentence]
            run = [t for t in words[:6] if (t.entity in _PLACE_LABELS or t.index in actors.places)]
            if entity is not None:
                return entity.text.removeprefix("the ")
            return (
                parsed.text_of(run[:1] + [t for t in run[1:] if t.index - run[0].index < len(run)])
                or None
            )
    return None


def _origin_of_people(parsed: ParsedArticle, words: Lexicon, preposition: Token) -> bool:
    """ "officials from Varnia", "a delegation from Lusk": people's origin, not a place of the
    act."""
    people = parsed.head(preposition)
    return (
        preposition.lemma.lower() == "from"
        and people.pos == "NOUN"
        and (people.lemma.lower() in words.roles or people.lemma.lower() in words.delegates)
    )


def _on_a_front(parsed: ParsedArticle, words: Lexicon, preposition: Token) -> bool:
    """ "On the Gora direction": "on" a stretch of front places an event as "in" does."""
    # "on the Gora, Lusk and Tarn directions": the last of a list may carry the noun
    return preposition.lemma.lower() == "on" and any(
        t.lemma.lower() in words.front_lines
        for c in parsed.children(preposition)
        if c.dep == "pobj"
        for t in _conjuncts(parsed, c)
    )


def _quote(parsed: ParsedArticle, tokens: list[Token]) -> str | None:
    """The words inside quotation marks that the content lies in, verbatim."""
    if not tokens:
        return None
    text = parsed.article.text
    sentence = parsed.article.sentences[tokens[0].sentence - 1]
    opened: int | None = None
    for offset in range(sentence.start, sentence.end):
        if text[offset] in _QUOTES:
            if opened is None:
                opened = offset + 1
                continue
            inner = text[opened:offset].strip(" ,.")
            if opened <= tokens[-1].start and offset >= tokens[0].end and len(inner.split()) >= 2:
                return inner
            opened = None
    return None


def _modality(parsed: ParsedArticle, words: Lexicon, token: Token) -> str | None:
    """ "unreal", "planned" or "denied" when a word governs the predicate so that it did not
    (yet) happen: a demand, a plan, talks about it, a denial, a negation, a purpose "to"."""
    children = parsed.children(token)
    if any(
        c.dep == "neg" or c.lemma.lower() in words.negations and c.dep == "det" for c in children
    ):
        return "unreal"
    for child in children:
        # "would strike", "a possible truce", "a proposed ceasefire"
        if child.dep in ("aux", "amod") and child.lemma.lower() in words.governors:
            return words.governors[child.lemma.lower()]
    if token.dep == "advcl" and any(c.dep == "aux" and c.tag == "TO" for c in children):
        return "unreal"  # "met the envoy to discuss a ceasefire": a purpose
    previous = token
    for ancestor in parsed.ancestors(token):
        keys = [ancestor.lemma.lower()]
        keys += [
            f"{ancestor.lemma.lower()} {c.text.lower()}"
            for c in parsed.children(ancestor)
            if c.dep in ("prt", "prep") and (c.index == previous.index or c.dep == "prt")
        ]
        for key in keys:
            if key in words.governors:
                return words.governors[key]
        if previous.dep in ("acl", "ccomp", "relcl") and any(
            c.dep == "det" and c.lemma.lower() in words.negations for c in parsed.children(ancestor)
        ):
            return "unreal"  # "no evidence the missiles were tested", "no sign that it struck"
        if (
            ancestor.lemma.lower() in words.reporting
            or ancestor.pos == "VERB"
            and ancestor.dep == "ROOT"
        ):
            if (
                any(
                    c.dep == "aux" and c.lemma.lower() in words.governors
                    for c in parsed.children(ancestor)
                )
                and ancestor.lemma.lower() not in words.reporting
            ):
                return words.governors[
                    next(
                        c.lemma.lower()
                        for c in parsed.children(ancestor)
                        if c.dep == "aux" and c.lemma.lower() in words.governors
                    )
                ]
            return None
        previous = ancestor
    return None


# --- positions ------------------------------------------------------------------------------


def _positions(parsed: ParsedArticle, actors: _Actors) -> list[PositionProposal]:
    words = actors.words
    found: dict[tuple[str, int], tuple[PositionProposal, set[int]]] = {}
    relays: dict[int, set[int]] = {}  # a plain telling verb -> the heads of its content
    named: set[int] = set()  # verbs whose subject is no pronoun
    first_person: set[int] = set()  # verbs whose subject is "I" or "we"
    promises: dict[int, list[PositionProposal]] = {}  # a telling verb -> its promised acts
    for verb in parsed.tokens:
        if verb.pos not in ("VERB", "AUX") or verb.dep == "amod":
            continue
        kind = next(
            (words.reporting[k] for k in reversed(_keys(parsed, verb)) if k in words.reporting),
            None,
        )
        if kind is None and any(c.dep == "oprd" for c in parsed.children(verb)):
            kind = words.judging.get(verb.lemma.lower())  # "called the raid a crime"
        ready = _readiness(parsed, words, verb)
        if kind is None and ready:
            kind = words.readiness[parsed.head(ready[0]).lemma.lower()]
        reciprocal = _reciprocal(parsed, words, verb, kind)
        kind = "accusation" if reciprocal else kind
        if kind is None or _attribution(parsed, verb):
            continue
        if _untold(parsed, words, verb, kind):
            continue
        subject = _teller(parsed, words, verb)
        holders = _holders(parsed, actors, subject) if subject is not None else []
        if reciprocal and len(holders) < 2:  # "both sides accused each other": who they are
            holders = actors.sides(verb)
        if not holders:
            continue
        content = [
            c
            for c in parsed.children(verb)
            if c.dep in ("ccomp", "xcomp", "dobj", "oprd", "prep", "parataxis")
        ]
        if verb.dep in ("parataxis", "ccomp") and not content and verb.head != verb.index:
            content = [
                parsed.head(verb)
            ]  # '"...," the minister said' parsed with "said" under the quote
        if verb.dep == "pcomp" and not content and parsed.head(verb).lemma.lower() == "as":
            cited = parsed.head(parsed.head(verb))  # '"...," the report quoted Dask as saying'
            content = [c for c in parsed.children(cited) if c.dep in ("ccomp", "parataxis")]
        content = ready or content
        content = [c for c in content if not (c.dep == "prep" and _dated(parsed, c))]
        content = [t for c in content for t in _that_clause(parsed, c)]
        clause = sorted(
            {
                t.index: t for c in content for t in _clause(parsed, c) if t.index != verb.index
            }.values(),
            key=lambda t: t.index,
        )
        if not clause:
            continue
        text = parsed.text_of(clause)
        if kind == "denial" and any(c.dep == "neg" for c in parsed.children(verb)):
            kind = "statement"  # "did not rule out talks" rejects nothing
        kind = _content_kind(parsed, words, kind, content)
        if (
            kind == "statement"
            and verb.lemma.lower() in words.plain_telling
            and (_factual(words, clause) or _reports_an_event(parsed, words, content))
        ):
            continue  # a toll, a count or a past event told plainly is evidence of a development
        if kind == "statement" and verb.lemma.lower() in words.plain_telling:
            relays[verb.index] = {c.index for c in content}
        if subject is not None and subject.pos != "PRON":
            named.add(verb.index)
        if subject is not None and subject.text.lower() in _FIRST_PERSON:
            first_person.add(verb.index)
        target = None
        if kind in ("demand", "condemnation", "accusation", "warning", "support"):
            objects = _objects(parsed, verb, ("dobj", "dative"), ("on", "upon"))
            target = next(
                (k for o in objects if (k := actors.resolve(o)) and k not in holders), None
            ) or next((k for o in objects if (k := actors.collective(o))), None)
        for holder in holders:  # "Varnia and Belmark said": a position of each
            proposal = PositionProposal(
                holder=holder,
                kind=kind,
                verb=verb.lemma.lower(),
                content=text,
                quote=_quote(parsed, clause),
                target=target,
                sentence=verb.sentence,
            )
            found[(holder, verb.index)] = (proposal, {t.index for t in clause})
        promises[verb.index] = [
            replace(
                proposal,
                kind=_promise_kind(parsed, words, act),
                content=parsed.text_of(_clause(parsed, act)),
                quote=_quote(parsed, _clause(parsed, act)),
            )
            for act in _promised(parsed, words, verb)
        ]
    # "“We back the truce ...” Dask said": a quoted "we" or "I" is the speaker of the sentence
    speakers = {
        p.sentence: holder for (holder, index), (p, _) in found.items() if index not in first_person
    }
    for holder, index in list(found):
        proposal, inside = found[(holder, index)]
        speaker = speakers.get(proposal.sentence)
        if index in first_person and speaker and _quoted(parsed, proposal.sentence):
            del found[(holder, index)]
            found[(speaker, index)] = (replace(proposal, holder=speaker), inside)
    # a holder's reporting verb inside the content of another of its verbs ("said it would
    # urge") is that position's wording; coordinated verbs ("condemned ... and urged") are two
    nested = {
        (holder, index)
        for holder, index in found
        for (other, outer), (_, inside) in found.items()
        if (other == holder or index in first_person) and outer != index and index in inside
    }
    # "Tomas Holm said Varnia had agreed to ...": Holm only relays Varnia's position (rule 1);
    # "we", "they" inside may well be the teller itself, so a pronoun holder does not count
    relayed = {
        (holder, index)
        for holder, index in found
        for other, inner in found
        if other != holder
        and inner in named
        and inner in relays.get(index, ())
        and not actors.speaks_for(holder, other)
    }
    # "President Dask said Varnia wanted peace": Dask states her state's position herself
    voiced = {
        (other, inner)
        for holder, index in found
        for other, inner in found
        if inner in relays.get(index, ()) and actors.speaks_for(holder, other)
    }
    kept = [
        q
        for key, (p, _) in sorted(found.items(), key=lambda item: item[0][1])
        if key not in nested | relayed | voiced
        for q in [p, *(replace(act, holder=p.holder) for act in promises[key[1]])]
    ]
    return sorted(kept + _quoted_on(parsed, kept), key=lambda p: p.sentence)


def _reciprocal(parsed: ParsedArticle, words: Lexicon, verb: Token, kind: str | None) -> bool:
    """ "Accused each other of", "traded accusations of": an accusation each side makes, of
    what it says ("traded sharp accusations" alone says nothing)."""
    return any(
        c.dep == "dobj"
        and (
            verb.lemma.lower() in words.reciprocal_verbs
            and c.lemma.lower() in words.reciprocal_objects
            and any(g.dep == "prep" for g in parsed.children(c))
            or kind == "accusation"
            and fold(parsed.text_of(parsed.subtree(c))) in words.reciprocal_pronouns
            and any(g.dep == "prep" for g in parsed.children(verb))
        )
        for c in parsed.children(verb)
    )


def _promised(parsed: ParsedArticle, words: Lexicon, verb: Token) -> list[Token]:
    """ "Varnia reaffirms its support for the truce and will keep monitoring it": a verb joined
    to a telling verb, with no subject of its own and a modal or "will", is the teller's
    second position in the sentence, what it promises or demands (rule 6)."""
    return [
        act
        for act in parsed.children(verb)
        if act.dep == "conj"
        and act.pos in ("VERB", "AUX")
        and not any(k in words.reporting for k in _keys(parsed, act))
        and not any(c.dep in _SUBJECTS for c in parsed.children(act))
        and any(c.dep == "aux" and c.tag == "MD" for c in parsed.children(act))
    ]


def _promise_kind(parsed: ParsedArticle, words: Lexicon, act: Token) -> PositionKind:
    """ "and must withdraw": the modal's kind; "and will keep": a commitment."""
    modal = next(c.lemma.lower() for c in parsed.children(act) if c.dep == "aux" and c.tag == "MD")
    return words.content_modals.get(modal, "commitment")  # type: ignore[return-value]


def _quoted_on(parsed: ParsedArticle, kept: list[PositionProposal]) -> list[PositionProposal]:
    """A sentence that is all quotation, with no telling of its own, right after a quoted
    position: the same speaker goes on ('"..." Dask said. "The priority is calm."')."""
    told = {p.sentence for p in kept}
    quoted = {p.sentence: p for p in kept if p.quote}
    found = []
    for number, sentence in enumerate(parsed.article.sentences, 1):
        text = sentence.text.strip()
        before = quoted.get(number - 1)
        if (
            before is None
            or number in told
            or len(text) < 3
            or text[0] not in _QUOTES
            or text.rstrip(".")[-1] not in _QUOTES
            or any(ch in _QUOTES for ch in text[1:].rstrip(".")[:-1])
        ):
            continue
        tokens = [t for t in parsed.sentence(number) if t.pos != "PUNCT"]
        if tokens:
            found.append(
                replace(
                    before,
                    content=parsed.text_of(tokens),
                    quote=parsed.text_of(tokens),
                    sentence=number,
                )
            )
    return found


def _readiness(parsed: ParsedArticle, words: Lexicon, verb: Token) -> list[Token]:
    """ "Varnia stands ready to mediate": the "to" clause of a readiness adjective the main verb
    takes, a commitment of the subject's own; inside another's telling it is that telling's."""
    if verb.head != verb.index:
        return []
    return [
        x
        for c in parsed.children(verb)
        if c.dep == "acomp" and c.lemma.lower() in words.readiness
        for x in parsed.children(c)
        if x.dep == "xcomp"
    ]


def _holders(parsed: ParsedArticle, actors: _Actors, subject: Token) -> list[str]:
    """The actors a teller stands for. "Officials, including Dask and Holm": the named members;
    "the Chadians": their state (rule 23).
    Plural officeholders that are no mention ("Varnian and Belmarkian officials") are not the
    last person named: their countries when demonyms say so, else no one known."""
    members = [
        g
        for c in parsed.children(subject)
        if c.dep == "prep" and c.lemma.lower() == "include"
        for g in parsed.children(c)
        if g.dep == "pobj"
    ]
    if members:
        return actors.resolve_all(members[0])
    if joint := actors.joint(subject):
        return joint
    keys: list[str] = []
    for token in _conjuncts(parsed, subject):
        if (
            token.entity == "NORP"
            and token.tag in ("NNS", "NNPS")
            and (country := actors.demonym_actor(token))
        ):
            keys += country  # "the Saudis said": the state
        elif (
            token.tag == "NNS"
            and token.index not in actors.token_key
            and token.lemma.lower() in actors.words.roles
            and not any(c.lemma.lower() in actors.words.pair_words for c in parsed.children(token))
        ):
            keys += [
                k
                for c in parsed.children(token)
                if c.dep == "amod"
                for t in _conjuncts(parsed, c)
                for k in actors.demonym_actor(t)
            ]
        else:
            keys += actors.resolve_all(token)
    return list(dict.fromkeys(keys))


def _untold(parsed: ParsedArticle, words: Lexicon, verb: Token, kind: str) -> bool:
    """A telling verb that reports no position now: a habit ("often threatens", rule 25),
    a telling that did not happen ("has not announced"), or the writer's framing of another act
    ("visited Lusk, highlighting Varnia's support", rule 7; "..., saying" is the actor's)."""
    children = parsed.children(verb)
    if any(c.dep == "advmod" and c.lemma.lower() in words.habitual for c in children):
        return True
    if verb.lemma.lower() in words.plain_telling and any(c.dep == "neg" for c in children):
        return True
    if _silent(parsed, words, verb):
        return True
    return (
        kind == "statement"
        and verb.lemma.lower() not in words.plain_telling
        and verb.tag == "VBG"
        and verb.dep == "advcl"
        and not any(k in words.reporting for k in _keys(parsed, parsed.head(verb)))
    )


def _silent(parsed: ParsedArticle, words: Lexicon, verb: Token) -> bool:
    """ "refused to comment", "declined to say whether ...": a refusal to speak, and the speaking
    refused, state no position."""
    lemma = verb.lemma.lower()
    if lemma in words.refusals:
        return any(
            c.dep == "xcomp" and c.lemma.lower() in words.silence for c in parsed.children(verb)
        )
    return (
        lemma in words.silence
        and verb.dep == "xcomp"
        and parsed.head(verb).lemma.lower() in words.refusals
    )


def _teller(parsed: ParsedArticle, words: Lexicon, verb: Token) -> Token | None:
    """Who tells, where the telling verb has no subject of its own: the object of a verb that
    moves someone to tell ("prompted Dask to warn") or cites them ("cited Dask as saying"),
    the passive subject of "Dask is said to have condemned", and the subject of the verb a
    gerund qualifies ("ended the visit by urging")."""
    if verb.head == verb.index or any(c.dep in _SUBJECTS for c in parsed.children(verb)):
        return _subject(parsed, verb)
    head = parsed.head(verb)
    if verb.dep == "pcomp" and head.dep == "prep" and head.head != head.index:
        governor = parsed.head(head)
        if governor.pos in ("VERB", "AUX"):
            if head.lemma.lower() == "as":
                return next((c for c in parsed.children(governor) if c.dep == "dobj"), None)
            return _subject(parsed, governor)
    if verb.dep == "xcomp":
        for child in parsed.children(head):
            if child.dep == "nsubjpass" and head.lemma.lower() in words.reporting:
                return child
            if (
                child.dep == "dobj"
                and head.lemma.lower() not in words.reporting
                and head.lemma.lower() not in words.governors
            ):
                return child
    return _subject(parsed, verb)


def _that_clause(parsed: ParsedArticle, phrase: Token) -> list[Token]:
    """ "said in a statement that Varnia had withdrawn": the "that" clause the parser hung on the
    statement is the telling's content, not the phrase of the statement."""
    if phrase.dep != "prep":
        return [phrase]
    clauses = [
        c
        for g in parsed.children(phrase)
        if g.dep == "pobj"
        for c in parsed.children(g)
        if _clausal(parsed, c)
    ]
    return clauses or [phrase]


def _clausal(parsed: ParsedArticle, token: Token) -> bool:
    """A content clause: a complement, or a "that" clause the parser made a noun's modifier."""
    return token.dep == "ccomp" or (
        token.dep == "acl"
        and any(c.dep == "mark" and c.text.lower() == "that" for c in parsed.children(token))
    )


def _quoted(parsed: ParsedArticle, sentence: int) -> bool:
    return any(ch in _QUOTES for ch in parsed.article.sentences[sentence - 1].text)


def _dated(parsed: ParsedArticle, token: Token) -> bool:
    """ "on Monday", "since the report": a phrase of time, not one that only holds a date
    ("for respect of the Lusk accord (2019)")."""
    return token.lemma.lower() in lexicon().time_preps or any(
        c.dep == "pobj" and c.entity in ("DATE", "TIME") for c in parsed.children(token)
    )


def _attribution(parsed: ParsedArticle, verb: Token) -> bool:
    """ "according to": the source of facts, not a stance."""
    following = parsed.tokens[verb.index + 1] if verb.index + 1 < len(parsed.tokens) else None
    phrase = f"{verb.text.lower()} {following.text.lower()}" if following else verb.text.lower()
    return phrase in lexicon().attribution


def _content_kind(
    parsed: ParsedArticle, words: Lexicon, kind: str, content: list[Token]
) -> PositionKind:
    """A plain statement whose content is a stance noun ("expressed condolences") takes its kind."""
    if kind != "statement":
        return kind  # type: ignore[return-value]
    for token in content:
        if token.dep == "dobj" and token.lemma.lower() in words.stance_nouns:
            return words.stance_nouns[token.lemma.lower()]  # type: ignore[return-value]
        if _clausal(parsed, token):  # "said Belmark must withdraw": the modal of the content
            for child in parsed.children(token):
                modal = child.lemma.lower()
                if child.dep == "aux" and modal in words.content_modals:
                    return words.content_modals[modal]  # type: ignore[return-value]
            if token.lemma.lower() in words.content_modals and any(
                c.dep == "xcomp" for c in parsed.children(token)
            ):  # "said Belmark needs to withdraw"
                return words.content_modals[token.lemma.lower()]  # type: ignore[return-value]
    return "statement"


def _reports_an_event(parsed: ParsedArticle, words: Lexicon, content: list[Token]) -> bool:
    """The content's own predicate is an event or a meeting in the past tense ("said its forces
    had captured the town", "said the ministers met"), or any completed action (rule 21); told
    at second hand too ("said a paper had reported that the convoy crossed")."""
    return any(
        _clausal(parsed, c)
        and (
            c.tag in ("VBD", "VBN")
            and (
                c.lemma.lower() in words.factual
                or c.lemma.lower() in words.meeting_verbs
                or _event_type(parsed, words, c) is not None
                or _completed(parsed, words, c)
            )
            or _meeting_told(parsed, words, c)
            or c.lemma.lower() in words.plain_telling
            and _reports_an_event(
                parsed, words, [g for g in parsed.children(c) if g.dep == "ccomp"]
            )
        )
        for c in content
    )


def _meeting_told(parsed: ParsedArticle, words: Lexicon, predicate: Token) -> bool:
    """ "said a third round of talks would open in Lusk", "said the envoys discussed trade":
    the meeting itself, at any time, is the meetings' to tell; a judgement of it ("said the
    talks were useful", "said the talks showed that ...") is a position."""
    children = parsed.children(predicate)
    about_a_meeting = predicate.lemma.lower() in words.meeting_verbs or any(
        c.dep in ("nsubj", "nsubjpass")
        and (c.lemma.lower() in words.meeting_nouns or _of_a_meeting(parsed, words, c))
        for c in children
    )
    return about_a_meeting and not (
        predicate.lemma.lower() in words.states
        or any(c.dep in ("ccomp", "xcomp", "acomp", "attr") for c in children)
        or _negated(parsed, words, predicate)
    )


def _negated(parsed: ParsedArticle, words: Lexicon, predicate: Token) -> bool:
    """ "did not meet", "made no progress": a denial, not a report."""
    return any(
        c.dep == "neg"
        or c.dep == "dobj"
        and any(g.dep == "det" and g.lemma.lower() in words.negations for g in parsed.children(c))
        for c in parsed.children(predicate)
    )


def _of_a_meeting(parsed: ParsedArticle, words: Lexicon, noun: Token) -> bool:
    """ "a third round of talks": a noun whose "of" phrase is a meeting."""
    return any(
        c.dep == "prep"
        and c.lemma.lower() == "of"
        and any(g.lemma.lower() in words.meeting_nouns for g in parsed.children(c))
        for c in parsed.children(noun)
    )


def _completed(parsed: ParsedArticle, words: Lexicon, predicate: Token) -> bool:
    """A past action told as done ("said the convoy crossed the river", "said X had been held"):
    not a state, which reported speech also puts in the past ("said he was ready"), nor an
    intent or a stance of its own ("had agreed that ...", "aimed to ..."), nor a denial, nor
    the speaker's own account ("we have foiled ...")."""
    lemma = predicate.lemma.lower()
    children = parsed.children(predicate)
    return not (
        predicate.pos not in ("VERB", "AUX")
        or any(c.dep in ("aux", "auxpass") and c.tag == "MD" for c in children)
        or lemma in words.states
        or lemma in words.reporting
        or lemma in words.governors
        or any(c.dep in ("ccomp", "xcomp") for c in children)
        or _negated(parsed, words, predicate)
        or any(
            c.dep in ("nsubj", "nsubjpass") and c.text.lower() in _FIRST_PERSON for c in children
        )
        or _present_passive(parsed, predicate)
    )


def _present_passive(parsed: ParsedArticle, predicate: Token) -> bool:
    """ "said its hopes are dimmed": a participle after a present-tense "is" or "are", with no
    "has been", tells the state things are in, not an action done."""
    children = parsed.children(predicate)
    return any(c.dep == "auxpass" and c.tag in ("VBZ", "VBP") for c in children) and not any(
        c.dep == "aux" for c in children
    )


def _factual(words: Lexicon, clause: list[Token]) -> bool:
    return any(t.like_num for t in clause) and any(t.lemma.lower() in words.factual for t in clause)


# --- meetings -------------------------------------------------------------------------------


def _meetings(parsed: ParsedArticle, actors: _Actors) -> list[MeetingProposal]:
    words = actors.words
    found: list[MeetingProposal] = []
    told: list[MeetingProposal] = []  # the meetings a later reference may point back to
    for token in parsed.tokens:
        lemma = token.lemma.lower()
        if token.pos == "VERB" and lemma in words.envoy_verbs:
            found += _envoy_visits(parsed, actors, token)
            continue
        if _meeting_verb(parsed, words, token):
            hint = words.meeting_verbs[_meeting_key(parsed, words, token)]
        elif token.pos in ("NOUN", "PROPN") and (
            lemma in words.meeting_nouns or token.text.lower() in words.meeting_nouns
        ):
            hint = words.meeting_nouns.get(lemma, words.meeting_nouns.get(token.text.lower(), ""))
        else:
            continue
        purpose = token.dep in ("advcl", "xcomp") and any(
            c.dep == "aux" and c.tag == "TO" for c in parsed.children(token)
        )
        if purpose and _meeting_verb(parsed, words, parsed.head(token)):
            continue  # "met Holm to discuss Gora": the meeting is told once, by "met"
        meetings = _meeting(parsed, actors, token, hint)
        next_round = False
        if not meetings and token.pos != "VERB":
            meetings, next_round = _meeting_again(parsed, actors, token, told)
            latest = told[-1] if told else None
            if (
                meetings
                and not next_round
                and latest in found
                and set(meetings[0].participants) > set(latest.participants)
            ):  # "During the session, Dask spoke": one who joins the meeting told before
                grown = replace(
                    meetings[0],
                    predicate=latest.predicate,
                    location=latest.location,
                    date=latest.date or meetings[0].date,
                    sentences=tuple(sorted({*latest.sentences, *meetings[0].sentences})),
                )
                found = [  # each telling of that meeting (merged below) grows by the joiner
                    replace(m, participants=grown.participants, format=grown.format)
                    if set(m.participants) == set(latest.participants) and m.status == latest.status
                    else m
                    for m in found
                ]
                found.append(grown)
                told[-1] = grown
                continue
        found += meetings
        told += [] if next_round else meetings  # "the talks" are not the next round
    return _merge_meetings(found)


def _envoy_visits(parsed: ParsedArticle, actors: _Actors, verb: Token) -> list[MeetingProposal]:
    """ "Varnia is sending a senior diplomat to Belmark and Kestria": one visit of the envoy to
    each place it is sent to; planned unless the sending is told in the past."""
    words = actors.words
    envoys = [
        c
        for c in parsed.children(verb)
        if c.dep == "dobj"
        and (c.lemma.lower() in words.roles or c.lemma.lower() in words.delegates)
    ]
    hosts = [
        k
        for c in parsed.children(verb)
        if c.dep in ("prep", "dative") and c.lemma.lower() == "to"
        for g in parsed.children(c)
        if g.dep == "pobj"
        for k in actors.resolve_all(g)
    ]
    if not envoys or not hosts:
        return []
    envoy = envoys[0]
    keys = actors.resolve_all(envoy) or [actors.unnamed(envoy)]
    status: MeetingStatus = "occurred" if verb.tag in ("VBD", "VBN") else "planned"
    if verb.tag in ("VBD", "VBN"):
        status = _meeting_status(parsed, words, verb, verb)  # "had planned to send"
    return [
        MeetingProposal(
            participants=(keys[0], host),
            format="bilateral",
            predicate=verb.lemma.lower(),
            location=None,
            date=_date(parsed, _clause(parsed, verb)),
            status=status,
            sentences=(verb.sentence,),
        )
        for host in hosts
        if host != keys[0]
    ]


def _meeting_again(
    parsed: ParsedArticle, actors: _Actors, noun: Token, told: list[MeetingProposal]
) -> tuple[list[MeetingProposal], bool]:
    """ "The talks ended", "their meeting": a meeting noun that points back and names no party
    is the latest meeting told before it; "another round of talks" is that meeting's next round,
    with its own status. A subject that joins it ("Dask joined the talks") is a party too."""
    words = actors.words
    of = parsed.head(noun)
    anchor = noun  # "the next round of talks": the round carries the pointer and the clause
    if (
        noun.dep == "pobj"
        and of.lemma.lower() == "of"
        and parsed.head(of).lemma.lower() in words.meeting_parts
    ):
        anchor = parsed.head(of)
    modifiers = [
        c for t in {noun.index: noun, anchor.index: anchor}.values() for c in parsed.children(t)
    ]
    pointers = {c.lemma.lower() for c in modifiers if c.dep in ("det", "poss", "amod")}
    named = any(c.dep == "prep" and c.lemma.lower() in words.counterpart_preps for c in modifiers)
    window = words.meeting_reference_window
    before = [m for m in told if noun.sentence - window <= m.sentences[0] <= noun.sentence]
    next_round = bool(pointers & words.meeting_rounds)
    if named or not before or not (next_round or pointers & words.meeting_references):
        return [], False
    latest = before[-1]
    head = parsed.head(anchor)
    joined: list[str] = []
    attended = anchor.dep == "pobj" and head.lemma.lower() in words.attendance_preps
    if attended or anchor.dep == "dobj" and head.lemma.lower() in words.attendance_verbs:
        subject = _subject(parsed, parsed.head(head) if attended else head)
        joined = actors.resolve_all(subject) if subject is not None else []
    group = tuple(dict.fromkeys([*latest.participants, *joined]))
    return [
        MeetingProposal(
            participants=group,
            format=latest.format if len(group) == len(latest.participants) else "multilateral",
            predicate=noun.lemma.lower(),
            location=None,
            date=_date(parsed, _clause(parsed, head)),
            status=_meeting_status(parsed, words, anchor, head) if next_round else latest.status,
            sentences=(noun.sentence,),
        )
    ], next_round


def _meeting_key(parsed: ParsedArticle, words: Lexicon, token: Token) -> str:
    """The verb's key among the meeting verbs: its lemma, or its phrasal key ("sat down with")."""
    keys = _keys(parsed, token)
    return next((k for k in keys if k in words.meeting_verbs), keys[0])


def _meeting_verb(parsed: ParsedArticle, words: Lexicon, token: Token) -> bool:
    """A verb of meeting, or a phrasal verb listed as one ("sat down with"), not one of its
    phrasal senses ("called on", "called for", "called off")."""
    return (
        token.pos == "VERB"
        and _meeting_key(parsed, words, token) in words.meeting_verbs
        and not any(
            k in words.reporting or k in words.governors or k in words.cancelled
            for k in _keys(parsed, token)[1:]
        )
    )


def _meeting(
    parsed: ParsedArticle, actors: _Actors, predicate: Token, hint: str
) -> list[MeetingProposal]:
    words = actors.words
    anchor = predicate  # where the meeting noun sits in its clause
    of = parsed.head(predicate)
    if (
        predicate.dep == "pobj"
        and of.lemma.lower() == "of"
        and parsed.head(of).lemma.lower() in words.meeting_parts
    ):
        anchor = parsed.head(of)  # "held a second round of talks": the round is the object
    verb = predicate if predicate.pos == "VERB" else parsed.head(anchor)
    # "took part in the talks", "said during talks with": the clause's subject is at the
    # meeting, whatever noun the parser hung the preposition on
    clause_verb = next((t for t in parsed.ancestors(verb) if t.pos == "VERB"), None)
    attended = (
        predicate.pos != "VERB"
        and anchor.dep == "pobj"
        and clause_verb is not None
        and (
            verb.lemma.lower() in words.attendance_preps
            or verb.lemma.lower() == "for"
            and clause_verb.lemma.lower() in words.journeys
            or verb.lemma.lower() in words.attendance_after
            and any(
                c.dep == "prep" and c.lemma.lower() == "with" for c in parsed.children(predicate)
            )
        )
    )
    if attended and clause_verb is not None:
        verb = clause_verb
    if predicate.pos != "VERB" and _meeting_verb(parsed, words, verb):
        return []  # "met for talks": the verb makes the meeting
    sides: list[str] = []
    subject = (
        _subject(parsed, verb)
        if predicate.pos == "VERB" or anchor.dep in ("dobj", "nsubjpass") or attended
        else None
    )
    if subject is not None and predicate.pos != "VERB" and subject.index == predicate.index:
        subject = None
    if subject is None and predicate.pos == "VERB":
        subject = _raised_subject(parsed, predicate)
    if subject is not None:
        sides += actors.represented(subject) or actors.resolve_all(subject)
    counterparts: list[str] = []
    unnamed = False  # "spoke with their counterparts": the other side is not named
    paired: list[tuple[str, str]] = []  # "with their Varnian counterparts": one per side
    with_named = False  # "talks with Belmark": one side named, the other is the teller's
    holders = {predicate.index: predicate, verb.index: verb}
    preps = words.counterpart_preps  # "a visit to Varnia": "to" names the host after a visit
    if predicate.lemma.lower() in words.destination_predicates:
        preps = preps | words.destination_preps
    if predicate.pos == "VERB":  # "hosted talks between B and C": the parties of the talks
        holders |= {
            c.index: c
            for c in parsed.children(predicate)
            if c.dep == "dobj" and c.lemma.lower() in words.meeting_nouns
        }
    for holder in holders.values():
        for child in parsed.children(holder):
            if child.index == predicate.index:
                continue
            if child.dep == "poss" and child.lemma.lower() in words.meeting_references:
                continue  # "their meeting": the parties are those told, here or before
            if (
                child.dep in ("poss", "compound", "nmod")
                or child.dep == "dobj"
                and (holder.lemma.lower() in words.object_counterparts or holder.pos != "VERB")
            ):
                counterparts += (
                    actors.officeholders(child, sides)
                    or actors.resolve_all(child)
                    or actors.holders_of(child)
                )
            elif holder.pos != "VERB" and child.dep in ("amod", "acl"):
                counterparts += _brokers(parsed, actors, child)
            elif holder.index == predicate.index == verb.index and child.dep == "nsubjpass":
                counterparts += actors.resolve_all(child)  # "B was received by A"
            elif attended and holder.index == verb.index and child.dep in ("dobj", "dative"):
                # "told her counterpart in a phone call": the person addressed is at it
                counterparts += [
                    k for k in actors.resolve_all(child) if actors.records[k].type == "person"
                ]
            if (
                child.dep == "prep"
                and holder.pos != "VERB"
                and child.lemma.lower() in words.body_preps
            ):
                counterparts += [
                    k
                    for g in parsed.children(child)
                    if g.dep == "pobj"
                    for k in actors.resolve_all(g)
                ]
            sourced = holder.lemma.lower() in words.source_predicates  # "a call from Holm"
            if child.dep == "prep" and (
                child.lemma.lower() in preps
                or sourced
                and child.lemma.lower() in words.source_preps
            ):
                for g in parsed.children(child):
                    if g.dep == "pobj":
                        named = actors.officeholders(g, sides) or actors.resolve_all(g)
                        paired += [] if named else actors.counterparts(g, sides)
                        unnamed = unnamed or not named
                        counterparts += named
                        with_named = with_named or bool(named) and child.lemma.lower() == "with"
    if with_named and not sides and predicate.dep in ("nsubj", "nsubjpass"):
        sides = _held_by(parsed, actors, predicate)
    counterparts = [c for c in dict.fromkeys(counterparts) if c not in sides]
    scope = _clause(parsed, verb)
    near = {predicate.index, verb.index}
    near |= {
        c.index
        for n in list(near)
        for c in parsed.children(parsed.tokens[n])
        if c.dep in ("prep", "compound")
    }
    format_hint = hint or (
        "call"
        if any(
            t.lemma.lower() in words.call_words
            and (t.pos != "VERB" or _meeting_verb(parsed, words, t))
            for t in scope
            if t.head in near or t.index == predicate.index
        )
        else ""
    )
    status = _meeting_status(parsed, words, predicate, verb)
    place = _place(parsed, actors, scope)
    date = _date(parsed, scope)
    between = any(
        c.dep == "prep" and c.lemma.lower() in ("between", "among")
        for holder in holders.values()
        for c in parsed.children(holder)
    )
    if any(
        c.dep == "amod" and c.lemma.lower() in words.hypothetical
        for c in parsed.children(predicate)
    ):
        return []  # "a possible conversation between A and B": no meeting told
    if paired and not counterparts:
        groups: list[tuple[str, ...]] = list(paired)
    elif unnamed and not counterparts:
        return []
    elif sides and len(counterparts) > 1 and predicate.pos == "VERB" and not between:
        groups = [(sides[0], c) for c in counterparts]  # "A met B, C and D": one each
    else:
        groups = [tuple(dict.fromkeys([*sides, *counterparts]))]
    meetings = []
    for group in groups:
        if len(group) < 2:
            continue
        body = any(actors.records[k].type == "international_organization" for k in group)
        kind: MeetingFormat = (
            "call"
            if format_hint == "call"
            else "bilateral"
            if len(group) == 2 and not body
            else "multilateral"
        )  # a session of a body is multilateral, whoever else is named
        meetings.append(
            MeetingProposal(
                participants=tuple(group),
                format=kind,
                predicate=predicate.lemma.lower(),
                location=place,
                date=date,
                status=status,
                sentences=(predicate.sentence,),
            )
        )
    return meetings


def _held_by(parsed: ParsedArticle, actors: _Actors, noun: Token) -> list[str]:
    """ "Varnia said talks with Belmark were useful": talks "with" a party that are the subject
    of what a party says are that party's."""
    clause = parsed.head(noun)
    teller = parsed.head(clause)
    if clause.dep != "ccomp" or teller.lemma.lower() not in actors.words.reporting:
        return []
    subject = _subject(parsed, teller)
    return actors.resolve_all(subject) if subject is not None else []


def _raised_subject(parsed: ParsedArticle, verb: Token) -> Token | None:
    """ "A is expected to meet B", "A is due to meet B": the subject of the word that the
    meeting verb completes, passive or adjective; "A said after meeting B": the subject of the
    clause the gerund's preposition hangs on."""
    head = parsed.head(verb)
    if verb.dep == "pcomp" and head.dep == "prep" and parsed.head(head).pos == "VERB":
        return _subject(parsed, parsed.head(head))
    if verb.dep != "xcomp" or head.index == verb.index:
        return None
    passive = [c for c in parsed.children(head) if c.dep == "nsubjpass"]
    if passive:
        return passive[0]
    if head.dep == "acomp" and head.head != head.index:
        return _subject(parsed, parsed.head(head))
    return None


def _brokers(parsed: ParsedArticle, actors: _Actors, modifier: Token) -> list[str]:
    """ "Varnia-brokered talks", "talks mediated by Varnia": who brokers a meeting takes part."""
    words = actors.words
    text = modifier.text.lower()
    if modifier.lemma.lower() in words.brokers or text in words.brokers:
        return [
            k
            for c in parsed.children(modifier)
            if c.dep in ("npadvmod", "compound", "nsubj", "agent")
            for k in (
                actors.resolve_all(next((g for g in parsed.children(c) if g.dep == "pobj"), c))
                if c.dep == "agent"
                else actors.resolve_all(c)
            )
        ]
    name, _, participle = modifier.text.rpartition("-")  # one token: "Varnia-brokered"
    if name and participle.lower() in words.brokers:
        key = name_key(name)
        return [
            r.key
            for r in actors.records.values()
            if key == r.key or key in {name_key(f) for f in r.forms}
        ][:1]
    return []


def _act_at_meeting(parsed: ParsedArticle, words: Lexicon, token: Token) -> bool:
    """A preposition that puts a verb's act at the meeting ("rejected the plan during the
    talks"): the verb's words are about that act, not about the meeting."""
    return token.lemma.lower() in words.attendance_preps and parsed.head(token).pos == "VERB"


def _meeting_status(
    parsed: ParsedArticle, words: Lexicon, predicate: Token, verb: Token
) -> MeetingStatus:
    chain = [predicate, *parsed.ancestors(predicate)][:4]
    for token in chain:
        if _act_at_meeting(parsed, words, token):
            break  # "rejected the plan during the talks": the act is at the meeting, not on it
        keys = _keys(parsed, token)
        if any(k in words.cancelled for k in keys):
            return "cancelled"
    setting = False  # "offered aid at the talks": the verb is the act's, its tense the talks'
    for token in chain:
        if token.lemma.lower() in words.planned and token.index != predicate.index and not setting:
            return "planned"
        setting = setting or _act_at_meeting(parsed, words, token)
        for child in parsed.children(token):
            if child.dep == "aux" and (child.lemma.lower() in words.planned or child.tag == "TO"):
                return "planned"
        if token.pos == "VERB" and token.index != predicate.index and token.index != verb.index:
            break
    if any(  # "the planned summit", "a forthcoming visit"
        c.dep == "amod" and c.text.lower() in words.planned_modifiers
        for c in parsed.children(predicate)
    ):
        return "planned"
    coordinated = {  # "met in May, and their next meeting is set": not this meeting's words
        t.index for c in parsed.children(predicate) if c.dep == "conj" for t in parsed.subtree(c)
    }
    if any(
        t.lemma.lower() in ("next", "upcoming", "coming") and t.index not in coordinated
        for t in parsed.subtree(predicate)
    ):
        return "planned"
    return "occurred"


def _merge_meetings(meetings: list[MeetingProposal]) -> list[MeetingProposal]:
    """One encounter told in several sentences is one meeting, with every sentence as evidence."""
    merged: list[MeetingProposal] = []
    for meeting in meetings:
        same = next(
            (
                m
                for m in merged
                if set(m.participants) == set(meeting.participants) and m.status == meeting.status
            ),
            None,
        )
        if same is None:
            merged.append(meeting)
            continue
        index = merged.index(same)
        merged[index] = MeetingProposal(
            participants=same.participants,
            format=same.format
            if same.format == "call"
            else meeting.format
            if meeting.format == "call"
            else same.format,
            predicate=same.predicate,
            location=same.location or meeting.location,
            date=same.date or meeting.date,
            status=same.status,
            sentences=tuple(sorted({*same.sentences, *meeting.sentences})),
        )
    return merged


# --- developments ---------------------------------------------------------------------------


def _event_type(parsed: ParsedArticle, words: Lexicon, token: Token) -> DevelopmentType | None:
    parsed_lemma = token.lemma.lower()
    lemma = words.irregular_forms.get(token.text.lower(), parsed_lemma)  # "retook"
    keys = [lemma + k[len(parsed_lemma) :] for k in _keys(parsed, token)]
    compound = [  # "a drone strike", "test-fired" ("test" its adverb)
        f"{c.lemma.lower()} {lemma}"
        for c in parsed.children(token)
        if c.dep in ("compound", "amod", "npadvmod")
    ]
    # "gained control of": the verb and its object name the event together
    taken = [f"{lemma} {c.lemma.lower()}" for c in parsed.children(token) if c.dep == "dobj"]
    kind = next(
        (words.events[k] for k in [*compound, *taken, *reversed(keys)] if k in words.events),
        None,
    )
    named = any(k in words.events for k in [*compound, *taken])  # no instrument retypes it
    if token.tag == "NNS" and lemma in words.blazes:
        return None  # "fires burned all night": blazes
    if kind is None or any(
        c.dep in ("compound", "amod") and c.lemma.lower() in words.not_force
        for c in parsed.children(token)
    ):
        return None
    armed = False  # an instrument named in the clause
    # what was taken: the object, or the noun a participle modifies ("the seized arms")
    taken_things = _objects(parsed, token, ("dobj", "nsubjpass"), ())
    taken_things += [parsed.head(token)] if token.dep == "amod" else []
    if kind == "territorial_change" and any(
        o.lemma.lower() in words.not_territory for o in taken_things
    ):
        return None  # "seized power", "weapons were seized": no place taken
    if lemma in words.generic_events and not named:
        scope = [*parsed.children(token), token]
        scope += [_volley_of(parsed, words, c) for c in parsed.children(token)]
        for t in [*scope, *(g for c in parsed.children(token) for g in parsed.children(c))]:
            if t.lemma.lower() in words.instruments and t.index != token.index:
                kind = words.instruments[t.lemma.lower()]
                armed = True
                break
        if lemma == "launch":
            objects = [
                _volley_of(parsed, words, c) for c in parsed.children(token) if c.dep == "dobj"
            ]
            if not objects or any(o.lemma.lower() in words.events for o in objects):
                return None  # "launched an offensive": the offensive is the event
            if not any(o.lemma.lower() in words.launch_objects for o in objects):
                return None
            # aimed at a target, not "on Sunday": a preposition of time aims at nothing
            aimed = any(
                c.dep == "prep"
                and c.lemma.lower() in ("at", "on", "against", "toward", "towards")
                and not any(g.entity in ("DATE", "TIME") for g in parsed.children(c))
                for c in parsed.children(token)
            )
            kind = (
                words.instruments.get(objects[0].lemma.lower(), kind)
                if aimed
                else "weapons_launch_or_test"
            )
    if kind == "armed_clash" or lemma in words.generic_events:
        victims = _objects(parsed, token, ("dobj", "nsubjpass"), ("on", "against"))
        if any(v.lemma.lower() in words.civilians for v in victims):
            return "attack_on_civilians"
        if lemma in words.generic_events and not armed:
            # "an attack which killed two soldiers": the victims of what it did count too
            victims += [
                v
                for c in parsed.children(token)
                if c.dep == "relcl" and c.lemma.lower() in words.casualties
                for v in _objects(parsed, c, ("dobj",), ())
            ]
            if any(v.lemma.lower() in words.ground_targets for v in victims):
                return "armed_clash"
            # "33 attacks on the Gora direction": an assault along a front is fought on the ground
            doer = parsed.head(token) if token.dep == "dobj" else token
            # ("attacks by the invaders on the Gora direction": the phrase may hang lower)
            below = parsed.subtree(token) if token.pos == "NOUN" else []
            fronts = [*parsed.children(doer), *below]
            if any(_on_a_front(parsed, words, c) for c in fronts):
                return "armed_clash"
    return kind  # type: ignore[return-value]


def _volley_of(parsed: ParsedArticle, words: Lexicon, noun: Token) -> Token:
    """The weapon a volley noun counts ("a barrage of rockets": rockets), else the noun."""
    if noun.lemma.lower() not in words.volleys:
        return noun
    return next(iter(_objects(parsed, noun, (), ("of",))), noun)


def _number(parsed: ParsedArticle, words: Lexicon, token: Token) -> int | None:
    """The number a noun phrase states: "Twenty-five people", "25", "at least 15", "seven";
    not a number of a part of them ("including nine children")."""
    parts_of = {
        t.index
        for c in parsed.children(token)
        if c.dep in ("prep", "appos", "relcl", "acl")
        for t in parsed.subtree(c)
    }
    parts = [
        t
        for t in parsed.subtree(token)
        if t.like_num
        and t.index not in parts_of
        and t.entity not in ("DATE", "TIME", "MONEY")
        and (t.index == token.index or t.dep in ("nummod", "compound", "quantmod"))
    ]
    value = 0
    for part in parts:
        text = part.text.lower().replace(",", "")
        number = int(text) if text.isdigit() else words.numbers.get(text)
        if number is None:
            return None
        value = value * number if number in (100, 1000) and value else value + number
    return value or None


def _tolls(
    parsed: ParsedArticle, words: Lexicon, tokens: list[Token]
) -> tuple[int | None, int | None]:
    """(killed, injured) stated in the tokens; each casualty word reads its victims' number.

    "N people were killed" (subject of a passive), "killed N people" (object), "N died"
    (subject), "N dead" (an adjective on a number); a figure shared by both words ("274
    killed and injured") counts neither (contract rule 22).
    """
    counts: dict[str, list[tuple[int, int]]] = {"killed": [], "injured": []}
    for token in tokens:
        which = words.casualties.get(token.lemma.lower()) or words.casualties.get(
            token.text.lower()
        )
        if which is None:
            continue
        victims = [c for c in parsed.children(token) if c.dep in ("dobj", "nsubjpass")]
        if (
            token.pos == "VERB"
            and not any(c.dep == "dobj" for c in parsed.children(token))
            and token.lemma.lower() in ("die",)
        ):
            victims += [c for c in parsed.children(token) if c.dep == "nsubj"]
        if token.pos in ("ADJ", "NOUN") or token.tag == "VBN" and token.dep in ("amod", "acl"):
            victims += [parsed.head(token)] if token.dep in ("amod", "acl", "appos") else []
            victims += [
                c for c in parsed.children(token) if c.dep in ("nummod", "npadvmod", "pobj")
            ]
            victims += [
                g
                for c in parsed.children(token)
                if c.dep == "prep"
                for g in parsed.children(c)
                if g.dep == "pobj"
            ]
        if token.dep == "conj" and not victims:
            shared = parsed.head(token)
            if words.casualties.get(shared.lemma.lower()) and shared.tag == token.tag:
                for victim in parsed.children(shared):
                    if victim.dep in ("nsubjpass", "dobj"):
                        counts[words.casualties[shared.lemma.lower()]] = [
                            c
                            for c in counts[words.casualties[shared.lemma.lower()]]
                            if c[0] != victim.index
                        ]
                continue
        for victim in victims:
            value = _number(parsed, words, victim)
            if value is not None:
                counts[which].append((victim.index, value))
                break
    killed = sum(dict(counts["killed"]).values()) or None
    injured = sum(dict(counts["injured"]).values()) or None
    return killed, injured


def _agents(parsed: ParsedArticle, actors: _Actors, token: Token) -> tuple[list[str], list[str]]:
    """(who acted, against whom) for an event predicate."""
    agents: list[str] = []
    targets: list[str] = []
    for child in parsed.children(token):
        if (
            child.dep in ("nsubj", "poss")
            or child.dep in ("amod", "compound")
            and child.index < token.index
        ):
            agents += actors.resolve_all(child) or actors.demonym_actor(child)
        elif child.dep == "agent" or child.dep == "prep" and child.lemma.lower() == "by":
            agents += [
                k for g in parsed.children(child) if g.dep == "pobj" for k in actors.resolve_all(g)
            ]
        elif child.dep in ("dobj", "nsubjpass"):
            targets += actors.resolve_all(child)
        elif child.dep == "prep" and child.lemma.lower() in ("on", "against", "with", "between"):
            for g in parsed.children(child):
                if g.dep == "pobj":
                    (agents if child.lemma.lower() in ("with", "between") else targets).extend(
                        actors.resolve_all(g)
                    )
    if token.dep in ("nsubj",) and not agents:  # "the strike killed": the verb's other roles
        verb = parsed.head(token)
        targets += [
            k for c in parsed.children(verb) if c.dep == "dobj" for k in actors.resolve_all(c)
        ]
    if token.pos == "NOUN" and token.dep in ("dobj", "pobj") and not agents:
        verb = _governor(parsed, token)
        # "X launched an attack" or "claimed the attack": X acted; "X condemned the attack",
        # "welcomed the truce" or "described the raid as": X took a stance on it or told of it
        spoke = any(
            actors.words.reporting.get(k, "statement") in _STANCES_ON_AN_EVENT
            or actors.words.reporting.get(k) == "statement"
            and k not in actors.words.own_acts
            for k in _keys(parsed, verb)
        )
        subject = _subject(parsed, verb) if verb.pos == "VERB" and not spoke else None
        if subject is not None:
            agents += actors.resolve_all(subject)
    if not agents and token.dep in ("pcomp", "pobj"):
        agents += _accused(parsed, actors, token)
    agents = list(dict.fromkeys(agents))
    return agents, [t for t in dict.fromkeys(targets) if t not in agents]


def _accused(parsed: ParsedArticle, actors: _Actors, token: Token) -> list[str]:
    """ "accused Varnia of shelling", "blamed Varnia for the attack": the accused is the one
    said to have done it (the development is claimed, by the accuser)."""
    preposition = parsed.head(token)
    verb = parsed.head(preposition)
    if preposition.dep != "prep" or preposition.lemma.lower() not in ("of", "for"):
        return []
    if actors.words.reporting.get(verb.lemma.lower()) != "accusation":
        return []
    return [k for c in parsed.children(verb) if c.dep == "dobj" for k in actors.resolve_all(c)]


def _force_named(actors: _Actors, tokens: list[Token], targets: list[str]) -> list[str]:
    """The first armed force or armed group the tokens mention, other than the ``targets``."""
    keys = (actors.token_key.get(t.index) for t in tokens)
    return [
        k
        for k in keys
        if k and k not in targets and actors.records[k].type in ("military", "armed_group")
    ][:1]


def _developments(parsed: ParsedArticle, actors: _Actors) -> list[DevelopmentProposal]:
    words = actors.words
    found: list[DevelopmentProposal] = []
    recent: tuple[int, str] | None = None  # the latest place named, and its sentence
    recent_date: tuple[int, str] | None = None  # the latest day or month named, and its sentence
    for number in parsed.sentence_tokens:
        tokens = parsed.sentence(number)
        named = _place(parsed, actors, tokens)
        recent = (number, named) if named else recent
        dated = _date(parsed, tokens, [t for t in tokens if t.lemma.lower() in words.reporting])
        recent_date = (number, dated) if dated and not dated.isdigit() else recent_date
        triggers = []
        for token in tokens:
            if token.pos not in ("VERB", "NOUN", "PROPN"):
                continue
            kind = _event_type(parsed, words, token)
            if kind is None:
                continue
            if token.dep == "compound" and parsed.head(token).pos == "NOUN":
                continue  # "ceasefire talks", "a strike group": it names a kind of thing
            if _spanned(parsed, words, token):
                continue
            modality = _modality(parsed, words, token)
            # a habit that one side claims or denies is no development either ("deny they are
            # targeting civilians"); "accused it of shelling" tells the shelling as an act
            if (
                modality == "unreal"
                or (modality is None or modality in ("claimed", "denied") and token.dep != "pcomp")
                and _standing(parsed, token)
            ):
                continue
            triggers.append(
                (len(list(parsed.ancestors(token))), token.index, token, kind, modality)
            )
        killed, injured = _tolls(parsed, words, tokens)
        if not triggers:
            if (killed or injured) and found and found[-1].sentences[-1] == number - 1:
                last = found.pop()
                found.append(_with_sentence(last, number, killed, injured))
            continue
        _, _, token, kind, modality = min(triggers, key=lambda t: (t[0], t[1]))
        agents, targets = _agents(parsed, actors, token)
        if not agents:  # "fighting raged as Valdorian troops advanced": the force it names
            agents = _force_named(actors, tokens, targets)
        scope = _clause(parsed, token if token.pos == "VERB" else parsed.head(token))
        reporters = [t for t in parsed.ancestors(token) if t.lemma.lower() in words.reporting]
        if kind == "ceasefire_or_truce":  # "agreed on Friday to a truce": the truce's own date
            reporters = [t for t in reporters if t.index != _governor(parsed, token).index]
        status: DevelopmentStatus = (
            "planned"
            if modality == "planned"
            else "denied"
            if modality == "denied"
            else "claimed"
            if modality == "claimed"
            else "reported"
        )
        own = _place(parsed, actors, scope) or _target_place(
            parsed, actors, token, kind == "territorial_change"
        )
        place = own or named
        if place is None and recent is not None and recent[0] >= number - 1:
            place = recent[1]  # the events of a passage happen where it last placed them
        proposal = DevelopmentProposal(
            type=kind,
            predicate=token.lemma.lower(),
            clause=parsed.text_of(_clause(parsed, token)),
            actors=tuple(agents),
            targets=tuple(targets),
            location=place,
            date=_date(parsed, scope, reporters)
            or _date(parsed, tokens, reporters)
            # and when it last dated them, within two sentences (a bare year is background),
            # unless the sentence dates only its telling (contract rule 11)
            or (
                recent_date[1]
                if recent_date and recent_date[0] >= number - 2 and not _date(parsed, tokens)
                else None
            ),
            killed=killed,
            injured=injured,
            status=status,
            sentences=(number,),
        )
        if _background(parsed, proposal):
            continue
        if found and _continues(found[-1], proposal):
            found[-1] = _with_sentence(found[-1], number, killed, injured)
            continue
        anaphoric = _anaphoric(parsed, words, token)
        # "the attack" placed only by its sentence or passage is still the attack told before
        earlier = _antecedent(
            found, proposal if own or not anaphoric else replace(proposal, location=None), anaphoric
        )
        if earlier is not None:
            found[found.index(earlier)] = _merged(earlier, proposal, anaphoric)
            continue
        found.append(proposal)
    return found


def _governor(parsed: ParsedArticle, noun: Token) -> Token:
    """The word a noun is the object of: its head, or through a preposition the preposition's
    head ("agreed to a truce", "launched an attack")."""
    head = parsed.head(noun)
    return parsed.head(head) if noun.dep == "pobj" else head


def _background(parsed: ParsedArticle, development: DevelopmentProposal) -> bool:
    """Dated long enough before publication to be the article's background ("seized the valley
    in 2019", "raids on Lusk since 2020"; ``[background]`` in ``events.toml``)."""
    published = parsed.article.published
    if published is None or development.date is None:
        return False
    value = resolve_date(development.date, published, future=development.status == "planned")
    if value is None or not value[:4].isdigit():
        return False
    month = int(value[5:7]) if len(value) >= 7 else 12
    age = (published.year - int(value[:4])) * 12 + published.month - month
    return age >= lexicon().background_months


def _target_place(
    parsed: ParsedArticle, actors: _Actors, token: Token, taken: bool = False
) -> str | None:
    """The named place an event is done to: "shelled the village of Ostrel", "strikes on Lusk",
    "Gora was captured". What is ``taken`` (captured) is a place whatever the tagger calls its
    name, a person's or an organisation's ("gained control of Gora Ridge")."""
    for target in _objects(parsed, token, ("dobj", "nsubjpass"), ("on", "against")):
        named_by = [c for c in parsed.children(target) if c.dep in ("compound", "prep")]
        near = [
            target,
            *named_by,
            *(g for c in named_by if c.lemma == "of" for g in parsed.children(c)),
        ]
        for t in near:
            entity = parsed.entity_of(t)
            text = entity.text.removeprefix("the ") if entity is not None else t.text
            named = t.index in actors.places or name_key(text) in actors.place_names
            placed = named or t.entity in _PLACE_LABELS and t.index not in actors.dateline
            placed = placed or (
                taken and t.pos == "PROPN" and t.entity not in ("DATE", "TIME", "NORP")
            )
            if placed and not is_country(text):
                return text
    return None


def _spanned(parsed: ParsedArticle, words: Lexicon, token: Token) -> bool:
    """An event noun that fills a span of time ("four years of fighting", "months of
    shelling"): the background of the article, not a development (contract rule 5)."""
    if token.dep != "pobj" or parsed.head(token).lemma.lower() != "of":
        return False
    owner = parsed.head(parsed.head(token))
    return owner.lemma.lower() in words.duration_units or owner.text.lower() in words.duration_units


def _standing(parsed: ParsedArticle, token: Token) -> bool:
    """An event told as a state, a habit or an aim rather than as something that happened
    (contract rules 5 and 22): its verb, or the verb that governs the event noun, is in the
    present or the base form ("keeps fighting", "occupies", "wants to strike"), or is itself a
    gerund ("attacking ports, the group ...")."""
    verb = next((t for t in (token, *parsed.ancestors(token)) if t.pos in ("VERB", "AUX")), None)
    if verb is None:
        return False
    # "frequently accuse each other of attacks", "often shelled": a habit, whatever the tense
    habit = any(
        c.dep == "advmod" and c.lemma.lower() in lexicon().habitual for c in parsed.children(verb)
    )
    return habit or verb.tag in _STANDING_TAGS or verb.tag == "VBG" and verb.index == token.index


def _anaphoric(parsed: ParsedArticle, words: Lexicon, token: Token) -> bool:
    """An event noun that points back: "the attack", "this blast", "Thursday's strike"."""
    if token.pos != "NOUN":
        return False
    return any(
        c.dep == "det"
        and c.lemma.lower() in words.anaphora
        or c.dep == "poss"
        and (c.lemma.lower() in words.anaphora or c.entity in ("DATE", "TIME"))
        for c in parsed.children(token)
    )


def _antecedent(
    found: list[DevelopmentProposal], later: DevelopmentProposal, anaphoric: bool
) -> DevelopmentProposal | None:
    """The development told in the last three sentences that ``later`` goes on about: the one
    a definite event noun points back to (across a paragraph: six sentences), or the latest with
    one of its agents, when no other place is given."""
    for place, earlier in reversed(list(enumerate(found))):
        if later.sentences[0] - earlier.sentences[-1] > (6 if anaphoric else 3):
            if not anaphoric or later.type in _USES_OF_FORCE:
                return None
            # "the truce", "the withdrawal" told again further on: the one told before
            return next((e for e in reversed(found[: place + 1]) if e.type == later.type), None)
        if later.location is not None and earlier.location not in (None, later.location):
            continue
        if not _same_kind(earlier.type, later.type):
            continue  # "the truce" after a strike: another development
        if anaphoric and not (later.actors and earlier.actors and not _shared(earlier, later)):
            return earlier
        if later.actors and _shared(earlier, later):
            return earlier
    return None


def _same_kind(a: DevelopmentType, b: DevelopmentType) -> bool:
    """Two types one development may be told by: the same, or two uses of force ("the raid"
    after "the strike")."""
    return a == b or a in _USES_OF_FORCE and b in _USES_OF_FORCE


def _shared(earlier: DevelopmentProposal, later: DevelopmentProposal) -> bool:
    return bool(set(earlier.actors) & set(later.actors))


def _merged(
    earlier: DevelopmentProposal, later: DevelopmentProposal, anaphoric: bool
) -> DevelopmentProposal:
    """One development told in two places: the first telling, completed by the later one (its
    date only when the later one names the development itself: "Thursday's attack")."""
    return DevelopmentProposal(
        type=earlier.type,
        predicate=earlier.predicate,
        clause=earlier.clause,
        actors=tuple(dict.fromkeys((*earlier.actors, *later.actors))),
        targets=tuple(
            t
            for t in dict.fromkeys((*earlier.targets, *later.targets))
            if t not in earlier.actors and t not in later.actors
        ),
        location=earlier.location or later.location,
        date=earlier.date or (later.date if anaphoric else None),
        killed=earlier.killed or later.killed,
        injured=earlier.injured or later.injured,
        status=earlier.status,
        sentences=tuple(sorted({*earlier.sentences, *later.sentences})),
    )


def _continues(earlier: DevelopmentProposal, later: DevelopmentProposal) -> bool:
    """The next sentence goes on about the same development: same type, no other place or actors."""
    return (
        later.sentences[0] == earlier.sentences[-1] + 1
        and later.type == earlier.type
        and later.location in (None, earlier.location)
        and (
            not later.actors or not earlier.actors or bool(set(later.actors) & set(earlier.actors))
        )
    )


def _with_sentence(
    development: DevelopmentProposal, number: int, killed: int | None, injured: int | None
) -> DevelopmentProposal:
    return DevelopmentProposal(
        type=development.type,
        predicate=development.predicate,
        clause=development.clause,
        actors=development.actors,
        targets=development.targets,
        location=development.location,
        date=development.date,
        killed=development.killed or killed,
        injured=development.injured or injured,
        status=development.status,
        sentences=(*development.sentences, number),
    )
