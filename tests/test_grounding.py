import datetime as dt
from types import SimpleNamespace as Draft

import pytest

from summarizer import load_article
from summarizer.completion import complete
from summarizer.grounding import (
    ActorResolver,
    Aligner,
    find_quote,
    ground_actors,
    ground_developments,
    ground_meetings,
    ground_positions,
    spans,
)
from summarizer.normalize import is_country, resolve_date, separate_title, slugify, stated_place

from .conftest import SAMPLE

ARTICLE = load_article(SAMPLE)


def actor(name, type_="person", evidence=(1,), role=None, affiliation=None):
    return Draft(name=name, type=type_, role=role, affiliation=affiliation, evidence=list(evidence))


def test_sentence_numbers_become_exact_spans_and_unknown_numbers_vanish():
    result = spans(ARTICLE, [3, 1, 3, 99])
    assert [s.start for s in result] == sorted(s.start for s in result)
    assert len(result) == 2
    assert all(ARTICLE.text[s.start:s.end] == s.text for s in result)


def test_actors_get_slug_ids_merge_duplicates_and_anchor_on_their_name():
    actors = ground_actors(ARTICLE, [
        actor("Elena Varga", evidence=[5]),       # cited the wrong sentence: the name is in sentence 1
        actor("Varga", evidence=[2]),             # the same person by surname
        actor("Tomas Brenner", role="Foreign Minister"),
        actor("Tomas  Brenner", evidence=[1]),    # a repeat
    ])
    assert [a.id for a in actors] == ["elena-varga", "tomas-brenner"]
    assert "Elena Varga" in actors[0].evidence[0].text
    assert actors[0].aliases == ["Varga"]
    assert actors[1].role == "Foreign Minister"


def test_slugify_is_ascii_and_stable():
    assert slugify("Türkiye's Foreign Ministry") == "turkiyes-foreign-ministry"
    assert slugify("  ") == "actor"


ACTORS = ground_actors(ARTICLE, [actor("Elena Varga"), actor("Tomas Brenner"),
                                  actor("Valdorian army", "military", evidence=[3]),
                                  actor("Anton Kral", evidence=[6]), actor("Sam Okafor", evidence=[7])])
ALIGNER = Aligner(ARTICLE, ACTORS)


def test_items_are_deduplicated_and_meetings_need_two_known_participants():
    meeting = Draft(evidence=[1], participants=["elena-varga", "tomas-brenner"], format="call", event=None,
                    location=None, date="on Monday", topics=["fighting"], status="occurred")
    lonely = Draft(evidence=[7], participants=["elena-varga", "ghost"], format="bilateral", event=None,
                   location="Geneva", date=None, topics=[], status="occurred")
    meetings = ground_meetings(ARTICLE, [meeting, meeting, lonely], ALIGNER)
    assert len(meetings) == 1
    assert meetings[0].date.value == "2025-03-10" and meetings[0].date.text == "on Monday"


def test_development_refs_and_counts_are_cleaned():
    draft = Draft(evidence=[3], type="shelling_or_missile_strike", description="Shelling of Ostrov.",
                  actors=["valdorian-army", "valdorian-army", "ghost"], targets=["valdorian-army"], location="Ostrov",
                  date="on Sunday", killed=4, injured=0, status="reported")
    [development] = ground_developments(ARTICLE, [draft], ALIGNER)
    assert development.actors == ["valdorian-army"] and development.targets == []
    assert development.killed == 4 and development.injured is None
    assert development.date.value == "2025-03-09"


def test_quote_is_filled_verbatim_only_when_the_model_says_quoted():
    base = dict(evidence=[6], holder="anton-kral", kind="commitment", topic="defence", position="Will defend.",
                target=None)
    [quoted] = ground_positions(ARTICLE, [Draft(**base, quoted=True)], ALIGNER)
    [plain] = ground_positions(ARTICLE, [Draft(**base, quoted=False)], ALIGNER)
    assert quoted.quote == "We will defend every inch of our land," or quoted.quote == "We will defend every inch of our land"
    assert quoted.quote in ARTICLE.text
    assert plain.quote is None
    assert find_quote(spans(ARTICLE, [2])) is None


def test_dates_resolve_against_the_published_date_with_their_precision():
    published = dt.date(2024, 12, 5)  # a Thursday
    assert resolve_date("on Wednesday", published) == "2024-12-04"
    assert resolve_date("Thursday", published) == "2024-12-05"
    assert resolve_date("on Friday", published, "They will meet on Friday.") == "2024-12-06"
    assert resolve_date("on Nov. 27", published) == "2024-11-27"
    assert resolve_date("on Dec. 3 and 4", published) == "2024-12-03"
    assert resolve_date("last month", published) == "2024-11"
    assert resolve_date("in 2016", published) == "2016"
    assert resolve_date("in the coming weeks", published) is None
    # a week has no ISO precision: its month; "earlier this month" gives the month
    assert resolve_date("last week", published) == "2024-11"
    assert resolve_date("earlier this month", published) == "2024-12"
    assert resolve_date("on Monday", None) is None


@pytest.mark.parametrize("phrase", ["early Thursday", "Thursday evening", "late on Thursday", "on Thursday night"])
def test_a_weekday_with_a_part_of_the_day_is_that_weekday(phrase):
    published = dt.date(2024, 12, 5)  # a Thursday: the dateline's own day, not the week before
    assert resolve_date(phrase, published) == "2024-12-05"
    assert resolve_date("early Wednesday", published) == "2024-12-04"
    assert resolve_date(phrase, published, "They will meet then.") == "2024-12-05"


def test_a_citation_next_to_the_right_sentence_moves_onto_it():
    # sentence 1 names both ministers; the model cited sentence 2, which names neither
    assert ALIGNER.align([2], ["elena-varga", "tomas-brenner"]) == [1]
    # a citation that already names the actor stays, and so does one with nothing better nearby
    assert ALIGNER.align([6], ["anton-kral"]) == [6]
    assert ALIGNER.align([8], ["tomas-brenner"]) == [8]


def test_the_same_encounter_cited_twice_is_one_meeting():
    call = dict(participants=["elena-varga", "tomas-brenner"], format="call", event=None, location=None,
                date="on Monday", status="occurred")
    first = Draft(evidence=[1], topics=["fighting"], **call)
    again = Draft(evidence=[2], topics=["troops"], **call)
    other_day = Draft(evidence=[2], topics=[], **{**call, "date": "on Tuesday"})
    meetings = ground_meetings(ARTICLE, [first, again, other_day], ALIGNER)
    assert len(meetings) == 2  # Tuesday's is another encounter
    assert meetings[0].topics == ["fighting", "troops"]


def test_meeting_participants_and_format_follow_the_evidence():
    # the model paired Varga with Kral for the phone call of sentence 1, which names Brenner
    wrong = Draft(evidence=[1], participants=["elena-varga", "anton-kral"], format="bilateral", event=None,
                  location=None, date=None, topics=[], status="occurred")
    [meeting] = ground_meetings(ARTICLE, [wrong], ALIGNER)
    assert meeting.participants == ["elena-varga", "tomas-brenner"]
    assert meeting.format == "call"  # the sentence says "phone call"
    # a "call" whose evidence mentions no call is an in-person meeting
    geneva = Draft(evidence=[7], participants=["elena-varga", "tomas-brenner"], format="call", event=None,
                   location="Geneva", date=None, topics=[], status="occurred")
    [in_person] = ground_meetings(ARTICLE, [geneva], ALIGNER)
    assert in_person.participants == ["elena-varga", "sam-okafor"] and in_person.format == "bilateral"


def test_stated_fields_must_be_in_the_article():
    draft = Draft(evidence=[1], participants=["elena-varga", "tomas-brenner"], format="call",
                  event="meetings between the actors above", location="Kessel river", date="on Monday",
                  topics=[], status="occurred")
    [meeting] = ground_meetings(ARTICLE, [draft], ALIGNER)
    assert meeting.event is None and meeting.location == "Kessel river" and meeting.date.text == "on Monday"
    invented = Draft(**{**vars(draft), "location": "Atlantis", "date": "on Dec. 3 and 4"})
    [meeting] = ground_meetings(ARTICLE, [invented], ALIGNER)
    assert meeting.location is None and meeting.date is None


def test_a_country_that_is_only_a_nationality_is_not_an_actor():
    from summarizer.grounding import drop_affiliation_countries

    actors = ground_actors(ARTICLE, [actor("Elena Varga"), actor("Ruritania", "country", evidence=[1]),
                                     actor("Valdoria", "country", evidence=[2]),
                                     actor("Duvania", "country", evidence=[3])])
    kept = drop_affiliation_countries(ARTICLE, actors, [[]])
    # "Ruritanian" is only an adjective and Duvania is never named: both go; Valdoria is named in sentence 2
    assert [a.id for a in kept] == ["elena-varga", "valdoria"]


def test_a_stated_place_keeps_a_citation_where_the_place_is():
    # wrong actors would pull the citation to sentence 1; the place "Ostrov" keeps it on 3
    assert ALIGNER.align([3], ["elena-varga", "tomas-brenner"], ["Ostrov"]) == [3]
    assert ALIGNER.align([2], ["valdorian-army"], ["Ostrov"]) == [3]


def test_titles_written_before_a_name_become_the_role():
    assert separate_title("Ruritanian Foreign Minister Elena Varga") == ("Elena Varga", "Foreign Minister")
    assert separate_title("Secretary of State Tomas Brenner") == ("Tomas Brenner", "Secretary of State")
    assert separate_title("Elena Varga") == ("Elena Varga", None)
    # lower-case particles belong to the name
    assert separate_title("President Omar al-Tamir") == ("Omar al-Tamir", "President")
    assert separate_title("Crown Prince Omar bin Tariq") == ("Omar bin Tariq", "Crown Prince")
    assert separate_title("Ministry of Foreign Affairs") == ("Ministry of Foreign Affairs", None)  # no name after it
    actors = ground_actors(ARTICLE, [actor("Foreign Minister Elena Varga", type_="government_body")])
    assert (actors[0].id, actors[0].type, actors[0].role) == ("elena-varga", "person", "Foreign Minister")


def test_a_country_typed_as_a_government_body_becomes_a_country():
    assert is_country("Russia") and is_country("the United Kingdom") and is_country("Türkiye")
    assert not is_country("Ruritania") and not is_country("Geneva")
    text = "Russia and the Defence Ministry of Ruritania traded accusations on Monday."
    article = load_article({"id": "t", "text": text})
    actors = ground_actors(article, [actor("Russia", type_="government_body"),
                                     actor("Defence Ministry", type_="government_body")])
    assert [a.type for a in actors] == ["country", "government_body"]


def test_actor_references_written_freely_resolve_to_ids_or_are_dropped():
    actors = ground_actors(ARTICLE, [actor("Elena Varga"), actor("Tomas Brenner")])
    resolver = ActorResolver(ARTICLE, actors)
    assert resolver.resolve("elena-varga") == "elena-varga"
    assert resolver.resolve("Varga") == "elena-varga"            # a surname
    assert resolver.resolve("tomas_brener") == "tomas-brenner"   # a near spelling
    assert resolver.resolve("ivo-renn") is None                   # nobody of that name in the article
    assert resolver.resolve("the talks") is None                  # not a proper name
    assert resolver.resolve("sam-okafor") == "sam-okafor"         # named in the article: added
    added = resolver.added[0]
    assert (added.name, added.type) == ("Sam Okafor", "other") and "Sam Okafor" in added.evidence[0].text
    assert resolver.resolve("Okafor") == "sam-okafor"
    item = Draft(participants=["varga", "Tomas Brenner", "Varga", "someone"], holder="brenner", target=None)
    item.model_copy = lambda update: Draft(**{**vars(item), **update})
    resolved = resolver.resolve_item(item)
    assert resolved.participants == ["elena-varga", "tomas-brenner"]
    assert resolved.holder == "tomas-brenner" and resolved.target is None


def test_a_countrys_possessive_becomes_the_affiliation():
    text = "Russia's defence ministry said its air defences shot down two drones. Russia's envoy left."
    article = load_article({"id": "t", "text": text})
    actors = ground_actors(article, [actor("Russia's defence ministry", type_="government_body"),
                                     actor("Russia's envoy")])
    assert [(a.name, a.affiliation) for a in actors] == [("defence ministry", "Russia"), ("Russia's envoy", None)]


def test_items_stand_only_on_sentences_that_say_something_of_their_kind():
    text = ("Elena Varga met Tomas Brenner in Geneva on Monday. "
            "Valdorian artillery shelled Ostrov overnight. "
            "Ruritania has a long coastline. "
            '"We will not give up the valley," Brenner said.')
    article = load_article({"id": "t", "text": text})
    actors = ground_actors(article, [actor("Elena Varga"), actor("Tomas Brenner")])
    aligner = Aligner(article, actors)
    meeting = dict(participants=["elena-varga", "tomas-brenner"], format="bilateral", event=None, location=None,
                   date=None, topics=[], status="occurred")
    met = ground_meetings(article, [Draft(evidence=[1], **meeting), Draft(evidence=[3], **meeting)], aligner)
    assert [m.evidence[0].text[:11] for m in met] == ["Elena Varga"]  # a coastline is no meeting
    development = dict(type="shelling_or_missile_strike", description="Shelling.", actors=[], targets=[],
                       location=None, date=None, killed=None, injured=None, status="reported")
    developments = ground_developments(article, [Draft(evidence=[2], **development),
                                                 Draft(evidence=[3], **development)], aligner)
    assert [d.evidence[0].text[:9] for d in developments] == ["Valdorian"]
    position = dict(holder="tomas-brenner", kind="commitment", topic="the valley", position="He will keep it.",
                    target=None, quoted=True)
    positions = ground_positions(article, [Draft(evidence=[4], **position), Draft(evidence=[3], **position)], aligner)
    assert [p.evidence[0].text[:3] for p in positions] == ['"We']


def test_development_actors_are_those_its_evidence_names():
    text = ("Artillery hit the village of Ostrov overnight. The market burned. Schools closed. "
            "Elena Varga spoke in Geneva on Monday. Tomas Brenner's troops shelled Ostrov again on Tuesday.")
    article = load_article({"id": "t", "text": text})
    aligner = Aligner(article, ground_actors(article, [actor("Elena Varga", evidence=[4]),
                                                       actor("Tomas Brenner", evidence=[5])]))
    development = dict(type="shelling_or_missile_strike", description="Shelling.", targets=[], location=None,
                       date=None, killed=None, injured=None, status="reported")
    named, unnamed = ground_developments(article, [
        Draft(evidence=[5], actors=["elena-varga", "tomas-brenner"], **development),
        Draft(evidence=[1], actors=["tomas-brenner"], **development),  # no actor named: the model's stands
    ], aligner)
    assert named.actors == ["tomas-brenner"]
    assert unnamed.actors == ["tomas-brenner"]


def test_a_countrys_adjective_names_it_in_a_sentence():
    text = "Ruritania protested. Ruritanian troops crossed the river on Monday. Valdoria said nothing."
    article = load_article({"id": "t", "text": text})
    aligner = Aligner(article, ground_actors(article, [actor("Ruritania", type_="country"),
                                                       actor("Valdoria", type_="country", evidence=[3])]))
    assert aligner.named(["ruritania", "valdoria"], [2]) == ["ruritania"]


def test_a_place_is_not_an_actor_unless_it_acts():
    text = "Elena Varga met Tomas Brenner in Geneva on Monday. Valdoria said the talks in Valdoria would go on."
    article = load_article({"id": "t", "text": text})
    actors = ground_actors(article, [actor("Elena Varga"), actor("Geneva", type_="government_body"),
                                     actor("Valdoria", type_="country", evidence=[2])])
    assert [a.id for a in actors] == ["elena-varga", "valdoria"]


def test_titles_stay_in_names_that_are_not_a_persons_full_name():
    assert separate_title("State Security Council") == ("State Security Council", None)
    assert separate_title("General Renn") == ("General Renn", None)


REPORTED = ("Elena Varga met Tomas Brenner in Geneva on Monday. "
            "Varga said Valdoria must withdraw its troops from the valley. "
            "Valdorian forces captured the town of Mirna on Sunday. "
            "Valdoria's Defence Minister Ivo Renn warned that the army would answer any attack.")


def test_what_the_article_plainly_states_completes_what_the_model_left_out():
    article = load_article({"id": "t", "text": REPORTED})
    actors = ground_actors(article, [actor("Elena Varga"), actor("Tomas Brenner"),
                                     actor("Valdoria", type_="country", evidence=[2])])
    actors, sections = complete(article, actors, {"meetings": [], "military_developments": [],
                                                  "stated_positions": []})
    # a speaker and the forces the model did not list
    assert [a.id for a in actors][-2:] == ["ivo-renn", "valdorian-forces"]
    renn, forces = actors[-2:]
    assert renn.type == "person" and renn.role == "Defence Minister" and forces.type == "military"
    (meeting,) = sections["meetings"]
    assert meeting.participants == ["elena-varga", "tomas-brenner"] and meeting.format == "bilateral"
    assert meeting.location == "Geneva"
    (development,) = sections["military_developments"]
    assert development.type == "territorial_change" and development.actors == ["valdorian-forces"]
    assert development.location == "Mirna"
    holders = [(p.holder, p.kind, p.evidence[0].text[:5]) for p in sections["stated_positions"]]
    assert holders == [("elena-varga", "statement", "Varga"), ("ivo-renn", "warning", "Valdo")]
    assert sections["stated_positions"][0].position == "Valdoria must withdraw its troops from the valley."


def test_completion_adds_nothing_the_model_already_has():
    article = load_article({"id": "t", "text": REPORTED})
    actors = ground_actors(article, [actor("Elena Varga"), actor("Tomas Brenner"), actor("Ivo Renn", evidence=[4])])
    aligner = Aligner(article, actors)
    position = dict(holder="elena-varga", kind="demand", topic="troops", position="Withdraw.", target=None,
                    quoted=False)
    positions = ground_positions(article, [Draft(evidence=[2], **position)], aligner)
    development = dict(type="armed_clash", description="Capture.", actors=[], targets=[], location=None, date=None,
                       killed=None, injured=None, status="reported")
    developments = ground_developments(article, [Draft(evidence=[3], **development)], aligner)
    assert developments[0].type == "territorial_change"  # the sentence's own words type it, not the model
    _, sections = complete(article, actors, {"meetings": [], "military_developments": developments,
                                             "stated_positions": positions})
    assert len(sections["military_developments"]) == 1
    assert [p.holder for p in sections["stated_positions"]] == ["elena-varga", "ivo-renn"]


def test_a_sentence_gives_its_own_place():
    assert stated_place("Drones hit a market in the town of Mirna on 2 March.") == "Mirna"
    assert stated_place("Troops entered the Kessel valley region.") is None  # no place word before it
    assert stated_place("In March the army advanced in the Kessel valley.") == "Kessel valley"  # not "March"
    assert stated_place("Renn spoke at NATO in Brussels.", {"nato"}) == "Brussels"  # an organisation is no place
    assert stated_place("Rebels took 20 villages in the western province of Kessel.") == "Kessel"
    assert stated_place("Fighting went on around Mirna's centre.") == "Mirna"  # not its possessive


def test_named_forces_become_actors_and_carry_out_the_development():
    text = ("The Valdorian army shelled homes in Ostrov on Sunday. Valdoria denied it. "
            "Ruritanian government forces then withdrew from the town of Mirna.")
    article = load_article({"id": "t", "text": text})
    actors, sections = complete(article, ground_actors(article, [actor("Valdoria", type_="country")]),
                                {"meetings": [], "military_developments": [], "stated_positions": []})
    assert [(a.name, a.type) for a in actors] == [("Valdoria", "country"), ("Valdorian army", "military"),
                                                  ("Ruritanian government forces", "military")]
    shelling, withdrawal = sections["military_developments"]
    assert shelling.actors == ["valdorian-army"] and shelling.location == "Ostrov"  # the army, not its country
    assert withdrawal.actors == ["ruritanian-government-forces"] and withdrawal.location == "Mirna"


def test_the_speaker_is_whoever_the_reporting_verb_follows():
    text = ("Talks between Valdoria and Ruritania were useful, spokesman Ivo Renn told reporters. "
            "He added that Valdoria and Ruritania would meet again. Kessel Shipping said its ships were safe.")
    article = load_article({"id": "t", "text": text})
    actors = ground_actors(article, [actor("Valdoria", type_="country"), actor("Ruritania", type_="country")])
    actors, sections = complete(article, actors, {"meetings": [], "military_developments": [],
                                                  "stated_positions": []})
    types = {a.id: a.type for a in actors}
    assert types["ivo-renn"] == "person"  # a title before the name
    assert types["kessel-shipping"] == "other"  # neither a title nor "Shipping" alone
    # the first names two countries but reports Renn; the second is his too, though it names them again
    assert [p.holder for p in sections["stated_positions"]] == ["ivo-renn", "ivo-renn", "kessel-shipping"]


def test_a_country_is_found_under_its_usual_variants():
    article = load_article({"id": "t", "text": "Officials met in Ankara. Türkiye said the talks went well."})
    (turkey,) = ground_actors(article, [actor("Turkey", type_="country")])
    assert [s.text for s in turkey.evidence] == ["Türkiye said the talks went well."]


def _completed(text, drafts):
    article = load_article({"id": "t", "text": text})
    return complete(article, ground_actors(article, drafts), {"meetings": [], "military_developments": [],
                                                               "stated_positions": []})


def test_the_principals_an_article_names_become_actors():
    text = ("ARDEN, May 2 (Sample Wire) - On Monday President Anton Kral spoke to the State Security Council. "
            "Norway said the Foreign Ministers Meeting in Ostrov would go ahead. Mira Holt, a lawyer, "
            "wrote to Kral. Holt was not the only one. Troops were deployed near Arden.")
    actors, _ = _completed(text, [actor("Elena Varga", evidence=[1])])
    added = {a.name: (a.type, a.role) for a in actors[1:]}
    assert added == {
        "Anton Kral": ("person", "President"),  # a title before the name, "On Monday" left out
        "State Security Council": ("government_body", None),  # a body by its kind of word
        "Norway": ("country", None),  # a country by its name
        "Mira Holt": ("person", None),  # her surname stands alone later
    }  # not "Ministers Meeting" (common words), nor Ostrov and Arden (only places, the dateline one of them)


def test_he_met_a_b_and_c_is_a_meeting_with_each():
    text = ("Elena Varga met Tomas Brenner in Geneva to discuss Norway. "
            "She also met Anton Kral, Sam Okafor and Ivo Renn, an aide to Brenner said.")
    actors, sections = _completed(text, [actor(n) for n in ("Elena Varga", "Tomas Brenner", "Anton Kral",
                                                            "Sam Okafor", "Ivo Renn")]
                                  + [actor("Norway", type_="country")])
    pairs = [(m.participants, m.format, m.evidence[0].text[:3]) for m in sections["meetings"]]
    assert pairs == [  # Norway is a topic, not a participant; the speaker of the second is not in it
        (["elena-varga", "tomas-brenner"], "bilateral", "Ele"),
        (["elena-varga", "anton-kral"], "bilateral", "She"),
        (["elena-varga", "sam-okafor"], "bilateral", "She"),
        (["elena-varga", "ivo-renn"], "bilateral", "She"),
    ]


def test_a_capital_that_acts_is_its_country():
    text = "Leaders met in Oslo on Friday. Oslo said the talks went well. Drones struck targets in Oslo overnight."
    actors, sections = _completed(text, [actor("Oslo", type_="government_body", evidence=[2]),
                                         actor("Elena Varga")])
    norway = actors[0]
    assert (norway.id, norway.type, norway.aliases) == ("norway", "country", ["Oslo"])
    assert [s.text[:4] for s in norway.evidence] == ["Oslo"]  # where it speaks, not where leaders met
    (position,) = sections["stated_positions"]
    assert position.holder == "norway"
    (strike,) = sections["military_developments"]
    assert strike.actors == [] and strike.type == "air_or_drone_strike"  # a place struck, not a striker


def test_a_second_reporting_verb_is_a_second_position_and_they_go_on_speaking():
    text = ("The Arden Council condemned the shelling of Ostrov. "
            "They reiterated their support for the mission and called on both sides to stop firing.")
    actors, sections = _completed(text, [actor("Arden Council", type_="international_organization")])
    kinds = [(p.holder, p.kind, p.evidence[0].text[:4]) for p in sections["stated_positions"]]
    assert kinds == [("arden-council", "condemnation", "The "), ("arden-council", "statement", "They"),
                     ("arden-council", "demand", "They")]
    assert sections["stated_positions"][2].position.startswith("both sides to stop firing")


def test_a_development_told_over_several_sentences_is_one_entry():
    text = ("Valdorian forces launched a long-range missile on Sunday. The missile was launched in Kessel. "
            "Valdorian forces shelled Ostrov. Rebels fought Valdorian forces in Mirna.")
    _, sections = _completed(text, [actor("Valdorian forces", type_="military")])
    found = [(d.type, [s.text[:9] for s in d.evidence]) for d in sections["military_developments"]]
    assert found == [("weapons_launch_or_test", ["Valdorian", "The missi"]),
                     ("shelling_or_missile_strike", ["Valdorian"]), ("armed_clash", ["Rebels fo"])]


def test_capitals_come_from_country_records():
    from summarizer.normalize import capital_forms, capital_of

    assert capital_of("Moscow") == "Russia" and capital_of("Arden") is None
    assert capital_forms("Türkiye") == ("ankara",)  # found under the country's variant name
    assert "washington" in capital_forms("United States")  # "Washington D.C." is written "Washington"
    assert capital_forms("Valdoria") == ()


def test_an_acronym_the_article_defines_names_its_actor():
    text = "The Arden Union (AU) met on Monday. The AU urged both sides to stop fighting near Ostrov."
    actors, sections = _completed(text, [actor("Arden Union", type_="international_organization")])
    assert actors[0].aliases == ["AU"]
    assert [(p.holder, p.kind) for p in sections["stated_positions"]] == [("arden-union", "demand")]


def test_a_reported_toll_is_a_development_not_a_position():
    text = ("Valdorian drones struck a market in Ostrov on Sunday. Governor Ivo Renn said six people were killed. "
            "Renn said the town would be rebuilt.")
    _, sections = _completed(text, [actor("Valdorian army", type_="military")])
    (strike,) = sections["military_developments"]
    assert [s.text[:8] for s in strike.evidence] == ["Valdoria", "Governor"]  # the toll joins the strike
    assert [p.evidence[0].text[:10] for p in sections["stated_positions"]] == ["Renn said "]  # contract rule 21


def test_background_is_no_development_and_a_force_struck_is_a_target():
    text = ("The Valdorian army has fought rebels in Kessel since 2015. "
            "The Valdorian army struck Ruritanian forces with drones in Ostrov on Sunday.")
    article = load_article({"id": "t", "text": text, "published": "2026-03-02"})
    actors, sections = complete(article, ground_actors(article, [actor("Valdorian army", type_="military"),
                                                                actor("Ruritanian forces", type_="military")]),
                                {"meetings": [], "military_developments": [], "stated_positions": []})
    (strike,) = sections["military_developments"]  # not the fighting since 2015 (contract rule 5)
    assert strike.actors == ["valdorian-army"] and strike.targets == ["ruritanian-forces"]


def test_a_states_forces_are_one_actor_whatever_the_noun():
    text = ("Valdorian troops shelled Ostrov on Sunday. Valdorian soldiers later entered the town of Mirna. "
            "Ruritanian forces withdrew.")
    actors, _ = _completed(text, [actor("Valdorian army", type_="military"),
                                  actor("Valdorian forces", type_="military", evidence=[2])])
    forces = [(a.name, a.aliases) for a in actors if a.type == "military"]
    assert forces == [("Valdorian forces", ["Valdorian army", "Valdorian troops", "Valdorian soldiers"]),
                      ("Ruritanian forces", [])]


def test_a_country_written_with_an_adjective_is_the_country():
    article = load_article({"id": "t", "text": "Landlocked Bolivia says it has a right to a port."})
    (bolivia,) = ground_actors(article, [actor("Landlocked Bolivia")])
    assert (bolivia.name, bolivia.type) == ("Bolivia", "country")


def test_a_meeting_is_dated_by_its_sentence_or_its_occasion():
    from summarizer.normalize import stated_date

    assert stated_date("Varga met Brenner on Wednesday in Geneva.") == "on Wednesday"
    assert stated_date("Talks on Dec. 3 and 4 ended.") == "on Dec. 3 and 4"
    assert stated_date("Renn said on Monday the town had fallen.") is None  # when it was said (contract rule 11)
    text = ("Elena Varga attended a summit in Geneva on Wednesday. "
            "During the summit, she met Tomas Brenner.")
    article = load_article({"id": "t", "text": text, "published": "2026-03-06"})
    _, sections = complete(article, ground_actors(article, [actor("Elena Varga"), actor("Tomas Brenner")]),
                           {"meetings": [], "military_developments": [], "stated_positions": []})
    (meeting,) = sections["meetings"]
    assert meeting.date.value == "2026-03-04" and meeting.date.text == "on Wednesday"  # the summit's date


def test_names_with_particles_and_long_offices_are_people():
    text = ("Rebels fought the Karim al-Tahir regime near Ostrov. Al-Tahir's forces withdrew. "
            "Arden High Commissioner for Human Rights Ivo Renn condemned the shelling. Renn said it must stop.")
    actors, _ = _completed(text, [actor("Arden High Commissioner for Human Rights Ivo Renn")])
    people = {a.name: a.role for a in actors if a.type == "person"}
    assert people == {"Ivo Renn": "Arden High Commissioner for Human Rights", "Karim al-Tahir": None}


def test_a_speaker_named_by_surname_or_with_an_auxiliary_holds_the_position():
    text = ("Elena Varga and Tomas Brenner met in Geneva on Monday. "
            "Brenner has warned Varga that Valdoria will not withdraw from the valley.")  # two people named
    _, sections = _completed(text, [actor("Elena Varga"), actor("Tomas Brenner")])
    assert [(p.holder, p.kind) for p in sections["stated_positions"]] == [("tomas-brenner", "warning")]


def test_a_participle_after_a_comma_is_a_second_position_and_concern_for_casualties_is_a_position():
    text = ("The Arden Council underscores the value of the truce, calling upon all parties to respect it. "
            "It expressed deep concern for civilian casualties in Ostrov.")
    _, sections = _completed(text, [actor("Arden Council", type_="international_organization")])
    kinds = [(p.kind, p.evidence[0].text[:3]) for p in sections["stated_positions"]]
    assert kinds == [("statement", "The"), ("demand", "The"), ("statement", "It ")]


def test_a_sentence_about_the_talks_just_told_is_more_evidence_of_them():
    text = ("Elena Varga met Tomas Brenner in Geneva on Monday. "
            "Officials gave few details of the talks.")
    _, sections = _completed(text, [actor("Elena Varga"), actor("Tomas Brenner")])
    (meeting,) = sections["meetings"]
    assert [s.text[:4] for s in meeting.evidence] == ["Elen", "Offi"]


def test_a_toll_joins_only_a_deadly_development_and_an_unlisted_speaker_is_nobody_listed():
    text = ("Valdorian forces captured the town of Mirna on Sunday. Six soldiers were killed, officials said. "
            "The agency said Valdoria had lost the war.")
    _, sections = _completed(text, [actor("Valdorian forces", type_="military"), actor("Valdoria", type_="country")])
    (capture,) = sections["military_developments"]
    assert len(capture.evidence) == 1  # a toll is told of fighting, not of a capture
    assert sections["stated_positions"] == []  # neither "officials" nor "the agency" is Valdoria


def test_a_toll_is_read_from_the_sentence():
    from summarizer.normalize import stated_toll

    assert stated_toll("Drones hit Ostrov, killing at least 15 people.") == (15, None)
    assert stated_toll("Four civilians were killed and 11 injured.") == (4, 11)
    assert stated_toll("At least 274 were killed and injured.") == (None, None)  # combined (contract rule 22)
    text = "Valdorian drones struck a market in Ostrov on Sunday. Six people were killed and 12 wounded."
    _, sections = _completed(text, [actor("Valdorian army", type_="military")])
    (strike,) = sections["military_developments"]
    assert (strike.killed, strike.injured) == (6, 12)  # the toll of the sentence after it


def test_unnamed_counterparts_become_actors_and_meet_their_own_counterpart():
    text = ("Valdorian Foreign Minister Elena Varga and Defence Minister Tomas Brenner spoke on the phone with their "
            "Ostrian and Ruritanian counterparts on Monday. German Foreign Minister Anton Kral met his Norwegian "
            "counterpart Ivo Renn.")
    actors, sections = _completed(text, [actor("Elena Varga", role="Foreign Minister"),
                                         actor("Tomas Brenner", role="Defence Minister"),
                                         actor("Anton Kral", role="Foreign Minister", evidence=[2]),
                                         actor("Ivo Renn", evidence=[2]), actor("Ostria", type_="country")])
    added = {a.id: (a.type, a.affiliation) for a in actors[5:]}
    assert added == {"ostrian-foreign-minister": ("person", "Ostria"), "ruritanian-foreign-minister": ("person", None),
                     "ostrian-defence-minister": ("person", "Ostria"), "ruritanian-defence-minister": ("person", None)}
    assert [(m.participants, m.format) for m in sections["meetings"]] == [
        (["elena-varga", "ostrian-foreign-minister"], "call"), (["elena-varga", "ruritanian-foreign-minister"], "call"),
        (["tomas-brenner", "ostrian-defence-minister"], "call"),
        (["tomas-brenner", "ruritanian-defence-minister"], "call"),
        (["anton-kral", "ivo-renn"], "bilateral"),  # a named counterpart is the actor it names
    ]
    # "Foreign Minister" before Kral's name is no mention of the unnamed ministers
    assert all(m.participants[1] == "ivo-renn" for m in sections["meetings"] if "anton-kral" in m.participants)


def test_addressing_a_session_of_a_body_is_a_meeting_and_un_organs_are_international():
    text = ("Speaking before the Human Rights Council in Geneva, Elena Varga called for a truce. "
            "President Anton Kral briefed the State Security Council on the calm border. "
            "Minister Ivo Renn attended the Arden Union ministerial meetings in Brussels.")
    actors, sections = _completed(text, [actor("Elena Varga"), actor("UN Human Rights Council", type_="government_body"),
                                         actor("Anton Kral", evidence=[2]),
                                         actor("State Security Council", type_="government_body", evidence=[2]),
                                         actor("Ivo Renn", evidence=[3]),
                                         actor("Arden Union", type_="international_organization", evidence=[3])])
    council = actors[1]
    assert (council.type, council.aliases) == ("international_organization", ["Human Rights Council"])
    assert [(m.participants, m.format, m.location) for m in sections["meetings"]] == [
        (["elena-varga", "un-human-rights-council"], "multilateral", "Geneva"),
        (["anton-kral", "state-security-council"], "multilateral", None),
        (["ivo-renn", "arden-union"], "multilateral", "Brussels")]


def test_a_speaker_who_calls_for_something_during_talks_is_in_them():
    text = ("Elena Varga called for a lasting truce during talks with President Anton Kral in Ostrov. "
            "Tomas Brenner met Ivo Renn, Elena Varga said.")
    _, sections = _completed(text, [actor(n) for n in ("Elena Varga", "Anton Kral", "Tomas Brenner", "Ivo Renn")])
    assert [(m.participants, m.format) for m in sections["meetings"]] == [
        (["elena-varga", "anton-kral"], "bilateral"),  # "called for" is no phone call
        (["tomas-brenner", "ivo-renn"], "bilateral")]  # who reports a meeting is not in it


def test_a_full_name_beats_a_shared_surname_and_a_quote_goes_on_with_its_speaker():
    text = ("Mira Holt said on Monday she still talks to the Valdorian side. "
            "“Progress is slow but real,” she told reporters. "
            "Valdoria's intelligence agency said Ostria had hidden its spending. "
            "A person close to the talks said they would resume.")
    _, sections = _completed(text, [actor("Mira Holt"), actor("Karl Holt"), actor("Ostria", type_="country")])
    (position,) = sections["stated_positions"]  # neither the agency nor the source is on the list
    assert position.holder == "mira-holt"
    assert [s.text[:4] for s in position.evidence] == ["Mira", "“Pro"]  # one position, told over two sentences


def test_a_call_for_a_ceasefire_leaves_the_fighting_real_and_old_news_is_background():
    text = ("Fighting flared in Mirna on Saturday, and neighbours urged a ceasefire. "
            "Valdorian forces struck Ostrov on Friday, months after attacks last year in Kessel. "
            "Ostria refuses to give up hills that Valdorian forces haven't captured in six years of fighting.")
    _, sections = _completed(text, [actor("Valdorian forces", type_="military", evidence=[2])])
    found = [(d.type, d.evidence[0].text[:5]) for d in sections["military_developments"]]
    assert found == [("armed_clash", "Fight"), ("armed_clash", "Valdo")]  # no capture, no four years of war


def test_a_strike_told_again_by_the_same_forces_is_one_entry():
    text = ("Valdorian forces struck a depot in Ostrov with drones on Sunday. Officials met in Geneva. Diplomats talked. "
            "Valdorian forces also fired missiles at the depot, the army said.")
    _, sections = _completed(text, [actor("Valdorian forces", type_="military")])
    (strike,) = sections["military_developments"]
    assert [s.text[:9] for s in strike.evidence] == ["Valdorian", "Valdorian"]


def test_a_place_introduced_as_a_place_is_not_an_actor():
    from summarizer.grounding import only_a_place

    article = load_article({"id": "t", "text": "Drones hit the city of Mirna and a depot in the Kessel Valley. "
                                               "According to the Arden Council, Ostrov was calm."})
    assert only_a_place(article, "Mirna") and only_a_place(article, "Kessel Valley")
    assert not only_a_place(article, "Arden Council") and not only_a_place(article, "Ostrov")


def test_a_speaker_described_by_office_and_verbs_of_wanting_and_agreeing_hold_positions():
    text = ("Secretary of State Elena Varga met Tomas Brenner in Geneva. "
            "The Secretary of State then stressed the cost of the war, according to officials. "
            "Varga ended by noting that the talks had gone well. "
            "Ostrov wants Valdoria to take its soldiers out of the valley. "
            "Valdoria agreed to open a corridor for aid. "
            "Drones struck Mirna, according to the Arden Council.")
    _, sections = _completed(text, [actor("Elena Varga", role="Secretary of State"), actor("Tomas Brenner"),
                                    actor("Ostrov", type_="country", evidence=[4]),
                                    actor("Valdoria", type_="country", evidence=[4]),
                                    actor("Arden Council", type_="international_organization", evidence=[6])])
    found = [(p.holder, p.kind, p.evidence[0].text[:4]) for p in sections["stated_positions"]]
    assert found == [("elena-varga", "statement", "The "), ("elena-varga", "statement", "Varg"),
                     ("ostrov", "demand", "Ostr"), ("valdoria", "commitment", "Vald")]
    # "according to" attributes a report, not a stance: no position for the Arden Council


def test_kinds_of_development_read_from_plain_words():
    text = ("Valdorian forces struck a fuel depot in Ostrov on Sunday. "
            "Valdoria and Ostria exchanged 90 prisoners of war in Kessel on Monday. "
            "Ostrian forces said cyber attacks hit Valdorian banks in Mirna. "
            "Ostria said 500 soldiers had died on the battlefield in Arden. "
            "Ostrian forces could mount a large air attack on Mirna, officials warned.")
    _, sections = _completed(text, [actor("Valdorian forces", type_="military"),
                                    actor("Ostrian forces", type_="military", evidence=[3]),
                                    actor("Valdoria", type_="country", evidence=[2]),
                                    actor("Ostria", type_="country", evidence=[2])])
    found = [(d.type, d.evidence[0].text[:9]) for d in sections["military_developments"]]
    assert found == [("air_or_drone_strike", "Valdorian"), ("other", "Valdoria ")]  # a strike, a prisoner exchange


def test_the_ceasefire_told_again_is_the_same_ceasefire():
    text = ("Six states agreed to a cessation of hostilities in Valdoria. "
            "Elena Varga said the full cessation would start in a week in Ostrov. "
            "Drones struck Mirna. "
            "She said the cessation would not apply to the Arden Front.")
    _, sections = _completed(text, [actor("Elena Varga")])
    truce = sections["military_developments"][0]
    assert truce.type == "ceasefire_or_truce"
    assert [s.text[:5] for s in truce.evidence] == ["Six s", "Elena", "She s"]


def test_a_defined_acronym_speaks_with_its_article_and_an_adverb():
    text = ("The Arden Union (AU) met in Ostrov on Monday. "
            "The AU firmly encourages both sides to respect the Permanent Truce Accord.")
    _, sections = _completed(text, [actor("Arden Union", type_="international_organization"),
                                    actor("Permanent Truce", evidence=[2])])
    assert [(p.holder, p.kind) for p in sections["stated_positions"]] == [("arden-union", "demand")]


def test_a_states_forces_by_its_adjective_name_or_capital_are_one_actor():
    text = "Russian troops shelled Ostrov on Sunday. Moscow's forces later entered Mirna. Russia's army withdrew."
    actors, _ = _completed(text, [actor("Russian troops", type_="military"),
                                  actor("Moscow's forces", type_="military", evidence=[2]),
                                  actor("Russia", type_="country", evidence=[3])])
    forces = [(a.name, sorted(a.aliases)) for a in actors if a.type == "military"]
    assert forces == [("Moscow's forces", ["Russia's army", "Russian troops"])]


def test_an_adviser_meets_for_whom_he_serves_and_a_meeting_dated_once_is_one_meeting():
    text = ("Ivo Renn, diplomatic adviser to President Anton Kral, met Ostrian officials in Mirna on Tuesday. "
            "Valdoria held talks with Ostria on Monday. Drones struck Kessel. Rain fell. "
            "Valdoria-Ostria talks in Arden ended for the day.")
    _, sections = _completed(text, [actor("Ivo Renn"), actor("Anton Kral"), actor("Ostria", type_="country"),
                                    actor("Valdoria", type_="country", evidence=[2])])
    found = [(m.participants, m.format, [s.text[:5] for s in m.evidence]) for m in sections["meetings"]]
    assert found == [(["ivo-renn", "ostria"], "bilateral", ["Ivo R"]),
                     (["valdoria", "ostria"], "bilateral", ["Valdo", "Valdo"])]


def test_residents_and_passive_verbs_report_no_listed_speaker():
    text = ("Arden forces captured an outpost in western Valdoria, residents told the Sample Wire. "
            "Kral lost power to rebels backed by Ostria.")
    _, sections = _completed(text, [actor("Valdoria", type_="country"), actor("Anton Kral", evidence=[2]),
                                    actor("Ostria", type_="country", evidence=[2])])
    assert sections["stated_positions"] == []


def test_a_call_on_a_day_is_a_call_and_calling_for_calm_is_not():
    text = ("Elena Varga held a call on Monday with Tomas Brenner. "
            "Ivo Renn called for calm during talks with Anton Kral.")
    _, sections = _completed(text, [actor(n) for n in ("Elena Varga", "Tomas Brenner", "Ivo Renn", "Anton Kral")])
    assert [m.format for m in sections["meetings"]] == ["call", "bilateral"]
