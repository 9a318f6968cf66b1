"""Score the gold set again with the embedded model's answers recorded once, then replayed.

`evals/rescore.py` re-runs only the completion; a rule that reads the model's own answer
(how its actors are grounded, typed and merged) needs the pipeline from the model's answer
on. The model is greedy and its prompts do not depend on those rules, so its answers can be
recorded in one run and replayed, and every stage after it re-runs in seconds:

    python evals/replay.py record ANSWERS.json    # one real eval run (~7 min), answers saved
    python evals/replay.py replay ANSWERS.json    # the same eval, no model: ~2 s

A changed prompt, schema or pass mode asks other questions: replay then stops with the
message that an answer is missing, and the answers must be recorded again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion

from summarizer import Summarizer
from summarizer.backends import EmbeddedBackend
from summarizer.evaluate import run_eval
from summarizer.scoring import SECTIONS


def _key(kwargs: dict[str, Any]) -> str:
    asked = [kwargs["messages"], kwargs.get("response_format")]
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


class RecordedBackend(EmbeddedBackend):
    """The embedded backend, answering from ``answers`` when replaying and filling it when recording."""

    def __init__(self, answers: dict[str, Any], replay: bool) -> None:
        super().__init__()
        self.answers, self.replay = answers, replay
        if replay:
            self.model_sha256 = "replayed"

    def create(self, **kwargs: Any) -> ChatCompletion:
        key = _key(kwargs)
        if self.replay:
            if key not in self.answers:
                sys.exit("replay: the pipeline asked something not recorded (prompt or schema changed); record again")
            return ChatCompletion.model_validate(self.answers[key])
        completion = super().create(**kwargs)
        self.answers[key] = completion.model_dump(mode="json")
        return completion


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "replay"])
    parser.add_argument("answers", type=Path)
    parser.add_argument("--gold", default="evals/gold")
    parser.add_argument("--articles", default="../shared/corpus")
    parser.add_argument("--out", type=Path, help="write the eval result (result.json of `summarizer eval`) here")
    args = parser.parse_args()
    replay = args.mode == "replay"
    answers = json.loads(args.answers.read_text(encoding="utf-8")) if replay else {}
    backend = RecordedBackend(answers, replay)
    result, _ = run_eval(Summarizer(backend), args.gold, args.articles)
    if not replay:
        args.answers.write_text(json.dumps(answers), encoding="utf-8")
    if args.out:
        args.out.write_text(result.model_dump_json(indent=1), encoding="utf-8")
    score = result.score
    sections = " ".join(f"{s} {getattr(score, s).f1:.3f}" for s in SECTIONS)
    print(f"briefing F1 {score.briefing_f1:.3f}  {sections}")


if __name__ == "__main__":
    main()
