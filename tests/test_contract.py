import json

import pytest
from pydantic import ValidationError

from summarizer.contract import Briefing, DateRef, briefing_json_schema
from summarizer.resources import data_dir

TEXT = "Ana Petrov met Jonas Holm in Lisk. \"We want a fair deal,\" Petrov said."


def briefing(**changes):
    data = {
        "article": {"id": "t"},
        "summary": "Two ministers met.",
        "actors": [
            {"id": "ana-petrov", "name": "Ana Petrov", "type": "person", "evidence": [{"start": 0, "end": 34}]},
            {"id": "jonas-holm", "name": "Jonas Holm", "type": "person", "evidence": [{"text": "Ana Petrov met Jonas Holm in Lisk."}]},
        ],
        "meetings": [{"participants": ["ana-petrov", "jonas-holm"], "format": "bilateral", "status": "occurred",
                      "date": {"value": "2024-05", "text": "in May"}, "evidence": [{"start": 0, "end": 34}]}],
        "stated_positions": [{"holder": "ana-petrov", "kind": "demand", "topic": "deal", "position": "A fair deal.",
                              "quote": {"start": 36, "end": 55}, "evidence": [{"start": 35, "end": len(TEXT)}]}],
    }
    data.update(changes)
    return data


def test_gold_style_spans_are_completed_from_the_article():
    b = Briefing.model_validate(briefing(), context={"article_text": TEXT})
    assert b.actors[0].evidence[0].text == "Ana Petrov met Jonas Holm in Lisk."
    assert b.actors[1].evidence[0].start == 0
    assert b.stated_positions[0].quote == "We want a fair deal"


def test_span_not_in_article_is_an_error():
    data = briefing()
    data["actors"][0]["evidence"] = [{"start": 0, "end": 10, "text": "Not there!"}]
    with pytest.raises(ValidationError, match="not in the article"):
        Briefing.model_validate(data, context={"article_text": TEXT})
    data["actors"][0]["evidence"] = [{"text": "Invented sentence."}]
    with pytest.raises(ValidationError, match="not in the article"):
        Briefing.model_validate(data, context={"article_text": TEXT})


@pytest.mark.parametrize("change, message", [
    ({"meetings": [{"participants": ["ana-petrov", "ghost"], "format": "call", "status": "occurred",
                    "evidence": [{"start": 0, "end": 34}]}]}, "unknown actor 'ghost'"),
    ({"stated_positions": [{"holder": "nobody", "kind": "demand", "topic": "x", "position": "y",
                            "evidence": [{"start": 0, "end": 34}]}]}, "unknown actor 'nobody'"),
])
def test_dangling_references_are_errors(change, message):
    with pytest.raises(ValidationError, match=message):
        Briefing.model_validate(briefing(**change), context={"article_text": TEXT})


def test_duplicate_actor_ids_and_bad_enums_are_errors():
    data = briefing()
    data["actors"][1]["id"] = "ana-petrov"
    with pytest.raises(ValidationError, match="not unique"):
        Briefing.model_validate(data, context={"article_text": TEXT})
    data = briefing()
    data["meetings"][0]["format"] = "telepathy"
    with pytest.raises(ValidationError, match="format"):
        Briefing.model_validate(data, context={"article_text": TEXT})


@pytest.mark.parametrize("value, ok", [("2024-12-04", True), ("2024-12", True), ("2024", True), (None, True),
                                       ("2024-13", False), ("2024-02-30", False), ("Dec 4", False)])
def test_date_values_are_iso_of_stated_precision(value, ok):
    if ok:
        assert DateRef(value=value, text="x").value == value
    else:
        with pytest.raises(ValidationError):
            DateRef(value=value, text="x")


def test_committed_schema_matches_the_models():
    committed = json.loads((data_dir("schemas") / "briefing.v1.schema.json").read_text(encoding="utf-8"))
    assert committed == briefing_json_schema(), "run: summarizer schema > schemas/briefing.v1.schema.json"
