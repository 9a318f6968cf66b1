"""Proposals from the parse, on invented articles: each construction the rules read."""

from __future__ import annotations

import pytest

from summarizer.article import article_from_text
from summarizer.proposal_briefing import proposals_briefing
from summarizer.proposals import DevelopmentProposal, Proposals, propose


def _propose(text: str) -> Proposals:
    return propose(article_from_text(text, id="invented", metadata={"published": "2031-03-07"}))


def _development(text: str) -> DevelopmentProposal:
    developments = _propose(text).developments
    assert len(developments) == 1, developments
    return developments[0]


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("Twenty-five people were killed in the blast in Gora.", 25, None),
        ("The blast killed 25 people in Gora.", 25, None),
        ("Thirty civilians were wounded when shells hit the market in Gora.", None, 30),
        # a part of the victims is no more of them
        ("At least 22 people, including nine children, were killed in the blast in Gora.", 22, None),
        ("A drone struck a convoy near Gora. It killed five soldiers and wounded seven.", 5, 7),
        ("At least 15 people died when shells hit the market in Gora.", 15, None),
        ("The shelling of Gora left 274 killed and injured.", None, None),
    ],
)
def test_tolls_are_read_from_the_parse(text: str, killed: int | None, injured: int | None) -> None:
    development = _development(text)
    assert (development.killed, development.injured) == (killed, injured)


def test_a_demand_is_not_an_event() -> None:
    proposals = _propose(
        "Varnia demanded that Belmark withdraw its troops from the border on Monday."
    )
    assert proposals.developments == ()
    assert [(p.kind, p.holder) for p in proposals.positions] == [("demand", "varnia")]


def test_talks_about_a_ceasefire_are_no_ceasefire() -> None:
    proposals = _propose("Foreign Minister Elena Dask met Tomas Holm to discuss a ceasefire.")
    assert proposals.developments == ()
    assert [m.participants for m in proposals.meetings] == [("elena dask", "tomas holm")]


def test_a_real_development_has_type_agent_place_and_date() -> None:
    development = _development(
        "Valdorian troops captured the town of Gora on Tuesday, officials said."
    )
    assert development.type == "territorial_change"
    assert development.actors == ("forces of valdorian",)
    troops = next(a for a in _propose("Valdorian troops captured the town of Gora.").actors)
    assert (troops.name, troops.type) == ("Valdorian troops", "military")
    assert development.date == "Tuesday"
    assert development.status == "reported"


def test_modality_plans_and_denials() -> None:
    assert (
        _development("Belmark will deploy troops to the border region next week.").status
        == "planned"
    )
    assert _development("Belmark denied that its jets struck the village.").status == "denied"
    assert _propose("Belmark did not attack the convoy.").developments == ()


def test_inverted_and_quote_first_speakers() -> None:
    text = (
        "Elena Dask is the foreign minister of Varnia. "
        '"We will never give up the northern valley," said the minister. '
        "Belmark must end its blockade, said Tomas Holm, the Belmark envoy."
    )
    positions = _propose(text).positions
    assert [(p.holder, p.sentence) for p in positions] == [("elena dask", 2), ("tomas holm", 3)]
    assert positions[0].quote == "We will never give up the northern valley"
    assert positions[1].quote is None


def test_appositive_speaker_role_and_affiliation() -> None:
    proposals = _propose(
        "Elena Dask, Varnia's foreign minister, warned Belmark against any incursion."
    )
    position = proposals.positions[0]
    assert (position.holder, position.kind, position.target) == ("elena dask", "warning", "belmark")
    dask = next(a for a in proposals.actors if a.key == "elena dask")
    assert (dask.type, dask.role, dask.affiliation) == ("person", "foreign minister", "Varnia")


def test_titles_surnames_and_pronouns_corefer() -> None:
    text = (
        "Foreign Minister Elena Dask arrived in Lusk on Monday. "
        "Dask accused Belmark of shelling the border villages. "
        "She also condemned the blockade of the port."
    )
    proposals = _propose(text)
    dask = [a for a in proposals.actors if a.type == "person"]
    assert [(a.name, a.role) for a in dask] == [("Elena Dask", "Foreign Minister")]
    assert [(p.holder, p.kind) for p in proposals.positions] == [
        ("elena dask", "accusation"),
        ("elena dask", "condemnation"),
    ]
    assert proposals.positions[0].target == "belmark"


def test_a_defined_acronym_is_an_alias() -> None:
    text = (
        "The Arden Union (AU) urged both sides to talk. "
        "The AU said it would send observers to Gora."
    )
    proposals = _propose(text)
    union = [a for a in proposals.actors if "AU" in a.aliases]
    assert len(union) == 1 and union[0].name == "Arden Union"
    assert {p.holder for p in proposals.positions} == {union[0].key}


def test_according_to_and_tolls_are_not_positions() -> None:
    proposals = _propose(
        "Ten soldiers were killed, according to the Varnian Defence Ministry. "
        "The ministry said 12 drones were shot down overnight."
    )
    assert proposals.positions == ()


def test_one_meeting_per_counterpart_and_format() -> None:
    proposals = _propose(
        "Elena Dask met Tomas Holm, Ilse Adler and Pavel Novak in Lusk on Tuesday. "
        "Later she spoke with Oskar Falk by phone."
    )
    meetings = proposals.meetings
    assert [m.participants[1] for m in meetings] == [
        "tomas holm",
        "ilse adler",
        "pavel novak",
        "oskar falk",
    ]
    assert {m.participants[0] for m in meetings} == {"elena dask"}
    assert [m.format for m in meetings] == ["bilateral"] * 3 + ["call"]
    assert meetings[0].location == "Lusk" and meetings[0].date == "Tuesday"


def test_meeting_status() -> None:
    planned = _propose("Elena Dask will meet Tomas Holm in Lusk next week.").meetings
    cancelled = _propose("Elena Dask cancelled a meeting with Tomas Holm.").meetings
    assert [m.status for m in planned] == ["planned"]
    assert [m.status for m in cancelled] == ["cancelled"]


def test_the_briefing_from_proposals_is_valid_and_cites_whole_sentences() -> None:
    text = (
        "Varnia and Belmark trade blame\n\n"
        "Foreign Minister Elena Dask met Tomas Holm in Lusk on Tuesday. "
        "Belmark accused Varnia of shelling the border. "
        "The blast killed 25 people in Gora."
    )
    article = article_from_text(text, id="invented", metadata={"published": "2031-03-07"})
    briefing = proposals_briefing(article, propose(article))
    sentences = {(s.start, s.end) for s in article.sentences}
    items = [*briefing.meetings, *briefing.military_developments, *briefing.stated_positions]
    assert briefing.meetings and briefing.military_developments and briefing.stated_positions
    assert all((span.start, span.end) in sentences for item in items for span in item.evidence)
    assert briefing.meetings[0].date is not None and briefing.meetings[0].date.value == "2031-03-04"
    shelling, blast = briefing.military_developments
    assert (shelling.status, shelling.killed) == ("claimed", None)
    assert (blast.type, blast.status, blast.killed) == ("explosion_or_bombing", "reported", 25)


def test_a_definite_event_noun_points_back_to_the_development() -> None:
    text = (
        "Belmarkian jets struck a fuel depot in Gora on Tuesday. "
        "Elena Dask visited Lusk. "
        "The strike killed four workers."
    )
    (development,) = _propose(text).developments
    assert development.sentences == (1, 3)
    assert (development.type, development.killed, development.location) == (
        "air_or_drone_strike",
        4,
        "Gora",
    )


def test_a_new_place_or_an_indefinite_event_is_a_new_development() -> None:
    text = (
        "Belmarkian jets struck a fuel depot in Gora on Tuesday. "
        "The strike in Lusk killed four workers. "
        "Varnian troops seized a bridge in Marov on Wednesday."
    )
    assert [d.sentences for d in _propose(text).developments] == [(1,), (2,), (3,)]


def test_the_same_agent_in_a_following_sentence_is_the_same_development() -> None:
    text = (
        "The Free Sarn Front fired missiles at the ferry Aster on Monday. "
        "The Free Sarn Front also targeted the ferry Bryn."
    )
    (development,) = _propose(text).developments
    assert development.sentences == (1, 2)


def _actor_names(text: str) -> set[str]:
    return {a.name for a in _propose(text).actors}


def test_a_dateline_is_never_an_actor() -> None:
    proposals = _propose("HALDOR/OSTREL Varnia launched a ballistic missile on Sunday.")
    assert {a.name for a in proposals.actors} == {"Varnia"}
    assert proposals.developments[0].actors == ("varnia",)


def test_a_name_used_as_a_place_is_a_place_everywhere() -> None:
    names = _actor_names("Fighting broke out in Gora on Monday. Elena Dask said Gora was calm.")
    assert names == {"Elena Dask"}


def test_hyphenated_names_stay_whole() -> None:
    names = _actor_names("Foreign Minister Anna-Lena Dask met Piet Horan in Lusk.")
    assert names == {"Anna-Lena Dask", "Piet Horan"}


def test_occasions_outlets_and_credits_are_not_actors() -> None:
    text = (
        "Elena Dask attended the Northern Compact Ministers Meeting in Haldor. "
        "Varnia condemned the blockade, Haldor News reported. "
        "Reporting by Ivo Marr; Editing by Piet Horan"
    )
    names = _actor_names(text)
    assert not {n for n in names if "Meeting" in n or "News" in n}
    assert not names & {"Ivo Marr", "Piet Horan"}


def test_a_metonym_is_an_alias_of_its_state(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from summarizer import proposals as module
    from summarizer.lexicon import lexicon

    words = dataclasses.replace(lexicon(), metonyms={"haldor palace": "Varnia"})
    monkeypatch.setattr(module, "lexicon", lambda: words)
    actors = _propose("Haldor Palace rejected the plan. Varnia said it wanted talks.").actors
    assert [(a.name, a.type, a.aliases) for a in actors] == [
        ("Varnia", "country", ("Haldor Palace",))
    ]


def test_a_titled_surname_is_the_person_named_in_full() -> None:
    actors = _propose(
        "Foreign Minister Elena Dask met Piet Horan in Lusk. "
        "Minister Dask said the talks went well."
    ).actors
    dask = [a for a in actors if "Dask" in a.name]
    assert [(a.name, a.aliases) for a in dask] == [("Elena Dask", ("Minister Dask",))]


def test_forces_that_are_only_victims_are_not_principals() -> None:
    assert _actor_names("Ten Belmarkian soldiers were killed in Gora.") == set()
    assert _actor_names("Belmarkian soldiers stormed the village of Gora.") == {
        "Belmarkian soldiers"
    }


def test_a_duration_is_not_a_date() -> None:
    assert (
        _development("Belmarkian jets struck a depot in Gora during the four-year war.").date
        is None
    )
    assert (
        _development("Belmarkian jets struck a depot in Gora two days ago.").date == "two days ago"
    )


def test_envoys_from_a_party_stand_for_it() -> None:
    met = _propose("Elena Dask met envoys from the Arden Union in Lusk on Monday.").meetings
    assert [m.participants for m in met] == [("elena dask", "arden union")]
    talks = _propose(
        "Talks between envoys from the Arden Union and the Free Sarn Front took place in Lusk."
    ).meetings
    assert [m.participants for m in talks] == [("arden union", "free sarn front")]


def test_a_modal_in_the_content_gives_the_kind() -> None:
    (position,) = _propose("Elena Dask said Belmark must withdraw its troops from Gora.").positions
    assert position.kind == "demand"
    (plain,) = _propose("Elena Dask said the talks in Lusk were a mistake.").positions
    assert plain.kind == "statement"


def test_a_past_event_told_plainly_is_no_position() -> None:
    reported = _propose("Elena Dask said Belmark withdrew its troops from Gora on Monday.")
    assert reported.positions == ()
    assert [d.type for d in reported.developments] == ["withdrawal"]


def test_any_completed_action_told_plainly_is_no_position() -> None:
    for text in (
        "Elena Dask said the convoy crossed the river at Gora.",
        "Elena Dask said the hostages had been kept in Gora since May.",
    ):
        assert _propose(text).positions == (), text
    for text in (
        "Elena Dask said the border with Belmark remained calm.",  # a state
        "Elena Dask said the talks had made no progress.",  # a denial
        "Elena Dask said the talks had shown that the truce could hold.",  # a clause of its own
        "Elena Dask said the border would be closed.",  # not done yet
    ):
        assert [p.holder for p in _propose(text).positions] == ["elena dask"], text


def test_a_teller_who_relays_another_holders_position_holds_none() -> None:
    relayed = _propose("Tomas Holm said Varnia had agreed to withdraw its troops from Gora.")
    assert [(p.holder, p.kind) for p in relayed.positions] == [("varnia", "commitment")]
    own = _propose('"We hope the truce in Gora will hold," Tomas Holm said.')
    assert [p.holder for p in own.positions] == ["tomas holm"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The clash in Gora prompted Elena Dask to warn Belmark against escalation.", "warning"),
        ("Elena Dask is said to have condemned the shelling of Gora.", "condemnation"),
        ("Elena Dask ended the visit by urging Belmark to withdraw from Gora.", "demand"),
        ('"The truce in Gora is fragile," the report cited Elena Dask as saying.', "statement"),
    ],
)
def test_a_teller_without_a_subject_of_its_own(text: str, kind: str) -> None:
    assert [(p.holder, p.kind) for p in _propose(text).positions] == [("elena dask", kind)]


def test_officials_including_named_members_are_those_members() -> None:
    proposals = _propose(
        "Diplomats, including Elena Dask and Tomas Holm, criticised the raid on Gora."
    )
    assert [p.holder for p in proposals.positions] == ["elena dask", "tomas holm"]


def test_plural_officials_are_their_countries_not_the_last_person_named() -> None:
    text = "Chad and Mali signed a truce in Lusk on Monday. Tomas Holm hosted the talks. "
    qualified = _propose(text + "Chadian and Malian officials said the truce must hold.")
    assert [p.holder for p in qualified.positions] == ["chad", "mali"]
    assert _propose(text + "Officials said the truce must hold.").positions == ()


def test_we_inside_a_quote_is_the_speaker_not_an_earlier_actor() -> None:
    proposals = _propose(
        'The Arden Union met in Lusk. "We hope the truce will hold," Tomas Holm said.'
    )
    assert [p.holder for p in proposals.positions] == ["tomas holm"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia often threatens to seize the Gora valley.",
        "Varnia has not announced any raid on Gora, Belmark says.",
        "Elena Dask visited Lusk, highlighting Varnia's support for the truce.",
    ],
)
def test_a_habit_a_telling_not_done_and_the_writers_framing_are_no_positions(text: str) -> None:
    assert {p.holder for p in _propose(text).positions} <= {"belmark"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Elena Dask repeated her pleas for medical aid.", "demand"),
        ("Varnia ruled out talks with Belmark.", "denial"),
        ("Varnia does not rule out talks with Belmark in Lusk.", "statement"),
    ],
)
def test_repeating_a_plea_and_ruling_out_are_positions(text: str, kind: str) -> None:
    assert [p.kind for p in _propose(text).positions] == [kind]


def test_calling_something_illegal_is_a_judgement_calling_off_is_not() -> None:
    (position,) = _propose("Elena Dask called the raid on Gora illegal.").positions
    assert (position.holder, position.content) == ("elena dask", "the raid on Gora illegal")
    assert _propose("Varnia called off the talks with Belmark.").positions == ()


def test_a_quoted_we_in_a_sentence_of_its_own_is_the_speaker() -> None:
    proposals = _propose(
        'The Arden Union met in Lusk. "We back the truce. Varnia must pull back from Gora," '
        "Tomas Holm said."
    )
    assert [(p.holder, p.kind) for p in proposals.positions] == [
        ("tomas holm", "support"),
        ("tomas holm", "demand"),
    ]


def test_a_date_inside_the_content_does_not_make_it_a_date() -> None:
    (call,) = _propose("The Arden Council called for respect of the Lusk accord (2019).").positions
    assert (call.holder, call.kind) == ("arden council", "demand")
    (plea,) = _propose(
        "Before leaving Lusk, Elena Dask renewed her pleas for medical aid."
    ).positions
    assert plea.content == "her pleas for medical aid"


def test_informing_someone_is_telling() -> None:
    proposals = _propose("Elena Dask informed Tomas Holm about the threat to Gora.")
    assert [(p.holder, p.kind) for p in proposals.positions] == [("elena dask", "statement")]


def test_a_meeting_told_plainly_is_no_position_a_judgement_of_it_is() -> None:
    for text in (
        "Elena Dask said a third round of talks would open in Lusk.",
        "Elena Dask said she would meet Tomas Holm in Lusk next week.",
    ):
        assert _propose(text).positions == (), text
    judged = _propose("Elena Dask said the talks in Lusk were useful.").positions
    assert [p.holder for p in judged] == ["elena dask"]


def test_a_plural_nationality_is_its_state() -> None:
    proposals = _propose(
        "Chad and Mali signed a truce in Lusk on Monday. The Chadians said the truce must hold."
    )
    assert [(p.holder, p.kind) for p in proposals.positions] == [("chad", "demand")]


def test_saying_beside_an_act_is_the_actors_own_word_not_framing() -> None:
    proposals = _propose(
        "Varnia closed the border with Belmark, saying the move would stop smuggling."
    )
    assert [p.holder for p in proposals.positions] == ["varnia"]


def test_a_that_clause_hung_on_in_a_statement_is_the_content() -> None:
    reported = _propose("Elena Dask said in a statement that Varnia had shelled Gora.")
    assert reported.positions == ()


def test_a_pronoun_chain_keeps_its_actor_across_sentences() -> None:
    proposals = _propose(
        "On Monday the members of the Arden Council condemned the shelling of Gora. "
        "Prices of grain rose in Lusk and Varnia. "
        "Markets in Belmark stayed closed. "
        "They urged all parties to respect the truce. "
        "They also called for talks."
    )
    assert [(p.holder, p.kind) for p in proposals.positions] == [
        ("arden council", "condemnation"),
        ("arden council", "demand"),
        ("arden council", "demand"),
    ]


def test_each_conjoined_holder_has_a_position() -> None:
    proposals = _propose("Varnia and Belmark said the truce in Gora must hold.")
    assert sorted((p.holder, p.kind) for p in proposals.positions) == [
        ("belmark", "demand"),
        ("varnia", "demand"),
    ]


def test_taking_part_in_a_meeting_and_the_body_whose_meeting_it_is() -> None:
    session = _propose(
        "Elena Dask took part in a session of the Arden Council in Lusk on Tuesday."
    ).meetings
    assert [m.participants for m in session] == [("elena dask", "arden council")]
    discussions = _propose("Elena Dask held discussions with Tomas Holm about Gora.").meetings
    assert [m.participants for m in discussions] == [("elena dask", "tomas holm")]
    attended = _propose("Elena Dask attended the Arden Union summit in Lusk.").meetings
    assert [m.participants for m in attended] == [("elena dask", "arden union")]


def test_a_country_is_an_actor_when_it_acts_not_when_it_places() -> None:
    acting = _propose("Chad sent grain to the port of Lusk.").actors
    assert "chad" in {a.key for a in acting}
    placing = _propose("Elena Dask said in Chad that the talks would go on.").actors
    assert "chad" not in {a.key for a in placing}


def test_a_name_of_no_known_kind_is_an_actor_only_when_a_candidate_names_it() -> None:
    # "Belmark" is no country the parse knows, nor a person or a body: often a place untagged
    alone = _propose("Belmark sent grain to the port of Lusk.")
    assert "belmark" not in {a.key for a in alone.actors}
    holding = _propose("Belmark condemned the shelling of the port of Lusk.")
    assert [p.holder for p in holding.positions] == ["belmark"]
    assert "belmark" in {a.key for a in holding.actors}


def test_coordinated_reporting_verbs_are_two_positions_a_nested_one_is_not() -> None:
    two = _propose("Elena Dask condemned the shelling of Gora and urged Belmark to pull back.")
    assert [p.kind for p in two.positions] == ["condemnation", "demand"]
    one = _propose("Elena Dask said she would urge Belmark to pull back from Gora.")
    assert [p.verb for p in one.positions] == ["say"]


def test_the_two_leaders_are_the_two_people_named_last() -> None:
    meetings = _propose(
        "Varnian President Elena Dask opened a school in Lusk. "
        "Belmark's President Tomas Holm opened a bridge in Tarn. "
        "The two leaders held a telephone conversation on Friday."
    ).meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("elena dask", "tomas holm"), "call")
    ]


def test_the_person_told_in_a_phone_call_is_at_it() -> None:
    meetings = _propose(
        "Foreign Minister Elena Dask told her Belmarkian counterpart, Tomas Holm, in a phone "
        "call on Monday that Varnia would defend its waters."
    ).meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("elena dask", "tomas holm"), "call")
    ]


def test_a_family_name_written_first_is_the_person_named_in_full() -> None:
    meetings = _propose(
        "Varnian Foreign Minister Lin Hao arrived in Lusk. Lin met Tomas Holm on Monday."
    ).meetings
    assert [m.participants for m in meetings] == [("lin hao", "tomas holm")]


def test_a_possessive_pronoun_carries_the_chain() -> None:
    meetings = _propose(
        "Tomas Holm, Belmark's envoy, arrived in Lusk on Monday. His trip follows a month of "
        "border closures. Officials said trade was discussed. He met Anna Veld, Varnia's "
        "foreign minister."
    ).meetings
    assert [m.participants for m in meetings] == [("tomas holm", "anna veld")]


def test_called_off_talks_are_cancelled_talks_of_the_government() -> None:
    proposals = _propose(
        "Belmark's government has called off peace talks with the Lusk Front, officials said. "
        "The government restarted negotiations with the Lusk Front in 2029."
    )
    assert [(m.participants, m.status, m.format) for m in proposals.meetings] == [
        (("government of belmark", "lusk front"), "cancelled", "bilateral"),
        (("government of belmark", "lusk front"), "occurred", "bilateral"),
    ]
    government = next(a for a in proposals.actors if a.key == "government of belmark")
    assert (government.name, government.type) == ("Belmark's government", "government_body")


def test_a_round_of_talks_takes_the_place_of_the_talks() -> None:
    meetings = _propose(
        "Varnia and Belmark held a second round of talks in Lusk on Monday."
    ).meetings
    assert [(m.participants, m.location) for m in meetings] == [(("varnia", "belmark"), "Lusk")]


def test_talks_during_which_a_minister_spoke_are_his() -> None:
    meetings = _propose(
        "Elena Dask called for restraint during talks with Tomas Holm in Lusk."
    ).meetings
    assert [m.participants for m in meetings] == [("elena dask", "tomas holm")]


def test_a_title_alone_is_the_person_who_holds_it() -> None:
    positions = _propose(
        "Varnian Secretary of State Anna Veld arrived in Lusk. The Secretary of State "
        "warned that the border must stay open."
    ).positions
    assert [(p.holder, p.kind) for p in positions] == [("anna veld", "warning")]


def test_a_capital_that_acts_speaks_for_its_state() -> None:
    positions = _propose("Ankara has demanded guarantees for its border, officials said.").positions
    assert [p.holder for p in positions] == ["turkey"]


def test_a_place_owned_by_a_country_is_the_narrower_place() -> None:
    development = _development("Drones struck a depot in Chad's Salamat region on Monday.")
    assert development.location == "Salamat region"


def test_a_demonym_before_an_event_is_its_country_acting() -> None:
    development = _development(
        "Chad said on Monday it would talk to Niger. Chadian shelling hit the town of Gora "
        "overnight."
    )
    assert development.actors == ("chad",)


def test_a_standing_state_or_habit_is_no_development() -> None:
    assert _propose("Belmark occupies a fifth of the northern valley.").developments == ()
    assert _propose("The army continues to shell the villages near Gora.").developments == ()
    assert _development("The army shelled the villages near Gora on Monday.").type == (
        "shelling_or_missile_strike"
    )


def test_a_later_sentence_places_the_event_it_points_back_to() -> None:
    development = _development(
        "Rebels attacked an army convoy on Monday. Officials gave no figures. "
        "The attack took place near Gora."
    )
    assert development.sentences == (1, 3)
    assert development.location == "Gora"


def test_a_name_that_modifies_a_place_noun_is_a_place() -> None:
    proposals = _propose("Belmark troops attacked near the Vasko district. Vasko residents fled.")
    assert "vasko" not in {a.key for a in proposals.actors}


def test_an_event_noun_that_modifies_a_noun_is_no_development() -> None:
    assert _propose("Varnia sent a strike group to the coast on Monday.").developments == ()
    assert _propose("Officials said the truce deal was signed in Lusk.").developments == ()


def test_a_cyber_attack_or_a_hunger_strike_is_no_use_of_force() -> None:
    assert _propose("Hackers carried out a cyber attack on Varnia's ministry.").developments == ()
    assert _propose("Prisoners in Lusk began a hunger strike on Monday.").developments == ()


def test_an_undated_development_takes_the_date_of_its_passage() -> None:
    developments = _propose(
        "On Monday, rebels captured Gora. Drones later struck a depot in Lusk, officials said."
    ).developments
    assert [d.date for d in developments] == ["Monday", "Monday"]


def test_the_place_an_event_is_done_to_and_a_telling_date() -> None:
    first, second = _propose(
        "Varnian artillery shelled the village of Ostrel on Sunday. "
        "The Front said on Tuesday it had captured the town of Mirel."
    ).developments
    assert (first.location, first.date) == ("Ostrel", "Sunday")
    assert (second.location, second.date) == ("Mirel", None)  # the telling's date is no date


def test_rebels_are_an_armed_group_and_troops_a_military() -> None:
    actors = _propose(
        "Kestrian rebels attacked a post near Gora. Varnian troops pushed them back on Monday."
    ).actors
    assert {a.name: a.type for a in actors} == {
        "Kestrian rebels": "armed_group",
        "Varnian troops": "military",
    }


def test_a_meeting_noun_that_points_back_is_the_meeting_told_before_or_its_next_round() -> None:
    meetings = _propose(
        "Elena Dask met Tomas Holm in Lusk on Tuesday. "
        "The talks focused on the border. "
        "Another round of talks will be held in Gora next month."
    ).meetings
    assert [(m.participants, m.status, m.sentences) for m in meetings] == [
        (("elena dask", "tomas holm"), "occurred", (1, 2)),
        (("elena dask", "tomas holm"), "planned", (3,)),
    ]
    joined = _propose(
        "Elena Dask met Tomas Holm in Lusk on Tuesday. Pavel Novak joined the talks later."
    ).meetings
    assert [(m.participants, m.sentences) for m in joined] == [
        (("elena dask", "tomas holm", "pavel novak"), (1, 2))
    ]  # one encounter that grew, not a second one


def test_the_hosts_of_talks_between_two_parties_are_parties_too() -> None:
    meetings = _propose("Lima and Quito have been hosting talks between Elena Dask and Tomas Holm.")
    assert [(m.participants, m.format) for m in meetings.meetings] == [
        (("peru", "ecuador", "elena dask", "tomas holm"), "multilateral")
    ]


def test_who_brokers_talks_takes_part_in_them() -> None:
    meetings = _propose(
        "Mali sent envoys on Monday. Chad and Niger held Mali-brokered talks in Lusk."
    ).meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("chad", "niger", "mali"), "multilateral")
    ]
    mediated = _propose("Elena Dask held talks with Tomas Holm mediated by Pavel Novak.").meetings
    assert [set(m.participants) for m in mediated] == [{"elena dask", "tomas holm", "pavel novak"}]


def test_a_titled_occasion_is_neither_an_actor_nor_a_place() -> None:
    meetings = _propose(
        "Elena Dask took part in the Defence Ministers Planning Session of the Arden Council "
        "in Lusk."
    ).meetings
    assert [(m.participants, m.location) for m in meetings] == [
        (("elena dask", "arden council"), "Lusk")
    ]


def test_a_meeting_verb_of_purpose_is_the_meeting_it_serves() -> None:
    meetings = _propose(
        "Elena Dask and Tomas Holm met in Lusk on Tuesday to discuss the border."
    ).meetings
    assert [(m.participants, m.status) for m in meetings] == [
        (("elena dask", "tomas holm"), "occurred")
    ]


def test_a_name_the_parser_nests_inside_the_next_one_is_still_a_conjunct() -> None:
    # the parse hangs "Holm and ... Minister" under "Dask" as a modifier with its own "and"
    meetings = _propose("Holm and Varnian Prime Minister Elena Dask met in Lusk in April.").meetings
    assert [set(m.participants) for m in meetings] == [{"elena dask", "holm"}]


def test_their_next_meeting_is_the_next_meeting_of_those_who_met() -> None:
    meetings = _propose(
        "Varnia's ministry spoke. "
        "Elena Dask and Tomas Holm met in Lusk in April, and their next meeting is scheduled "
        "for July."
    ).meetings
    assert [(set(m.participants), m.status) for m in meetings] == [
        ({"elena dask", "tomas holm"}, "occurred"),
        ({"elena dask", "tomas holm"}, "planned"),
    ]


def test_a_possible_meeting_is_no_meeting() -> None:
    proposals = _propose(
        "Varnia said there was nothing to announce on a possible conversation between "
        "Elena Dask and Tomas Holm."
    )
    assert proposals.meetings == ()


def test_a_dialogue_is_a_channel_not_an_encounter() -> None:
    proposals = _propose("Varnia suspended its dialogue with Belmark on Monday.")
    assert proposals.meetings == ()


def test_their_counterparts_are_the_holders_of_each_sides_office() -> None:
    proposals = _propose(
        "Foreign Minister Elena Dask and Defence Minister Tomas Holm talked by phone with their "
        "Kestrian and Varnian counterparts."
    )
    assert {(m.participants, m.format) for m in proposals.meetings} == {
        (("elena dask", "kestrian foreign minister"), "call"),
        (("elena dask", "varnian foreign minister"), "call"),
        (("tomas holm", "kestrian defence minister"), "call"),
        (("tomas holm", "varnian defence minister"), "call"),
    }
    minister = next(a for a in proposals.actors if a.key == "kestrian foreign minister")
    assert (minister.name, minister.type) == ("Kestrian foreign minister", "person")


def test_an_envoy_sent_to_two_parties_visits_each() -> None:
    proposals = _propose("Varnia said it is sending a senior diplomat to Chad and Niger this week.")
    assert [(m.participants, m.status) for m in proposals.meetings] == [
        (("senior diplomat", "chad"), "planned"),
        (("senior diplomat", "niger"), "planned"),
    ]
    diplomat = next(a for a in proposals.actors if a.key == "senior diplomat")
    assert (diplomat.name, diplomat.type) == ("senior diplomat", "person")
    assert _propose("Varnia sent troops to Chad and a letter to Niger.").meetings == ()


def test_a_session_of_a_body_is_multilateral_even_with_one_other_party() -> None:
    meetings = _propose("Elena Dask addressed the Arden Council in Lusk on Tuesday.").meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("elena dask", "arden council"), "multilateral")
    ]


def test_gaining_control_of_a_named_place_is_its_capture_there() -> None:
    """A verb and its object name the event together ("gained control of"), and what is
    captured is a place even when the tagger calls its name a person's or an organisation's."""
    first, second = _propose(
        "Varnian forces captured Lusk on Monday. "
        "The armed groups gained control of Gora Ridge in the evening."
    ).developments
    assert (first.type, first.location) == ("territorial_change", "Lusk")
    assert (second.type, second.location) == ("territorial_change", "Gora Ridge")


def test_a_launch_on_a_day_is_a_test_a_launch_on_a_place_a_strike() -> None:
    """ "On Sunday" aims at nothing: only a preposition naming a target makes a launch a strike."""
    assert _development("Varnia launched a long-range missile on Sunday.").type == (
        "weapons_launch_or_test"
    )
    assert _development("Varnia launched a missile on Lusk.").type == "shelling_or_missile_strike"


def test_a_definite_event_noun_points_back_across_a_paragraph() -> None:
    """ "The attack" four sentences on is still the attack told first, not a new one."""
    developments = _propose(
        "An attack killed two soldiers in Gora on Monday. "
        "Varnia suspended its talks with the Front. "
        "Elena Dask said the talks had made progress. "
        "Belmark urged both sides to return to the table. "
        "The attack took place near the border."
    ).developments
    assert [d.sentences for d in developments] == [(1, 5)]


def test_the_event_noun_placed_only_by_its_sentence_is_the_event_told_before() -> None:
    """ "The attack" with no place of its own keeps pointing back even when its sentence names
    another place elsewhere (the teller's, the passage's)."""
    developments = _propose(
        "Varnian drones struck a school in Gora on Monday. "
        "Officials in Lusk said the attack killed 15 people."
    ).developments
    assert [(d.sentences, d.location, d.killed) for d in developments] == [((1, 2), "Gora", 15)]


def test_a_bare_one_word_name_is_no_actor_unless_a_candidate_names_it() -> None:
    """A one-word "person" with no title is more often a place the parser took for a name."""
    actors = _propose(
        "Elena Dask said the war must end. The road to Marovka was closed, and Jovan was quiet."
    ).actors
    assert [a.key for a in actors] == ["elena dask"]


def test_and_inside_an_organisations_name_is_part_of_it() -> None:
    """ "the Centre for Trade and Peace Studies" is one name, not two people of two words."""
    actors = _propose(
        "Elena Dask, an analyst at the Centre for Trade and Peace Studies in Gora, said the talks"
        " had failed."
    ).actors
    assert [a.key for a in actors] == ["elena dask"]


def test_a_longer_form_of_a_persons_name_is_the_same_person() -> None:
    """ "Anton Kral" and "Anton Kral Veszto" are one person, named by the fuller form."""
    actors = _propose(
        "Anton Kral met Tomas Holm in Gora on Monday. Anton Kral Veszto later said the talks had"
        " gone well."
    ).actors
    assert [(a.key, a.name) for a in actors] == [
        ("anton kral", "Anton Kral Veszto"),
        ("tomas holm", "Tomas Holm"),
    ]


def test_a_middle_name_with_a_title_is_the_person_named_in_full() -> None:
    """ "Mr Veszto" after "Simon Veszto Dual": a title and a middle name are no full name."""
    actors = _propose(
        "Forces loyal to Lieutenant General Simon Veszto Dual attacked Gora on Monday. Mr Veszto"
        " said his men had taken the town."
    ).actors
    people = [a for a in actors if a.key != "gora"]
    assert [(a.key, a.aliases) for a in people] == [("simon veszto dual", ("Mr Veszto",))]


def test_a_body_named_only_in_passing_is_no_actor() -> None:
    """A body that never acts nor takes part in a candidate is no principal (contract rule 1);
    one that acts is."""
    passing = _propose("Elena Dask said after a session of the Arden Council that talks failed.")
    assert [a.key for a in passing.actors] == ["elena dask"]
    acting = _propose("The Arden Council condemned the attack on Gora.")
    assert "arden council" in [a.key for a in acting.actors]


def test_a_name_made_of_titles_only_is_no_person() -> None:
    """ "The Chiefs of Defence" names offices, not one person."""
    actors = _propose("The Chiefs of Defence condemned the attack on Gora.").actors
    assert "chiefs of defence" not in [a.key for a in actors]


def test_a_states_formal_name_is_the_country() -> None:
    """ "The Kingdom of Kestria" is Kestria: one actor, which holds both positions."""
    proposals = _propose(
        "Kestria condemned the attack. The Kingdom of Kestria demanded a ceasefire."
    )
    assert [(a.key, a.aliases) for a in proposals.actors] == [("kestria", ("Kingdom of Kestria",))]
    assert [p.holder for p in proposals.positions] == ["kestria", "kestria"]


def test_a_title_that_names_a_place_still_leaves_the_persons_name() -> None:
    """ "the Arden Union Special Envoy for Kestria Jan Lusk" is the person Jan Lusk."""
    proposals = _propose(
        "The Arden Union Special Envoy for Kestria Jan Lusk met Foreign Minister Elena Dask in Gora"
        " on Monday."
    )
    lusk = proposals.actors[0]
    assert (lusk.key, lusk.type, lusk.role) == (
        "jan lusk",
        "person",
        "Arden Union Special Envoy for Kestria",
    )
    assert [m.participants for m in proposals.meetings] == [("jan lusk", "elena dask")]


def test_a_body_that_only_tells_a_report_is_a_source() -> None:
    """A ministry whose telling gives no candidate is only a source (contract rule 1)."""
    told = _propose("The Arden Defence Ministry said 30 drones were shot down over Gora overnight.")
    assert "arden defence ministry" not in [a.key for a in told.actors]
    stance = _propose("The Arden Defence Ministry condemned the attack on Gora.")
    assert "arden defence ministry" in [a.key for a in stance.actors]


def test_forces_that_only_tell_a_report_are_a_source() -> None:
    """ "Varnia's air force said ...", with no candidate from it: a source, like a ministry."""
    actors = _propose("Varnia's air force said 30 drones were shot down overnight.").actors
    assert actors == ()


def test_fighters_of_a_named_group_are_the_group() -> None:
    """ "Sarn Liberation Front fighters" are the Sarn Liberation Front, not a second actor."""
    proposals = _propose("Sarn Liberation Front fighters attacked Gora on Monday.")
    assert "sarn liberation front" in [a.key for a in proposals.actors]
    assert [d.actors for d in proposals.developments] == [("sarn liberation front",)]


def test_a_person_named_only_in_a_regimes_name_is_an_actor() -> None:
    """ "the Vastrov regime": Vastrov is a named principal (contract rule 1), one word or not."""
    actors = _propose("The Vastrov regime has ruled Varnia for decades.").actors
    assert ("vastrov", "person") in [(a.key, a.type) for a in actors]


def test_a_name_with_a_plural_word_is_no_person() -> None:
    """ "the Lusk Doctors Network": a plural proper noun makes it a group's name, not a person's."""
    actors = _propose("Lusk Doctors Network condemned the attack on Gora.").actors
    assert ("lusk doctors network", "other") in [(a.key, a.type) for a in actors]


def test_an_administration_named_for_its_leader_is_an_alias_of_its_state() -> None:
    """ "the Dask administration" speaks for Dask's state: an alias of the country actor, no actor
    of its own; the country comes from the title ("Valdorian President Elena Dask")."""
    actors = _propose(
        "Valdorian President Elena Dask arrived in Gora on Monday. "
        "The Dask administration condemned the attack on Valdoria."
    ).actors
    assert not [a for a in actors if a.type == "government_body"]
    valdoria = next(a for a in actors if a.type == "country")
    assert "Dask administration" in valdoria.aliases


def test_every_name_in_a_list_after_a_place_preposition_is_a_place() -> None:
    """ "near Tarnov, Ivan Dol and Marko Yar": the conjuncts hold the list's place, so names the
    parser took for people are places, not actors."""
    actors = _propose(
        "Valdorian troops shelled villages near Tarnov, Ivan Dol and Marko Yar."
    ).actors
    assert [a.key for a in actors] == ["forces of valdorian"]


@pytest.mark.parametrize(
    "text",
    [
        "The tanker is owned by Valdorian company Marko Lusk.",
        "Analysts from the Tarn Resistance group said the attack was planned.",
    ],
)
def test_a_name_beside_an_organisation_noun_is_no_person(text: str) -> None:
    """ "company Marko Lusk", "the Tarn Resistance group": an organisation's name, however the
    parser tagged it; named only in passing, it is no actor."""
    assert [a for a in _propose(text).actors if a.type == "person"] == []


def test_a_name_ending_in_a_facility_word_is_a_place() -> None:
    """ "the Marko Lusk Dam": a built place, even when the parser tags its name as a person's."""
    actors = _propose("The Valdorian army said its drones hit the Marko Lusk Dam.").actors
    assert [a for a in actors if "lusk" in a.key] == []


def test_an_unnamed_collective_addressed_by_a_demand_is_an_actor() -> None:
    """ "urged all parties involved to ...": an unnamed collective that is addressed is an actor
    of type other (contract rule 15), the target of the demand; "the parties" later is the same."""
    proposals = _propose(
        "The Arden Union urged all parties involved to exercise restraint in Gora. "
        "Minister Elena Dask called on the parties to respect the truce."
    )
    collectives = [a for a in proposals.actors if a.type == "other"]
    assert [(a.name, a.aliases) for a in collectives] == [
        ("all parties involved", ("the parties",))
    ]
    assert {p.target for p in proposals.positions} == {collectives[0].key}


def test_forces_named_for_a_government_name_that_government_too() -> None:
    """ "Valdorian government forces": the forces and the government they serve are two actors,
    the government a named principal (contract rule 1)."""
    actors = _propose("Valdorian government forces shelled Gora on Monday.").actors
    kinds = {(a.name, a.type) for a in actors}
    assert {
        ("Valdorian government forces", "military"),
        ("Valdorian government", "government_body"),
    } <= kinds


def test_the_government_of_a_country_is_its_government() -> None:
    """ "the government of Valdoria" is the Valdorian government (a body of its own), as
    "Valdoria's government" and "the Valdorian government" are."""
    actors = _propose("The government of Valdoria condemned the attack on Gora.").actors
    assert ("government of valdoria", "government_body") in [(a.key, a.type) for a in actors]


def test_the_agent_of_a_participle_that_describes_a_noun_does_not_act() -> None:
    """ "a truce mediated by Valdoria", "the island, which is also claimed by Valdoria":
    background about a noun, so Valdoria is no actor; "the truce was mediated by Valdoria"
    tells its act."""
    described = _propose("The war ended in a truce mediated by Valdoria in 2020.").actors
    assert "valdoria" not in [a.key for a in described]
    related = _propose("Ruritania claims the island, which is also claimed by Valdoria.").actors
    assert "valdoria" not in [a.key for a in related]
    told = _propose("The truce was mediated by Valdoria in 2020.").actors
    assert "valdoria" in [a.key for a in told]


def test_a_metonym_that_only_tells_a_report_is_a_source() -> None:
    """ "The Kremlin said 12 drones were downed": a report relayed, no stance of its state;
    like a ministry's, such telling makes no actor (contract rule 1)."""
    actors = _propose("The Kremlin said 12 drones were downed near Gora on Monday.").actors
    assert actors == ()


def test_forces_after_a_named_armed_body_are_that_body() -> None:
    """ "Sarn Liberation Army forces": the forces of the named army, not a second actor."""
    proposals = _propose("Sarn Liberation Army forces seized the town of Gora on Monday.")
    assert [a.key for a in proposals.actors] == ["sarn liberation army"]
    assert [d.actors for d in proposals.developments] == [("sarn liberation army",)]


def test_forces_named_for_a_capital_are_its_states(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Lusk's forces" are the forces of the state whose capital Lusk is (contract rule 3),
    one actor with "Varnia's troops"."""
    from summarizer import proposals as module

    monkeypatch.setattr(module, "capital_of", lambda name: "Varnia" if name == "Lusk" else None)
    actors = _propose(
        "Varnia's troops shelled Gora on Monday. Lusk's forces later seized the town of Tarn."
    ).actors
    assert [a.key for a in actors if a.type == "military"] == ["forces of varnia"]


def test_a_committee_on_a_place_is_one_name_headed_before_on() -> None:
    """ "the Liaison Committee on Varnia" is one body's name, and the committee, not Varnia, is
    the subject that acts."""
    actors = _propose("The Liaison Committee on Varnia ended its session in Gora on Monday.").actors
    assert ("Liaison Committee on Varnia", "government_body") in [(a.name, a.type) for a in actors]


def test_both_sides_take_up_the_pair_that_was_the_subject_before() -> None:
    text = (
        "Elena Dask and Tomas Holm spoke by phone on Monday. "
        '"Both sides stressed the need for calm in the border region," the statement said.'
    )
    positions = _propose(text).positions
    assert sorted(p.holder for p in positions if p.sentence == 2) == ["elena dask", "tomas holm"]


def test_a_surname_tagged_as_a_common_noun_is_still_the_person() -> None:
    """ "Crane, writing online, said": the tagger's common noun is the surname of Tom Crane."""
    text = (
        "Envoy Tom Crane visited Lusk. Crane, writing on the X social media platform, said: "
        '"The discussions were constructive."'
    )
    assert "tom crane" in [p.holder for p in _propose(text).positions if p.sentence == 2]


def test_a_demonym_the_tagger_took_for_a_place_still_names_its_country() -> None:
    """ "Valdorian and Ruritanian officials said": a demonym the tagger labels a place (GPE) is
    no country name of its own, so it still points to Valdoria."""
    import dataclasses

    from summarizer.parsing import parse

    article = article_from_text(
        "Valdoria condemned Ruritania on Monday. Ruritania condemned Valdoria. "
        "Valdorian and Ruritanian officials said the talks must continue.",
        id="invented",
        metadata={"published": "2031-03-07"},
    )
    parsed = parse(article)
    entities = tuple(
        dataclasses.replace(e, label="GPE") if e.text == "Valdorian" else e for e in parsed.entities
    )
    positions = propose(article, dataclasses.replace(parsed, entities=entities)).positions
    assert sorted(p.holder for p in positions if p.sentence == 3) == ["ruritania", "valdoria"]


def test_a_spokesperson_for_a_person_tells_that_persons_position() -> None:
    text = (
        "Elena Dask ordered her troops back to Gora, and Marko Vell moved his fighters north. "
        "A spokesperson for Dask, Tomas Holm, said her movement was ready for talks. "
        '"We hope the situation will calm down," he said.'
    )
    positions = _propose(text).positions
    assert [(p.holder, p.sentence) for p in positions] == [("elena dask", 2), ("elena dask", 3)]


def test_a_role_noun_with_a_demonym_is_the_latest_person_of_that_country() -> None:
    """ "The Varnian leader said": the latest person who speaks for Varnia, whatever the title."""
    text = (
        "Varnian President Elena Dask met Belmarkian Foreign Minister Tomas Holm in Lusk. "
        "The Varnian leader said the talks must continue."
    )
    assert [p.holder for p in _propose(text).positions] == ["elena dask"]


def test_a_sentence_all_in_quotes_goes_on_with_the_speaker_before() -> None:
    text = (
        '"Relations with Belmark are at a crossroads," the statement quoted Elena Dask as saying. '
        '"The priority is to calm the situation on the border." '
        "Tomas Holm visited Lusk on Monday."
    )
    positions = _propose(text).positions
    assert [(p.holder, p.sentence) for p in positions] == [("elena dask", 1), ("elena dask", 2)]
    assert positions[1].quote == "The priority is to calm the situation on the border"


def test_standing_ready_to_act_is_a_commitment() -> None:
    text = "The Arden Union stands ready to facilitate dialogue between Varnia and Belmark."
    positions = _propose(text).positions
    assert [(p.holder, p.kind) for p in positions] == [("arden union", "commitment")]
    assert positions[0].content == "to facilitate dialogue between Varnia and Belmark"


def test_a_name_after_the_roles_own_modifier_is_the_role() -> None:
    """ "an analyst from the Lusk institute, Tomas Brenner,": the name follows the role's phrase."""
    text = (
        "The assessment was voiced by an analyst from the Lusk Strategy Institute, Tomas Brenner, "
        "noting that Belmark may lack the resources for a new offensive."
    )
    assert [p.holder for p in _propose(text).positions] == ["tomas brenner"]


def test_it_in_an_adverbial_clause_is_the_subject_of_the_clause_it_hangs_on() -> None:
    """ "Varnia ..., a monitoring group said as it warned": "it" is the group (no actor here),
    never Varnia."""
    text = (
        "Varnia has moved troops to the border, a monitoring group said on Monday as it warned "
        "of a new offensive."
    )
    assert [p.holder for p in _propose(text).positions if p.kind == "warning"] == []


def test_a_role_named_only_in_the_next_sentence_is_that_sentences_subject() -> None:
    """ "Valdoria's energy minister warned ... . Tomas Holm said ...": no one before holds the
    role, so the minister is the person the next sentence goes on with."""
    text = (
        "Valdoria condemned Ruritania on Sunday. Valdoria's energy minister warned households "
        "on Monday that blackouts could worsen in the coming days. Tomas Holm said repairs to "
        "the grid would take weeks."
    )
    warnings = [p.holder for p in _propose(text).positions if p.kind == "warning"]
    assert warnings == ["tomas holm"]


def test_an_unnamed_officeholder_of_a_named_country_is_met_one_per_office() -> None:
    proposals = _propose(
        "Fighting in Kestria went on. "
        "Prime Minister Pavel Novak met Kestria's interior and defence ministers on Monday."
    )
    assert [m.participants for m in proposals.meetings] == [
        ("pavel novak", "kestria s interior minister"),
        ("pavel novak", "kestria s defence minister"),
    ]
    minister = next(a for a in proposals.actors if a.key == "kestria s interior minister")
    assert (minister.name, minister.type) == ("Kestria's interior minister", "person")
    known = _propose(
        "Kestrian Foreign Minister Tomas Holm arrived in Lusk on Monday. "
        "Elena Dask met the Kestrian foreign minister there."
    )
    assert [m.participants for m in known.meetings] == [("elena dask", "tomas holm")]
    officials = _propose("Fighting in Kestria went on. Elena Dask met Kestrian officials.")
    assert officials.meetings == ()


def test_one_who_joins_the_meeting_told_before_grows_that_meeting() -> None:
    meetings = _propose(
        "Elena Dask and Tomas Holm met in Lusk on Monday. The talks lasted three hours. "
        "During the talks, Ilse Adler urged calm."
    ).meetings
    assert [(m.participants, m.format, m.sentences) for m in meetings] == [
        (("elena dask", "tomas holm", "ilse adler"), "multilateral", (1, 2, 3))
    ]


def test_talks_with_delegations_that_a_party_says_were_held_are_that_partys() -> None:
    pairs = _propose(
        "Chad and Niger traded fire. Mali said talks with the Chad and Niger delegations were useful."
    ).meetings
    assert [(m.participants, m.format) for m in pairs] == [
        (("mali", "chad", "niger"), "multilateral")
    ]
    demonym = _propose(
        "Chad traded fire with Niger. Mali said talks with the Chadian delegation were useful."
    ).meetings
    assert [m.participants for m in demonym] == [("mali", "chad")]


def test_a_meeting_one_is_due_or_expected_to_hold_and_holders_named_by_whom_they_serve() -> None:
    expected = _propose("Elena Dask is expected to meet Tomas Holm in Lusk next week.").meetings
    assert [(m.participants, m.status) for m in expected] == [
        (("elena dask", "tomas holm"), "planned")
    ]
    due = _propose(
        "Prime Minister Pavel Novak is due to meet the ambassadors of the Arden Council's "
        "five permanent members."
    )
    assert [(m.participants, m.status) for m in due.meetings] == [
        (("pavel novak", "ambassadors of the arden council s five permanent members"), "planned")
    ]
    envoys = next(a for a in due.actors if a.key.startswith("ambassadors"))
    assert (envoys.name, envoys.type) == (
        "ambassadors of the Arden Council's five permanent members",
        "other",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Three Valdorian soldiers were killed on Sunday in an attack on their post near Gora.",
        "Rebels carried out an attack which killed four soldiers near Gora on Sunday.",
    ],
)
def test_an_attack_on_a_post_or_on_soldiers_is_a_ground_assault(text: str) -> None:
    assert _development(text).type == "armed_clash"
    assert _development("Rebels attacked a post near Gora with drones.").type == (
        "air_or_drone_strike"
    )


def test_a_hyphen_inside_a_word_does_not_close_a_dateline() -> None:
    development = _development(
        "LUSK/GORA Varnia launched a long-range rocket on Sunday, Belmark's defense ministry said."
    )
    assert development.actors == ("varnia",)


def test_an_event_told_under_a_negated_noun_did_not_happen() -> None:
    assert _propose("There is no evidence the missiles have been tested by Varnia.").developments == ()
    assert _propose("Officials saw no sign that Belmark had shelled Gora.").developments == ()


def test_a_violated_truce_is_no_new_truce() -> None:
    assert _propose("Belmark accused Varnia of violating the 2019 ceasefire.").developments == ()
    assert _propose("The truce was breached near Gora, officials said.").developments == ()


@pytest.mark.parametrize(
    "text",
    [
        "Varnia has been isolated since the military seized power in the country in 2029.",
        "Police seized weapons in Gora on Monday.",
    ],
)
def test_seizing_power_or_goods_is_no_territorial_change(text: str) -> None:
    assert _propose(text).developments == ()


def test_a_denied_or_claimed_habit_is_no_development() -> None:
    assert _propose("Varnia and Belmark deny they are targeting civilians.").developments == ()
    assert _propose("Varnia says Belmark shells the villages near Gora.").developments == ()
    assert _development("Belmark denied that its jets struck the village.").status == "denied"


def test_an_event_told_as_a_habit_is_no_development() -> None:
    text = "Varnia and Belmark frequently accuse each other of attacks near the dam."
    assert _propose(text).developments == ()
    assert _propose("Belmark often shelled the villages near Gora last year.").developments == ()


def test_years_of_fighting_are_background() -> None:
    text = "The town of Gora has changed hands twice in three years of fighting."
    assert _propose(text).developments == ()
    assert _development("Varnian troops captured Gora after weeks of shelling.").type == (
        "territorial_change"
    )


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Valdorian forces made 33 attacks on the Lusk direction.", "Lusk"),
        ("Valdorian troops carried out 12 attacks on the Ostrel direction.", "Ostrel"),
    ],
)
def test_attacks_on_a_front_direction_are_ground_fighting_there(text: str, place: str) -> None:
    development = _development(text)
    assert (development.type, development.location) == ("armed_clash", place)


@pytest.mark.parametrize(
    "text",
    [
        "A shootout near Ostrel left three Valdorian soldiers dead on Monday.",
        "The two defence ministries traded accusations of starting a firefight at the border.",
    ],
)
def test_an_exchange_of_gunfire_is_an_armed_clash(text: str) -> None:
    assert _development(text).type == "armed_clash"


def test_a_front_direction_hanging_below_the_attack_noun_still_makes_it_ground_fighting() -> None:
    text = "There were 33 attacks by the invaders on the Lusk direction."
    assert _development(text).type == "armed_clash"


def test_a_government_delegation_speaks_for_its_government() -> None:
    text = (
        "Varnia's government has suspended talks with the rebels. "
        '"The process is on hold," the government peace delegation said on Monday.'
    )
    holders = {p.holder for p in _propose(text).positions}
    assert holders == {"government of varnia"}, holders


def test_a_present_passive_told_is_a_state_not_an_event() -> None:
    text = "Minister Varga said the peace process is severely weakened by the attacks."
    assert [p.holder for p in _propose(text).positions] == ["minister varga"]
    assert _propose("Minister Varga said the bridge was destroyed by the attacks.").positions == ()


def test_a_promise_joined_to_a_telling_is_a_second_position() -> None:
    text = (
        "Valdoria reaffirms its full support for the Lusk accord and will continue to "
        "accompany the parties through the process."
    )
    positions = _propose(text).positions
    assert [(p.holder, p.kind) for p in positions] == [
        ("valdoria", "support"),
        ("valdoria", "commitment"),
    ], positions
    assert positions[1].content == "will continue to accompany the parties through the process"


def test_a_possessive_inside_one_name_does_not_split_it() -> None:
    names = [
        (a.name, a.type)
        for a in _propose(
            "The Union is monitoring the situation in the Valdoria People's Liberation Front. "
            "The Valdoria People's Liberation Front attacked the town of Gora on Monday."
        ).actors
    ]
    assert ("Valdoria People's Liberation Front", "armed_group") in names
    assert not any(name == "Valdoria People" for name, _ in names)


def test_a_name_held_by_control_is_a_place() -> None:
    names = [
        a.name
        for a in _propose(
            "Valdorian rebels gained control of Moreno Tesh on Monday, establishing control "
            "over all of Gora."
        ).actors
    ]
    assert names == ["Valdorian rebels"]


def test_a_lowercase_word_tagged_as_a_name_is_no_name() -> None:
    actors = _propose(
        "Ruritania's defence ministry said on Wednesday that Valdorian troops had been pushed back."
    ).actors
    assert not any(a.name == "ministry" for a in actors)


def test_the_named_spokesperson_of_a_person_is_no_actor() -> None:
    proposals = _propose(
        "President Anton Varga ordered his troops to stop fighting. A spokesperson for Varga, "
        "Tomas Holm, said his group was ready for talks."
    )
    assert [a.name for a in proposals.actors] == ["Anton Varga"]


def test_the_portfolio_in_a_title_is_no_person() -> None:
    actors = _propose(
        "The plan will be funded, Elena Dask, High Commissioner for Trade and Border "
        "Affairs, said on Monday."
    ).actors
    assert [a.name for a in actors] == ["Elena Dask"]


def test_a_high_office_named_again_by_its_title_is_its_holder() -> None:
    actors = _propose(
        "The plan will be funded, Elena Dask, High Commissioner for Trade, said on Monday. "
        "The High Commissioner reported that pledges had reached the goal."
    ).actors
    assert [a.name for a in actors] == ["Elena Dask"]


def test_a_body_named_again_by_its_head_word_is_the_same_body() -> None:
    names = [
        a.name
        for a in _propose(
            "Ministers met at the Valdorian Trade Council in Lusk on Monday, said Elena Dask, "
            "its chair. Subsequently, the Council engaged in discussions about support for "
            "Ruritania."
        ).actors
    ]
    assert "Valdorian Trade Council" in names
    assert "Council" not in names


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Minister Dask pointed out that the border remained closed.", "statement"),
        ("Minister Dask contended that the sanctions had failed.", "statement"),
        ("Minister Dask replied that the plan was unfair.", "statement"),
        ("Minister Dask conceded that the talks were difficult.", "statement"),
        ("Minister Dask predicted that the truce would hold.", "statement"),
        ("Minister Dask tweeted that the truce would hold.", "statement"),
        ("Minister Dask conveyed his condolences to Belmark.", "support"),
        ("Varnia offered its condolences to Belmark.", "support"),
    ],
)
def test_more_telling_verbs_state_a_position(text: str, kind: str) -> None:
    positions = _propose(text).positions
    assert [p.kind for p in positions] == [kind]


def test_a_confirmed_toll_is_no_position() -> None:
    assert _propose("Varnia confirmed that 12 soldiers were killed in Gora.").positions == ()


def test_a_belief_the_article_attributes_is_a_position() -> None:
    positions = _propose("Minister Dask thinks that Belmark is preparing for war.").positions
    assert [(p.holder, p.kind) for p in positions] == [("minister dask", "statement")]


@pytest.mark.parametrize(
    "text",
    [
        "Minister Dask implored Belmark to reopen the border.",
        "Minister Dask pleaded with Belmark to reopen the border.",
        "Varnia pushed for a ceasefire in Gora.",
        "Varnia insisted on a full withdrawal.",
        "Varnia advocated a negotiated settlement.",
        "Minister Dask exhorted the parties to return to talks.",
    ],
)
def test_more_verbs_of_appeal_are_demands(text: str) -> None:
    assert [p.kind for p in _propose(text).positions] == ["demand"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia lambasted Belmark over the blockade.",
        "Minister Dask lashed out at Belmark over the blockade.",
        "Minister Dask hit out at Belmark over the blockade.",
        "Varnia rebuked Belmark for the incursion.",
        "Varnia objected to the deployment of Belmarkian troops.",
    ],
)
def test_more_verbs_of_disapproval_are_condemnations(text: str) -> None:
    assert [p.kind for p in _propose(text).positions] == ["condemnation"]


@pytest.mark.parametrize(
    "text",
    [
        "Minister Dask assured Belmark that Varnia would not attack.",
        "Varnia accepted the ceasefire proposal.",
        "Belmark consented to the inspection of the border posts.",
    ],
)
def test_assurances_and_acceptances_are_commitments(text: str) -> None:
    assert [p.kind for p in _propose(text).positions] == ["commitment"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia alerted Belmark to the danger of an escalation.",
        "Minister Dask forewarned Belmark that the border would close.",
    ],
)
def test_alerts_are_warnings(text: str) -> None:
    assert [p.kind for p in _propose(text).positions] == ["warning"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia faulted Belmark for the collapse of the talks.",
        "Varnia attributed the blast to Belmarkian agents.",
    ],
)
def test_more_verbs_of_blame_are_accusations(text: str) -> None:
    assert [p.kind for p in _propose(text).positions] == ["accusation"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia refused to withdraw its troops from Gora.",
        "Varnia rebuffed the demands of Belmark.",
        "Varnia disputed the casualty figures.",
        "Varnia opposes the deployment of peacekeepers.",
        "Varnia brushed off the accusations.",
    ],
)
def test_rejecting_a_demand_or_a_claim_is_a_denial(text: str) -> None:
    assert [p.kind for p in _propose(text).positions] == ["denial"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia applauded the agreement between Belmark and Gora.",
        "Varnia stands with Belmark.",
        "Belmark sided with Varnia in the dispute.",
        "Minister Dask lauded the efforts of Belmark.",
        "Varnia mourned the victims of the attack.",
    ],
)
def test_praise_solidarity_and_mourning_are_support(text: str) -> None:
    assert [p.kind for p in _propose(text).positions] == ["support"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Varnia expressed outrage at the shelling of Gora.", "condemnation"),
        ("Minister Dask renewed his threat to close the border.", "warning"),
        ("Varnia reiterated its rejection of the plan.", "denial"),
        ("Varnia voiced its readiness to mediate between Belmark and Gora.", "commitment"),
        ("Minister Dask expressed gratitude to Belmark for its help.", "support"),
    ],
)
def test_more_stance_nouns_give_the_kind(text: str, kind: str) -> None:
    assert [p.kind for p in _propose(text).positions] == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Varnia is eager to resume talks with Belmark.", "commitment"),
        ("Varnia is keen to resume talks with Belmark.", "commitment"),
        ("Belmark is reluctant to send troops to Gora.", "denial"),
        ("Belmark is unwilling to send troops to Gora.", "denial"),
    ],
)
def test_more_adjectives_of_readiness(text: str, kind: str) -> None:
    assert [p.kind for p in _propose(text).positions] == [kind]


def test_ought_in_told_content_is_a_demand() -> None:
    positions = _propose("Minister Dask said Belmark ought to withdraw its troops.").positions
    assert [p.kind for p in positions] == ["demand"]


def test_a_count_of_the_missing_told_plainly_is_no_position() -> None:
    assert _propose("Minister Dask said 300 people remain missing in Gora.").positions == ()


def test_a_consistent_rejection_is_a_standing_stance() -> None:
    assert _propose("Varnia has consistently rejected the proposal.").positions == ()


def test_a_trust_told_in_the_past_is_a_state_not_an_act() -> None:
    positions = _propose("Minister Dask said Belmark trusted the mediators from Gora.").positions
    assert [p.holder for p in positions] == ["minister dask"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Varnia proposed a 30-day truce in Gora.", "demand"),
        ("Minister Dask spoke out against the blockade.", "condemnation"),
        ("Varnia turned down the offer from Belmark.", "denial"),
        ("Minister Dask weighed in on the dispute between Belmark and Gora.", "statement"),
        ("Varnia renewed its proposal for a buffer zone.", "demand"),
    ],
)
def test_proposals_and_phrasal_verbs_of_stance(text: str, kind: str) -> None:
    assert [p.kind for p in _propose(text).positions] == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Varnia complained that Belmark had violated the truce.", "condemnation"),
        ("Belmark defied calls to withdraw its troops from Gora.", "denial"),
        ("Minister Dask portrayed the strikes as defensive.", "statement"),
        ("Minister Dask bemoaned the lack of progress in the talks.", "statement"),
    ],
)
def test_complaints_defiance_and_portrayals(text: str, kind: str) -> None:
    assert [p.kind for p in _propose(text).positions] == [kind]


@pytest.mark.parametrize("name", ["OIC", "UNRWA", "Interpol", "European Parliament", "IMF"])
def test_an_intergovernmental_body_is_an_international_organization(name: str) -> None:
    actors = _propose(f"The {name} condemned the attack on the town of Gora on Monday.").actors
    assert (name, "international_organization") in [(a.name, a.type) for a in actors]


@pytest.mark.parametrize("outlet", ["Bernama", "Kyodo", "Tasnim", "Haaretz", "the Lusk Times"])
def test_a_news_agency_or_paper_is_a_source_not_an_actor(outlet: str) -> None:
    actors = _propose(f"{outlet} said that Varnia must withdraw its troops from the town of Gora.").actors
    assert [a.name for a in actors] == ["Varnia"]


@pytest.mark.parametrize(
    ("seat", "country"),
    [
        ("Bankova", "Ukraine"),
        ("Foggy Bottom", "United States"),
        ("the Casa Rosada", "Argentina"),
        ("Itamaraty", "Brazil"),
    ],
)
def test_a_seat_of_government_speaks_for_its_country(seat: str, country: str) -> None:
    actors = _propose(
        f"{seat} said on Monday that Varnia must withdraw its troops from the town of Gora."
    ).actors
    assert (country, "country") in [(a.name, a.type) for a in actors]


@pytest.mark.parametrize(
    ("office", "role"),
    [
        ("a senior cleric", "senior cleric"),
        ("the Varnian prosecutor", "prosecutor"),
        ("the humanitarian coordinator", "humanitarian coordinator"),
        ("the Belmarkian monarch", "monarch"),
    ],
)
def test_an_apposed_office_is_the_persons_role(office: str, role: str) -> None:
    actors = _propose(
        f"Tomas Holm, {office}, said on Monday that Varnia must withdraw its troops from the "
        "town of Gora."
    ).actors
    assert ("Tomas Holm", role) in [(a.name, a.role) for a in actors]


@pytest.mark.parametrize(
    "forces", ["Varnian warships", "Varnian marines", "Varnian paratroopers", "Varnian artillery"]
)
def test_a_branch_or_war_machine_of_a_state_is_its_military(forces: str) -> None:
    actors = _propose(f"{forces} attacked the port of Gora on Monday.").actors
    assert [(a.name, a.type) for a in actors] == [(forces, "military")]


@pytest.mark.parametrize(
    "fighters", ["Kestrian militiamen", "Kestrian paramilitaries", "Kestrian pirates", "Kestrian bandits"]
)
def test_irregular_fighters_are_a_non_state_armed_group(fighters: str) -> None:
    actors = _propose(f"{fighters} attacked the village of Gora on Monday.").actors
    assert [(a.name, a.type) for a in actors] == [(fighters, "armed_group")]


def test_a_well_known_armed_group_is_typed_by_its_name() -> None:
    actors = _propose(
        "Hezbollah said on Monday that Varnia must withdraw its troops from the town of Gora."
    ).actors
    assert ("Hezbollah", "armed_group") in [(a.name, a.type) for a in actors]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("The Varnian junta", "Varnian junta"),
        ("The Knesset", "Knesset"),
        ("The SBU", "SBU"),
    ],
)
def test_a_ruling_body_legislature_or_service_is_a_government_body(body: str, name: str) -> None:
    actors = _propose(
        f"{body} said on Monday that Belmark must withdraw its troops from the town of Gora."
    ).actors
    assert (name, "government_body") in [(a.name, a.type) for a in actors]


@pytest.mark.parametrize(
    "place",
    [
        "the township of Moreno Tesh",
        "the enclave of Moreno Tesh",
        "the Moreno Tesh corridor",
        "the prefecture of Moreno Tesh",
    ],
)
def test_a_name_after_a_place_noun_is_a_place(place: str) -> None:
    actors = _propose(f"Valdorian rebels attacked {place} on Monday.").actors
    assert [a.name for a in actors] == ["Valdorian rebels"]


@pytest.mark.parametrize("holding", ["occupation", "blockade", "annexation"])
def test_a_name_held_by_occupation_or_blockade_is_a_place(holding: str) -> None:
    actors = _propose(f"Valdorian rebels condemned the {holding} of Moreno Tesh on Monday.").actors
    assert [a.name for a in actors] == ["Valdorian rebels"]


@pytest.mark.parametrize(
    "facility", ["the Lusk Shipyard", "the Gora Barracks", "the Tarn Arsenal", "the Moreno Tesh Crossing"]
)
def test_a_built_place_is_no_actor(facility: str) -> None:
    actors = _propose(f"Valdorian rebels attacked {facility} on Monday.").actors
    assert [a.name for a in actors] == ["Valdorian rebels"]


@pytest.mark.parametrize("document", ["the Gora Communique", "the Tarn Roadmap", "the Lusk Armistice"])
def test_a_named_document_or_truce_is_no_actor(document: str) -> None:
    actors = _propose(f"Valdorian rebels rejected {document} on Monday.").actors
    assert [a.name for a in actors] == ["Valdorian rebels"]


@pytest.mark.parametrize("noun", ["defence contractor", "opposition bloc", "lender"])
def test_a_name_set_beside_an_organisation_noun_is_no_person(noun: str) -> None:
    actors = _propose(
        f"The {noun} Lusk Tarn said on Monday that Varnia must withdraw its troops from the "
        "town of Gora."
    ).actors
    assert ("Lusk Tarn", "other") in [(a.name, a.type) for a in actors]


@pytest.mark.parametrize("sent", ["Inspectors", "Monitors", "Observers"])
def test_people_sent_from_a_body_stand_for_it_in_a_meeting(sent: str) -> None:
    meetings = _propose(f"{sent} from the Lusk Agency met Minister Elena Dask in Gora on Monday.").meetings
    assert [m.participants for m in meetings] == [("lusk agency", "elena dask")]


@pytest.mark.parametrize(
    ("addressed", "name"),
    [("its allies", "its allies"), ("international donors", "international donors"), ("world powers", "world powers")],
)
def test_an_addressed_collective_of_states_or_donors_is_an_actor(addressed: str, name: str) -> None:
    proposals = _propose(f"Minister Elena Dask urged {addressed} to stop the fighting in Gora on Monday.")
    assert (name, "other") in [(a.name, a.type) for a in proposals.actors]
    assert [p.target for p in proposals.positions] == [name]


@pytest.mark.parametrize(
    ("formal", "country"),
    [
        ("The People's Republic of China", "China"),
        ("The Independent State of Samoa", "Samoa"),
        ("The Federative Republic of Brazil", "Brazil"),
    ],
)
def test_more_formal_names_of_a_state_are_the_country(formal: str, country: str) -> None:
    actors = _propose(
        f"{formal} said on Monday that Belmark must withdraw its troops from the town of Gora."
    ).actors
    assert [(a.name, a.type) for a in actors] == [(country, "country")]


@pytest.mark.parametrize("preposition", ["along", "throughout", "within", "beyond"])
def test_a_name_after_a_locative_preposition_is_a_place_in_the_whole_article(preposition: str) -> None:
    actors = _propose(
        f"Valdorian rebels attacked positions {preposition} Moreno Tesh on Monday. Moreno Tesh "
        "was quiet on Tuesday."
    ).actors
    assert [a.name for a in actors] == ["Valdorian rebels"]


@pytest.mark.parametrize(
    ("body", "name"),
    [("the Tarn Institute on Security", "Tarn Institute on Security"), ("the Contact Group on Varnia", "Contact Group on Varnia")],
)
def test_a_body_continued_by_on_and_a_name_is_one_name(body: str, name: str) -> None:
    actors = _propose(f"{body} said on Monday that Belmark must withdraw its troops from the town of Gora.").actors
    assert name in [a.name for a in actors]


@pytest.mark.parametrize("forces", ["Varnian airmen", "Varnian troopers"])
def test_airmen_and_troopers_of_a_state_are_its_military(forces: str) -> None:
    actors = _propose(f"{forces} attacked the town of Gora on Monday.").actors
    assert [(a.name, a.type) for a in actors] == [(forces, "military")]


def test_a_persons_leadership_is_no_government_body() -> None:
    actors = _propose(
        "Varnia, under President Elena Dask's leadership, said on Monday that Belmark must "
        "withdraw its troops from Gora."
    ).actors
    assert not any(a.type == "government_body" for a in actors)


@pytest.mark.parametrize(
    "credit",
    ["Tomas Holm in Lusk contributed to this report.", "Anton Kral and Tomas Holm contributed reporting."],
)
def test_reporters_in_a_contributed_credit_line_are_no_actors(credit: str) -> None:
    actors = _propose(f"Varnia shelled the town of Gora on Monday. {credit}").actors
    assert [a.name for a in actors] == ["Varnia"]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Elena Dask huddled with Tomas Holm in Lusk on Monday.", "bilateral"),
        ("Elena Dask consulted with Tomas Holm in Lusk on Monday.", "bilateral"),
        ("Elena Dask greeted Tomas Holm in Lusk on Monday.", "bilateral"),
        ("Elena Dask dialled Tomas Holm on Monday.", "call"),
        ("Elena Dask summoned Tomas Holm on Monday.", "bilateral"),
        ("Elena Dask contacted Tomas Holm on Monday.", "bilateral"),
    ],
)
def test_verbs_of_encounter_and_contact_are_meetings(text: str, fmt: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.format) for m in meetings] == [(("elena dask", "tomas holm"), fmt)]


def test_an_encounter_verb_with_no_actor_object_is_no_meeting() -> None:
    assert _propose("Elena Dask greeted the news with relief on Monday.").meetings == ()


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Elena Dask had an audience with Tomas Holm in Lusk on Monday.", "bilateral"),
        ("Elena Dask held a working dinner with Tomas Holm in Lusk on Monday.", "bilateral"),
        ("Elena Dask had a tete-a-tete with Tomas Holm in Lusk on Monday.", "bilateral"),
        ("Elena Dask held a videoconference with Tomas Holm on Monday.", "call"),
        ("Elena Dask held bilaterals with Tomas Holm in Lusk on Monday.", "bilateral"),
    ],
)
def test_nouns_of_encounters_are_meetings(text: str, fmt: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.format) for m in meetings] == [(("elena dask", "tomas holm"), fmt)]


@pytest.mark.parametrize(
    "text",
    [
        "Elena Dask spoke with Tomas Holm over a hotline on Monday.",
        "Elena Dask held a telephonic conversation with Tomas Holm on Monday.",
        "Elena Dask met Tomas Holm remotely on Monday.",
    ],
)
def test_words_of_phone_and_video_channels_make_a_call(text: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("elena dask", "tomas holm"), "call")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The summit between Varnia and Belmark was shelved on Monday.",
        "Varnia ruled out a meeting with Belmark on Monday.",
        "Varnia announced the postponement of its talks with Belmark.",
        "Varnia broke off the talks with Belmark on Monday.",
    ],
)
def test_shelved_ruled_out_and_postponed_meetings_are_cancelled(text: str) -> None:
    meetings = _propose(text).meetings
    assert [m.status for m in meetings] == ["cancelled"]


@pytest.mark.parametrize("verb", ["refused", "declined"])
def test_a_refused_meeting_is_not_planned(verb: str) -> None:
    meetings = _propose(f"Elena Dask {verb} to meet Tomas Holm on Monday.").meetings
    assert [m.status for m in meetings] == ["cancelled"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia announced a forthcoming summit with Belmark on Monday.",
        "Varnia announced the planned summit with Belmark on Monday.",
        "Varnia announced the proposed talks with Belmark on Monday.",
        "Talks between Varnia and Belmark are slated for May.",
    ],
)
def test_planned_forthcoming_and_slated_meetings_are_planned(text: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.status) for m in meetings] == [(("varnia", "belmark"), "planned")]


def test_a_planned_meeting_called_off_is_cancelled() -> None:
    meetings = _propose("The planned summit between Varnia and Belmark was cancelled.").meetings
    assert [m.status for m in meetings] == ["cancelled"]


def test_a_meeting_one_said_one_would_hold_is_planned() -> None:
    meetings = _propose("Elena Dask said she would meet Tomas Holm in Lusk.").meetings
    assert [m.status for m in meetings] == ["planned"]


@pytest.mark.parametrize(
    "text",
    [
        "Varnia denied a rumoured meeting with Belmark on Monday.",
        "Varnia denied the mooted summit with Belmark on Monday.",
        "Varnia welcomed future talks with Belmark on Monday.",
    ],
)
def test_rumoured_mooted_and_future_meetings_are_no_meetings(text: str) -> None:
    assert _propose(text).meetings == ()


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Varnia and Belmark held talks chaired by Gora in Lusk on Monday.", 3),
        ("Varnia held talks with Belmark convened by Gora on Monday.", 3),
        ("Varnia joined a meeting organised by Gora on Monday.", 2),
    ],
)
def test_who_chairs_convenes_or_organises_a_meeting_takes_part(text: str, parties: int) -> None:
    meetings = _propose(text).meetings
    assert [("gora" in m.participants, len(m.participants)) for m in meetings] == [(True, parties)]


@pytest.mark.parametrize("verb", ["chaired", "addressed", "opened"])
def test_one_who_chairs_or_addresses_the_meeting_told_before_takes_part(verb: str) -> None:
    meetings = _propose(
        "Elena Dask and Tomas Holm met in Lusk on Monday. The talks lasted three hours. "
        f"Ilse Adler {verb} the talks."
    ).meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("elena dask", "tomas holm", "ilse adler"), "multilateral")
    ]


def test_homologues_despatched_envoys_and_talks_amongst_parties() -> None:
    homologue = _propose("Foreign Minister Elena Dask talked by phone with her Varnian homologue.")
    assert [m.participants for m in homologue.meetings] == [
        ("elena dask", "varnian foreign minister")
    ]
    envoy = _propose("Varnia said it is despatching a senior diplomat to Chad this week.")
    assert [m.participants for m in envoy.meetings] == [("senior diplomat", "chad")]
    amongst = _propose("Talks were held amongst Chad, Niger and Mali.")
    assert [m.participants for m in amongst.meetings] == [("chad", "niger", "mali")]


def test_fresh_talks_are_the_next_round_of_the_meeting_told_before() -> None:
    meetings = _propose(
        "Elena Dask and Tomas Holm met in Lusk on Monday. They agreed to hold fresh talks in May."
    ).meetings
    assert [(m.participants, m.status) for m in meetings] == [
        (("elena dask", "tomas holm"), "occurred"),
        (("elena dask", "tomas holm"), "planned"),
    ]


def test_to_names_the_host_of_a_visit_but_not_the_addressee_of_a_call() -> None:
    visit = _propose("Elena Dask of Varnia began a visit to Chad on Monday.")
    assert [m.participants for m in visit.meetings] == [("elena dask of varnia", "chad")]
    spoke = _propose("Niger talked to Chad about the border on Monday.")
    assert [m.participants for m in spoke.meetings] == [("niger", "chad")]
    appeal = _propose("Niger renewed its call to Chad to withdraw its troops.")
    assert appeal.meetings == ()


def test_a_phrasal_verb_of_meeting_sat_down_with() -> None:
    meetings = _propose("Elena Dask sat down with Tomas Holm in Lusk on Monday.").meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("elena dask", "tomas holm"), "bilateral")
    ]
    assert _propose("Elena Dask sat on the Arden Council with Tomas Holm.").meetings == ()


@pytest.mark.parametrize("verb", ["dined", "lunched", "reconvened"])
def test_working_meals_and_reconvened_talks_are_meetings(verb: str) -> None:
    meetings = _propose(f"Elena Dask {verb} with Tomas Holm in Lusk on Monday.").meetings
    assert [m.participants for m in meetings] == [("elena dask", "tomas holm")]


def test_a_gathering_of_troops_is_no_meeting() -> None:
    proposals = _propose("Niger reported a gathering of Chadian forces near the border.")
    assert proposals.meetings == ()


@pytest.mark.parametrize(
    "text",
    [
        "Talks between Chad and Niger aimed at ending the war on Monday.",
        "Talks between Chad and Niger were intended to end the war.",
    ],
)
def test_talks_with_an_aim_are_held_not_planned(text: str) -> None:
    assert [m.status for m in _propose(text).meetings] == ["occurred"]


@pytest.mark.parametrize(
    ("text", "status", "fmt"),
    [
        ("The summit between Chad and Niger was rescheduled for May.", "planned", "bilateral"),
        ("Chad scuttled the summit with Niger.", "cancelled", "bilateral"),
        ("Chad spoke with Niger over Skype on Monday.", "occurred", "call"),
    ],
)
def test_rescheduled_scuttled_and_skype_meetings(text: str, status: str, fmt: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.status, m.format) for m in meetings] == [
        (("chad", "niger"), status, fmt)
    ]


@pytest.mark.parametrize("phrase", ["Throughout the talks", "At the opening of the talks"])
def test_one_at_the_talks_throughout_or_at_their_opening_joins_them(phrase: str) -> None:
    meetings = _propose(
        f"Elena Dask and Tomas Holm met in Lusk on Monday. {phrase}, Ilse Adler urged calm."
    ).meetings
    assert [(m.participants, m.sentences) for m in meetings] == [
        (("elena dask", "tomas holm", "ilse adler"), (1, 2))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Chad requested a meeting with Niger.",
        "Chad sought talks with Niger on Monday.",
        "Chad offered talks to Niger.",
    ],
)
def test_a_meeting_asked_for_or_offered_is_planned(text: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.status) for m in meetings] == [(("chad", "niger"), "planned")]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Chad rejected the proposal during talks with Niger on Monday.", "occurred"),
        ("Chad suspended its strikes during talks with Niger on Monday.", "occurred"),
        ("Chad dropped its demands at the talks with Niger on Monday.", "occurred"),
        ("Chad announced a delay in the talks with Niger.", "cancelled"),
        ("Chad cancelled its participation in the talks with Niger.", "cancelled"),
    ],
)
def test_an_act_cancelled_at_a_meeting_does_not_cancel_the_meeting(text: str, status: str) -> None:
    assert [m.status for m in _propose(text).meetings] == [status]


def test_a_demand_made_during_talks_leaves_them_held() -> None:
    meetings = _propose("Chad demanded an apology during talks with Niger on Monday.").meetings
    assert [m.status for m in meetings] == ["occurred"]
    plans = _propose("Chad plans to raise the issue at the talks with Niger.").meetings
    assert [m.status for m in plans] == ["planned"]


@pytest.mark.parametrize(
    "text",
    [
        "Elena Dask refused to comment on the report.",
        "Elena Dask declined to comment on the report.",
        "Varnia refused to say whether its troops had crossed the border.",
    ],
)
def test_refusing_to_speak_is_no_position(text: str) -> None:
    assert _propose(text).positions == ()
    refused = _propose("Elena Dask refused to withdraw her demand for an apology.").positions
    assert [(p.holder, p.kind) for p in refused] == [("elena dask", "denial")]


@pytest.mark.parametrize(
    "text",
    [
        "Belmark seized the Ostrel valley in 2019, and the region has been tense since.",
        "Varnian troops fought the rebels for Lusk in March 2029, before the truce.",
    ],
)
def test_a_development_dated_a_year_or_more_before_publication_is_background(text: str) -> None:
    assert _propose(text).developments == ()


def test_a_development_of_the_past_months_is_news() -> None:
    text = "Varnian troops captured the town of Gora in November 2030."
    assert _development(text).type == "territorial_change"


def test_an_event_with_no_agent_takes_the_force_its_sentence_names() -> None:
    development = _development(
        "Heavy fighting was reported near Gora on Monday as Valdorian troops pushed north."
    )
    assert development.actors == ("forces of valdorian",)


def test_the_force_an_event_is_done_to_is_not_its_agent() -> None:
    development = _development("Rebels shelled Valdorian troops near Gora on Monday.")
    assert "forces of valdorian" not in development.actors


def test_a_city_in_capitals_run_into_the_first_sentence_is_no_part_of_a_name() -> None:
    proposals = _propose(
        "OSTREL U.S. warplanes carried out air strikes on militants in Varnia on Friday."
    )
    assert [a.name for a in proposals.actors] == ["U.S. warplanes"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("NATO warplanes struck a depot in Gora on Monday.", "NATO warplanes"),
        ("HAMAS fighters attacked a post near Gora on Monday.", "HAMAS"),
    ],
)
def test_a_known_body_in_capitals_opening_the_article_is_no_dateline(text: str, name: str) -> None:
    assert [a.name for a in _propose(text).actors] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Varnian drones struck Lusk overnight in the heaviest attack since 2029.",
        "Belmark fired a missile at Lusk on Monday, its first launch since 2027.",
    ],
)
def test_a_date_a_noun_is_measured_from_is_not_the_events_date(text: str) -> None:
    development = _development(text)
    assert development.date in (None, "Monday")


def test_forces_a_pronoun_owns_are_those_of_the_body_or_state_it_refers_to() -> None:
    by_state = _development(
        "Chile's Defence Ministry reported that its units captured Ostrel after a two-day push."
    )
    assert by_state.actors == ("forces of chile",)
    by_armed_body = _development(
        "The Varnian Defence Staff reported that its units captured Ostrel after a two-day push."
    )
    assert by_armed_body.actors == ("varnian defence staff",)
    # forces only moved, not acting, are no actor of their own (contract rule 23)
    moved = _propose("Valdoria must withdraw its troops from Gora, the Lusk Times said.")
    assert [a.name for a in moved.actors] == ["Valdoria"]


def test_a_defence_staff_is_a_military_body_not_a_person() -> None:
    actors = _propose("The Varnian Defence Staff said its units repelled an assault.").actors
    assert [(a.name, a.type) for a in actors] == [("Varnian Defence Staff", "military")]


def test_a_place_is_placed_by_its_nearest_preposition() -> None:
    # "for Brazil's tanks", joined to "from neighbours": the nearest preposition places nothing
    development = _development(
        "Peru hoped to get spare parts from neighbours or for Brazil's retired tanks. Chilean"
        " troops shelled the border overnight."
    )
    assert development.location is None


def test_attacks_on_a_list_of_front_stretches_are_ground_fighting() -> None:
    development = _development(
        "Valdorian forces made 33 attacks on the Lusk, Ostrel, and Tarn directions."
    )
    assert development.type == "armed_clash"


def test_plural_fires_are_blazes_not_shelling() -> None:
    proposals = _propose("Fires burned through the night at a fuel depot near Ostrel, officials said.")
    assert proposals.developments == ()


@pytest.mark.parametrize(
    "text",
    [
        "Chilean troops shelled Peru's border posts on Monday, and Peruvian artillery fired back."
        " Both governments accused each other of provoking the incident.",
        "Chilean troops shelled Peru's border posts on Monday, and Peruvian artillery fired back."
        " The two capitals traded accusations of provoking the incident.",
    ],
)
def test_reciprocal_accusations_are_one_accusation_of_each_side(text: str) -> None:
    accusations = [
        (p.holder, p.sentence) for p in _propose(text).positions if p.kind == "accusation"
    ]
    assert sorted(accusations) == [("forces of chile", 2), ("peru", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "Chile and Peru traded sharp accusations on Monday.",  # of nothing said
        "The two ministers hugged each other after the talks in Lima.",  # no accusation
    ],
)
def test_reciprocal_words_alone_are_no_accusation(text: str) -> None:
    assert [p for p in _propose(text).positions if p.kind == "accusation"] == []


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("Minister Elena Dask described the raid on Ostrel as a crime.", ()),
        ("The Sarn Front claimed the attack on Ostrel.", ("sarn front",)),
    ],
)
def test_who_tells_of_an_event_is_no_agent_of_it_unless_telling_its_own_act(
    text: str, actors: tuple[str, ...]
) -> None:
    assert _development(text).actors == actors


def test_a_past_event_dated_by_a_weekday_is_not_moved_to_next_week_by_a_later_will() -> None:
    article = article_from_text(
        "Valdorian troops shelled Gora on Thursday, raising fears that Belmark will retaliate.",
        id="invented",
        metadata={"published": "2031-03-07"},  # a Friday
    )
    (development,) = proposals_briefing(article, propose(article)).military_developments
    assert development.date is not None
    assert development.date.value == "2031-03-06"


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        ("Chilean and Peruvian officials held talks in Lima on Monday.", ("chile", "peru")),
        ("Officials of Chile and Peru met in Lima on Monday.", ("chile", "peru")),
        # an office named: the ministers are persons the article names, not their states
        ("The foreign ministers of Chile and Peru met in Lima on Monday.", None),
    ],
)
def test_officials_of_no_stated_office_meet_for_the_parties_they_serve(
    text: str, participants: tuple[str, ...] | None
) -> None:
    meetings = _propose(text).meetings
    assert [m.participants for m in meetings] == ([participants] if participants else [])


@pytest.mark.parametrize(
    ("text", "holder", "alias"),
    [
        (
            "Chile and Peru traded fire on Monday. Chile's foreign ministry said the offer was a"
            " trap.",
            "chile",
            "Chile's foreign ministry",
        ),
        ("The Chilean Defence Ministry said the offer was a trap.", "chile", "Chilean Defence Ministry"),
        ("The Chilean embassy in Lima said the offer was a trap.", "chile", "Chilean embassy"),
        # the government, when the article makes it an actor of its own
        (
            "The Chilean government met Peru's envoy on Monday. The Chilean foreign ministry said"
            " the offer was a trap.",
            "government of chile",
            "Chilean foreign ministry",
        ),
    ],
)
def test_a_ministry_speaks_for_its_state(text: str, holder: str, alias: str) -> None:
    proposals = _propose(text)
    assert [p.holder for p in proposals.positions] == [holder]
    (actor,) = [a for a in proposals.actors if a.key == holder]
    assert alias in actor.aliases


def test_a_ministry_that_only_relays_a_fact_makes_no_actor_of_its_state() -> None:
    proposals = _propose("Peru fired a rocket into the sea on Monday, Chile's defence ministry said.")
    assert "chile" not in [a.key for a in proposals.actors]


def test_a_past_event_told_at_second_hand_is_no_position() -> None:
    text = (
        "Defence Minister Elena Dask said the Lusk Courier had reported that Chilean units crossed"
        " the river."
    )
    assert _propose(text).positions == ()


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan President Joseph Oduya was received by Chilean President Marco Ilves on Tuesday.",
        "Kenyan President Joseph Oduya was hosted by Chilean President Marco Ilves on Tuesday.",
        # a gerund after a preposition: its subject is the clause's
        "Chilean President Marco Ilves told reporters after meeting Kenyan President Joseph Oduya"
        " that progress had been made.",
    ],
)
def test_a_meeting_told_in_the_passive_or_by_a_gerund_has_both_parties(text: str) -> None:
    meetings = _propose(text).meetings
    assert [set(m.participants) for m in meetings] == [{"marco ilves", "joseph oduya"}]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Chilean troops retook the town of Ostrel on Monday.", "territorial_change"),
        ("Chilean troops stormed the town of Ostrel on Monday.", "armed_clash"),
        ("Chile sent two warships to the Lusk Strait on Monday.", "deployment"),
        ("Chile test-fired a new cruise missile on Monday.", "weapons_launch_or_test"),
        ("Peru launched a barrage of rockets at the port of Ostrel on Monday.",
         "shelling_or_missile_strike"),
    ],
)
def test_event_words_past_the_lemmatizer_and_the_volley_nouns(text: str, kind: str) -> None:
    assert _development(text).type == kind


def test_a_titled_person_of_a_state_is_a_person_and_the_state_apart() -> None:
    proposals = _propose(
        "President Marco Ilves of Chile met Prime Minister Ruth Wanjala of Kenya on Monday."
    )
    assert {a.key: a.type for a in proposals.actors} == {
        "marco ilves": "person",
        "ruth wanjala": "person",
    }
    assert [m.participants for m in proposals.meetings] == [("marco ilves", "ruth wanjala")]


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        ("A spokesman for the Chilean army said the offer was a trap.", "forces of chile"),
        ("A spokesman for Chile's foreign ministry said the offer was a trap.", "chile"),
        # named, the spokesperson holds it in their own name
        (
            "A spokesman for the Chilean army, Colonel Pablo Reyes, said the offer was a trap.",
            "pablo reyes",
        ),
    ],
)
def test_an_unnamed_spokesperson_speaks_for_the_body(text: str, holder: str) -> None:
    assert [p.holder for p in _propose(text).positions] == [holder]


def test_an_event_noun_points_back_only_to_a_development_of_its_kind() -> None:
    text = (
        "Chile and Peru agreed on Friday to a truce along their border. "
        "Peru's army said its troops had repelled a Chilean assault near Tacora on Thursday. "
        "Peru said three soldiers were killed in the assault. "
        "Chile shelled the port of Ostrel on Wednesday. "
        "The shelling damaged a school. "
        "Fighting also broke out near Lusk. "
        "Oil prices rose on the news. "
        "Kenya welcomed the truce."
    )
    developments = _propose(text).developments
    assert [(d.type, d.sentences) for d in developments] == [
        ("ceasefire_or_truce", (1, 8)),
        ("armed_clash", (2, 3)),
        ("shelling_or_missile_strike", (4, 5)),
        ("armed_clash", (6,)),
    ]
    assert developments[0].date == "Friday"  # the day the truce was agreed


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Chilean Foreign Minister Elena Dask will travel to Nairobi next week for talks with"
            " Peruvian Foreign Minister Tomas Virel.",
            "planned",
        ),
        (
            "Chilean Foreign Minister Elena Dask flew to Nairobi on Monday for talks with Peruvian"
            " Foreign Minister Tomas Virel.",
            "occurred",
        ),
    ],
)
def test_a_journey_for_talks_is_a_meeting_of_the_traveller(text: str, status: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.status) for m in meetings] == [
        (("elena dask", "tomas virel"), status)
    ]


def test_a_title_set_before_an_apposed_name_is_that_persons_not_an_actor() -> None:
    proposals = _propose("The UN Secretary-General, Lars Enqvist, welcomed the truce.")
    assert [a.key for a in proposals.actors] == ["lars enqvist"]
    assert [p.holder for p in proposals.positions] == ["lars enqvist"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Chilean President Marco Ilves received a phone call from Kenyan President Joseph"
            " Oduya on Monday.",
            "call",
        ),
        (
            "Chilean President Marco Ilves said after talks with Kenyan President Joseph Oduya"
            " that trade would grow.",
            "bilateral",
        ),
    ],
)
def test_a_call_from_someone_and_talks_told_after_are_meetings(text: str, kind: str) -> None:
    meetings = _propose(text).meetings
    assert [(m.participants, m.format) for m in meetings] == [
        (("marco ilves", "joseph oduya"), kind)
    ]


@pytest.mark.parametrize(
    ("text", "kind", "actors"),
    [
        ("Chilean troops opened fire on a Peruvian patrol on Monday.", "armed_clash", None),
        ("Chilean guards fired warning shots at the Peruvian patrol on Monday.", "armed_clash", None),
        ("The Chilean army reinforced its positions along the border on Monday.", "deployment", None),
        # the accused is said to have done it
        ("Peru accused Chile on Monday of opening fire on a border patrol.", "armed_clash", ("chile",)),
        ("Peru blamed Chile for the attack on the port of Ostrel.", "air_or_drone_strike", ("chile",)),
    ],
)
def test_shooting_reinforcing_and_the_accused_as_agent(
    text: str, kind: str, actors: tuple[str, ...] | None
) -> None:
    development = _development(text)
    assert development.type == kind
    if actors is not None:
        assert development.actors == actors
        assert development.status == "claimed"


def test_people_from_a_state_are_no_place_of_their_meeting() -> None:
    (meeting,) = _propose("Negotiators from Chile and Peru met in Geneva on Monday.").meetings
    assert (meeting.participants, meeting.location) == (("chile", "peru"), "Geneva")


def test_a_named_brigades_is_an_armed_group() -> None:
    (actor,) = _propose("The Kestrel Brigades said they would fight on.").actors
    assert (actor.key, actor.type) == ("kestrel brigades", "armed_group")


@pytest.mark.parametrize(
    "text",
    [
        "The two sides remained far apart on the terms of a truce.",
        "The talks focused on a possible truce.",
        "Chile rejected a proposed ceasefire.",
    ],
)
def test_a_truce_only_talked_about_is_no_development(text: str) -> None:
    assert _propose(text).developments == ()


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        ("Chilean President Marco Ilves said Chile wanted peace.", "marco ilves"),
        # one who does not hold an office of that state relays its position
        ("Chilean analyst Tomas Holm said Peru had agreed to the plan.", "peru"),
    ],
)
def test_an_officeholder_voices_the_position_of_their_state(text: str, holder: str) -> None:
    assert [p.holder for p in _propose(text).positions] == [holder]
