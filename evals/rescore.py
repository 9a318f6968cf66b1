"""Score an eval run's briefings again after re-running the rules that follow the model.

The completion (`completion.complete`) reads only the article, the actors and the items, so
a change to it can be measured on a stored run without calling the model:

    python evals/rescore.py RESULT.json [--gold evals/gold] [--articles ../shared/corpus]

RESULT.json is what `summarizer eval --out DIR` writes. The sections are rebuilt from the
stored actors alone, as the fast mode (`--passes actors`) builds them; actors a rule added
in the stored run stay as they were. A rule that reads the model's own answer (grounding)
needs `evals/replay.py` instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer.completion import complete
from summarizer.evaluate import EvalResult
from summarizer.gold import load_gold_set
from summarizer.grounding import drop_affiliation_countries
from summarizer.scoring import SECTIONS, score_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result")
    parser.add_argument("--gold", default="evals/gold")
    parser.add_argument("--articles", default="../shared/corpus")
    args = parser.parse_args()
    result = EvalResult.model_validate_json(Path(args.result).read_text(encoding="utf-8"))
    gold = {article.id: (article, briefing) for article, briefing in load_gold_set(args.gold, args.articles)}
    stored, rebuilt = [], []
    for article_id, predicted in result.predictions.items():
        article, expected = gold[article_id]
        actors, sections = complete(article, list(predicted.actors), {s: [] for s in SECTIONS[1:]})
        actors = drop_affiliation_countries(article, actors, sections.values())
        stored.append((predicted, expected))
        rebuilt.append((predicted.model_copy(update={"actors": actors, **sections}), expected))
    for name, pairs in (("stored", stored), ("rebuilt", rebuilt)):
        score = score_set(pairs)
        sections = " ".join(f"{s} {getattr(score, s).f1:.3f}" for s in SECTIONS)
        print(f"{name:8} briefing F1 {score.briefing_f1:.3f}  {sections}")


if __name__ == "__main__":
    main()
