"""The parsed-document stage: offsets, sentence numbers, and the pipeline's digest check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer.article import article_from_text
from summarizer.errors import ConfigurationError
from summarizer.parsing import (
    MANIFEST,
    _model_dir,
    load_pipeline,
    parse,
    read_manifest,
    verify_model,
)

TEXT = """Varnia and Belmark clash at the border

Foreign Minister Elena Dask met the Belmark envoy in Lusk on Tuesday. \
"We will not retreat," said the minister.

Twenty-five people were killed in the blast."""


@pytest.fixture(scope="module")
def parsed():  # type: ignore[no-untyped-def]
    return parse(article_from_text(TEXT, id="border", metadata={"published": "2031-03-06"}))


def test_tokens_and_entities_index_the_article_text(parsed) -> None:  # type: ignore[no-untyped-def]
    text = parsed.article.text
    assert parsed.tokens, "nothing parsed"
    for token in parsed.tokens:
        assert text[token.start : token.end] == token.text
    for entity in parsed.entities:
        assert text[entity.start : entity.end] == entity.text
    assert any(e.label == "DATE" and e.text == "Tuesday" for e in parsed.entities)


def test_tokens_carry_the_article_sentence_numbers(parsed) -> None:  # type: ignore[no-untyped-def]
    sentences = parsed.article.sentences
    assert len(sentences) == 3
    for sentence in sentences:
        tokens = parsed.sentence(sentence.number)
        assert tokens and all(t.sentence == sentence.number for t in tokens)
        assert tokens[0].start >= sentence.start and tokens[-1].end <= sentence.end
    killed = next(t for t in parsed.tokens if t.text == "killed")
    assert (killed.sentence, killed.lemma, killed.pos) == (3, "kill", "VERB")
    # a tree never crosses a sentence: every head is in the token's own sentence
    assert all(parsed.head(t).sentence == t.sentence for t in parsed.tokens)


def test_dependencies_give_subject_and_object(parsed) -> None:  # type: ignore[no-untyped-def]
    met = next(t for t in parsed.tokens if t.text == "met")
    roles = {c.dep: c for c in parsed.children(met)}
    assert roles["nsubj"].text == "Dask" and roles["dobj"].text == "envoy"
    assert [t.text for t in parsed.subtree(roles["dobj"])] == ["the", "Belmark", "envoy"]


def test_the_manifest_covers_the_weight_files() -> None:
    files = read_manifest()["files"]
    for weights in ("tok2vec/model", "parser/model", "ner/model", "tagger/model"):
        assert len(files[weights]) == 64


def test_a_tampered_weight_file_is_refused_by_name(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(_model_dir(read_manifest()), copy)
    verify_model(copy, read_manifest()["files"])  # the untouched copy passes
    weights = copy / "ner" / "model"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ConfigurationError, match="ner/model"):
        load_pipeline(copy)


def test_a_missing_file_or_other_manifest_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(_model_dir(read_manifest()), copy)
    (copy / "parser" / "model").unlink()
    with pytest.raises(ConfigurationError, match="parser/model"):
        verify_model(copy, read_manifest()["files"])
    manifest = json.loads(MANIFEST.read_text())
    manifest["files"]["config.cfg"] = "0" * 64
    other = tmp_path / "manifest.json"
    other.write_text(json.dumps(manifest))
    with pytest.raises(ConfigurationError, match="config.cfg"):
        load_pipeline(manifest_path=other)
