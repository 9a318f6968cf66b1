import io
import json

import pytest

from summarizer import ArticleError, load_article, split_sentences
from summarizer.article import split_title_line

from .conftest import ARTICLES, SAMPLE


def test_txt_title_convention_and_metadata_beside_it():
    article = load_article(SAMPLE)
    assert article.id == "sample_article"
    assert article.title.startswith("Valdoria and Ruritania")
    assert article.text.startswith("ARDEN, March 12")
    assert article.published.isoformat() == "2025-03-12"
    assert article.source.startswith("Sample Wire")


def test_text_without_blank_second_line_has_no_title():
    assert split_title_line("One line.\nSecond line.") == (None, "One line.\nSecond line.")
    assert split_title_line("Title\r\n\r\nBody text.") == ("Title", "Body text.")


def test_json_article_and_mapping_and_stream(tmp_path):
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"text": "A met B.", "published": "2024-05-01T08:00:00Z"}))
    article = load_article(path)
    assert (article.id, article.text, article.published.isoformat()) == ("story", "A met B.", "2024-05-01")
    assert load_article({"id": "x", "text": "Hello there."}).id == "x"
    streamed = load_article(io.StringIO("Headline\n\nBody here."), id="s1")
    assert (streamed.id, streamed.title, streamed.text) == ("s1", "Headline", "Body here.")


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n\n  \t", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9 au lait", "not valid UTF-8"),
])
def test_unusable_files_get_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message):
        load_article(path)


def test_missing_file_and_malformed_metadata(tmp_path):
    with pytest.raises(ArticleError, match="no article file"):
        load_article(tmp_path / "absent.txt")
    (tmp_path / "a.txt").write_text("Title\n\nBody.")
    (tmp_path / "a.json").write_text("{not json")
    with pytest.raises(ArticleError, match="a.json is not valid JSON"):
        load_article(tmp_path / "a.txt")
    (tmp_path / "a.json").write_text('{"published": "not a date"}')
    with pytest.raises(ArticleError, match="published"):
        load_article(tmp_path / "a.txt")


def test_sentences_have_exact_offsets_and_respect_abbreviations():
    text = ("Fighting resumed on Nov. 27 near the U.S. base. The minister met Dr. Ivers in St. Mara.\n\n"
            "He said: \"We will stay.\" Talks continue.")
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Fighting resumed on Nov. 27 near the U.S. base.",
        "The minister met Dr. Ivers in St. Mara.",
        "He said: \"We will stay.\"",
        "Talks continue.",
    ]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert [s.number for s in sentences] == [1, 2, 3, 4]


def test_project_articles_split_cleanly():
    for path in [SAMPLE, *ARTICLES.glob("*.txt")]:
        article = load_article(path)
        assert article.sentences, path
        assert all(article.text[s.start:s.end] == s.text for s in article.sentences)


PAGE = ARTICLES / "pages" / "dessk_herald.html"


def test_an_html_page_gives_its_article_text_and_metadata():
    article = load_article(PAGE)
    assert article.id == "dessk_herald"
    assert article.title == "Quorvia shells border post near Lemt"
    assert article.published.isoformat() == "2025-06-04"
    assert (article.source, article.url) == ("Dessk Herald", "https://herald.example/world/quorvia-shells-border-post")
    assert article.text.startswith("Quorvian artillery shelled a border post near the town of Lemt")
    assert article.text.endswith("return to the talks suspended in May.")
    for chrome in ("Home", "Most read", "Copyright", "By Herald staff", "analytics", "<p>"):
        assert chrome not in article.text
    assert article.text.count("\n\n") == 3  # four paragraphs, as in a .txt article
    assert len(article.sentences) == 4
    assert all(article.text[s.start:s.end] == s.text for s in article.sentences)


def test_a_page_is_recognised_by_its_content_too(tmp_path):
    html = PAGE.read_text(encoding="utf-8")
    saved_as_text = tmp_path / "saved.txt"
    saved_as_text.write_text(html, encoding="utf-8")
    expected = load_article(PAGE).text
    assert load_article(saved_as_text).text == expected
    assert load_article(io.StringIO("\n  <html><body>" + html.split("<body>", 1)[1]), id="s").text == expected
    assert load_article(io.StringIO(html), id="s").title == "Quorvia shells border post near Lemt"


def test_metadata_beside_a_page_wins_and_no_date_is_guessed_from_the_text(tmp_path):
    undated = "\n".join(line for line in PAGE.read_text(encoding="utf-8").splitlines() if "published_time" not in line)
    (tmp_path / "page.htm").write_text(undated, encoding="utf-8")
    assert load_article(tmp_path / "page.htm").published is None  # "Copyright 2025" is no publication date
    (tmp_path / "page.json").write_text(json.dumps({"published": "2025-06-03", "source": "Wire copy"}))
    article = load_article(tmp_path / "page.htm")
    assert (article.published.isoformat(), article.source) == ("2025-06-03", "Wire copy")


@pytest.mark.parametrize("page", [
    "",
    "<!DOCTYPE html><html><head><title>Dessk Herald</title></head><body></body></html>",
    "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><footer>Copyright</footer></body></html>",
])
def test_a_page_without_article_text_is_an_article_error_naming_the_file(tmp_path, page):
    path = tmp_path / "front.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(ArticleError, match=r"front\.html: found no article text in the HTML page"):
        load_article(path)


def test_text_that_only_mentions_html_is_not_a_page():
    article = load_article(io.StringIO("Title\n\nThe <html> tag opens a page, the ministry's web team said."), id="t")
    assert article.text.startswith("The <html> tag")
