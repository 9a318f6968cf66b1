"""Score the parse's proposals alone, without a model, on each part of the split.

The proposals stage (summarizer/proposals.py) reads candidates for every section from the
spaCy parse; this scores the briefing made from those candidates alone against the gold set,
per section, on the tuning and the validation part, in a few seconds:

    python evals/proposals.py                      # the table
    python evals/proposals.py --errors tuning      # also each tuning article's section F1s

Look only at the tuning part's errors when changing a rule (evals/split.json).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from summarizer import parsing
from summarizer.gold import load_gold_set, load_split
from summarizer.proposal_briefing import proposals_briefing
from summarizer.proposals import propose
from summarizer.scoring import SECTIONS, score_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=Path("evals/gold"))
    parser.add_argument("--articles", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--split", type=Path, default=Path("evals/split.json"))
    parser.add_argument("--errors", choices=["tuning"], help="list the tuning articles' section F1s")
    args = parser.parse_args()

    split = load_split(args.split)
    nlp = parsing.pipeline()
    parts: dict[str, list] = {"tuning": [], "validation": []}
    started = time.perf_counter()
    pairs = load_gold_set(args.gold, args.articles)
    for article, gold in pairs:
        predicted = proposals_briefing(article, propose(article, parsing.parse(article, nlp)))
        parts[split.part_of(article.id) or "tuning"].append((predicted, gold))
    seconds = time.perf_counter() - started
    print(f"{len(pairs)} articles parsed and proposed in {seconds:.1f} s")
    print(f"{'part':<11}{'actors':>8}{'meetings':>10}{'military':>10}{'positions':>11}{'briefing':>10}")
    for part, items in parts.items():
        score = score_set(items)
        f1s = [getattr(score, section).f1 for section in SECTIONS]
        print(f"{part:<11}" + "".join(f"{f:>{w}.3f}" for f, w in zip(f1s, (8, 10, 10, 11), strict=True)) + f"{score.briefing_f1:>10.3f}")
        if args.errors == part:
            for article in score.articles:
                print(f"  {article.article_id[:40]:<41}"
                      + " ".join(f"{getattr(article, s).f1:.2f}" for s in SECTIONS))


if __name__ == "__main__":
    main()
