"""Labelling aid: number an article's sentences, and turn a draft label into a gold file.

A person labels by reading; this script only does the mechanical parts, so that no one
retypes article text and no article text is committed:

    python evals/label.py sentences ID --articles ../shared/corpus
    python evals/label.py freeze DRAFT.json [DRAFT.json ...] --articles ../shared/corpus --out evals/gold

In a draft, an evidence span may be a sentence number from ``sentences`` (``3``), a verbatim
``{"text": ...}`` or ``{"start", "end"}``; a ``quote`` may be the quoted words as a string.
``freeze`` validates the draft against the contract (every span and quote must be in the
article) and writes the gold file with offsets only. It refuses a draft that breaks the
contract and says why, and writes nothing for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from summarizer.article import Article, load_article
from summarizer.contract import Briefing
from summarizer.errors import ContractError
from summarizer.gold import load_gold

_SECTIONS = ("actors", "meetings", "military_developments", "stated_positions")


def print_sentences(article: Article) -> None:
    """One line per sentence: number, offsets, text (for the labeller's eyes only)."""
    for sentence in article.sentences:
        print(f"[{sentence.number}] {sentence.start}:{sentence.end} {sentence.text}")


def _span_from_draft(span: Any, article: Article) -> Any:
    if isinstance(span, int) and not isinstance(span, bool):
        by_number = {sentence.number: sentence for sentence in article.sentences}
        if span not in by_number:
            raise ContractError(f"there is no sentence {span} (the article has {len(by_number)})")
        return {"start": by_number[span].start, "end": by_number[span].end}
    return span


def _quote_as_offsets(quote: Any, text: str) -> Any:
    if not isinstance(quote, str):
        return quote
    index = text.find(quote)
    if index < 0:
        raise ContractError(f"quote is not verbatim in the article: {quote[:60]!r}")
    return {"start": index, "end": index + len(quote)}


def freeze(draft_path: Path, articles_dir: Path, out_dir: Path) -> Path:
    """Validate one draft and write it as an offsets-only gold file; return its path."""
    draft = json.loads(draft_path.read_text(encoding="utf-8"))
    article_id = draft.get("article", {}).get("id") or draft_path.stem
    article = load_article(articles_dir / f"{article_id}.txt")
    for section in _SECTIONS:
        for item in draft.get(section, []):
            item["evidence"] = [_span_from_draft(span, article) for span in item.get("evidence", [])]
            if "quote" in item:
                item["quote"] = _quote_as_offsets(item["quote"], article.text)
    draft["article"] = {"id": article_id}
    briefing = Briefing.model_validate(draft, context={"article_text": article.text})
    gold = briefing.model_dump(mode="json", exclude={"provenance"})
    gold["article"] = {"id": article_id}
    for section in _SECTIONS:
        for item in gold[section]:
            item["evidence"] = [{"start": span["start"], "end": span["end"]} for span in item["evidence"]]
            if item.get("quote") is not None:
                item["quote"] = _quote_as_offsets(item["quote"], article.text)
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / f"{article_id}.json"
    out_path.write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    load_gold(out_path, articles_dir)  # the written file must load back exactly
    return out_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    corpus = argparse.ArgumentParser(add_help=False)
    corpus.add_argument("--articles", type=Path, default=Path("../shared/corpus"))
    commands = parser.add_subparsers(dest="command", required=True)
    sentences = commands.add_parser("sentences", parents=[corpus], help="number an article's sentences")
    sentences.add_argument("article_id")
    frozen = commands.add_parser("freeze", parents=[corpus], help="validate drafts and write offsets-only gold files")
    frozen.add_argument("drafts", nargs="+", type=Path)
    frozen.add_argument("--out", type=Path, default=Path("evals/gold"))
    args = parser.parse_args(argv)

    if args.command == "sentences":
        print_sentences(load_article(args.articles / f"{args.article_id}.txt"))
        return 0
    failed = 0
    for draft in args.drafts:
        try:
            print(f"wrote {freeze(draft, args.articles, args.out)}")
        except Exception as exc:  # every draft is tried; each failure is named
            failed += 1
            print(f"{draft}: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
