"""How the embedded model's decoding step grows with the number of sequences in a batch.

After a prompt (a text file's start) is read once, it is shared by N sequences and 15 greedy
steps decode one token on each of them in one batch a step; prints milliseconds a step and
tokens a second for each N. What `-o parallel=N` (summarizer/parallel.py) trades against.

    python evals/widths.py examples/sample_article.txt
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from summarizer.backends import EmbeddedBackend

STEPS = 15


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("text", type=Path)
    parser.add_argument("--widths", default="1,2,4,6,8,12,16")
    arguments = parser.parse_args()
    import llama_cpp

    widths = [int(w) for w in arguments.widths.split(",")]
    backend = EmbeddedBackend(parallel=max(widths))
    llama = backend.llama
    ctx = llama._ctx.ctx
    prompt = llama.tokenize(arguments.text.read_text(encoding="utf-8").encode())[:500]
    llama.eval(prompt)
    first = int(np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).argmax())
    memory = llama_cpp.llama_get_memory(ctx)
    batch = llama_cpp.llama_batch_init(max(widths), 0, 1)
    print(f"prompt {len(prompt)} tokens, {STEPS} steps a width\n")
    print("| sequences | ms a step | tokens/s |")
    print("|---:|---:|---:|")
    for width in widths:
        for seq in range(1, width + 1):
            llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
            llama_cpp.llama_memory_seq_cp(memory, 0, seq, 0, len(prompt))
        tokens = [first] * width
        started = time.perf_counter()
        for step in range(STEPS):
            batch.n_tokens = width
            for i in range(width):
                batch.token[i] = tokens[i]
                batch.pos[i] = len(prompt) + step
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = i + 1
                batch.logits[i] = True
            if llama_cpp.llama_decode(ctx, batch) != 0:
                raise RuntimeError(f"llama_decode failed at width {width}")
            for i in range(width):
                row = llama_cpp.llama_get_logits_ith(ctx, i)
                tokens[i] = int(np.ctypeslib.as_array(row, shape=(llama.n_vocab(),)).argmax())
        seconds = (time.perf_counter() - started) / STEPS
        print(f"| {width} | {1000 * seconds:.0f} | {width / seconds:.1f} |")
    llama_cpp.llama_batch_free(batch)
    backend.close()


if __name__ == "__main__":
    main()
