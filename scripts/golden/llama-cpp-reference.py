#!/usr/bin/env python3
"""Greedy ids and top-10 probabilities from llama.cpp (llama-cpp-python==0.3.36, CPU) for GGUF files.

usage: llama-cpp-reference.py OUT.json MODEL.gguf PROMPT [PROMPT ...]

Each prompt is tokenized by llama.cpp (BOS as the vocabulary asks, special-token text parsed),
evaluated as one batch, then greedy decoding evaluates one token at a time, as Assay's engine does.
Probabilities are a plain softmax over the raw logits (float64) at each of the 32 positions.
Flash attention is off and n_ctx is 512 (which also picks Phi-3's short LongRoPE factors).
"""
import hashlib
import json
import sys

import numpy
from llama_cpp import Llama, __version__

TOKENS = 32


def top10(logits):
    values = numpy.asarray(logits, dtype=numpy.float64)
    probabilities = numpy.exp(values - values.max())
    probabilities /= probabilities.sum()
    order = numpy.argsort(-probabilities, kind="stable")[:10]
    return [{"id": int(i), "prob": float(probabilities[i])} for i in order]


def main():
    out, model_path, prompts = sys.argv[1], sys.argv[2], sys.argv[3:]
    digest = hashlib.sha256(open(model_path, "rb").read()).hexdigest()
    llm = Llama(model_path=model_path, logits_all=True, n_ctx=512, n_batch=512, n_threads=2,
                flash_attn=False, verbose=False)
    cases = []
    for prompt in prompts:
        llm.reset()
        ids = llm.tokenize(prompt.encode(), add_bos=True, special=True)
        llm.eval(ids)
        greedy, positions = [], []
        for position in range(TOKENS):
            logits = llm.scores[llm.n_tokens - 1]
            best = top10(logits)
            positions.append({"pos": position, "top10": best})
            token = int(numpy.argmax(logits))
            greedy.append(token)
            llm.eval([token])
        cases.append({"prompt_text": prompt, "prompt_token_ids": ids, "greedy_ids": greedy,
                      "per_position_top10": positions})
    result = {"model_sha256": digest, "llama_cpp_python": __version__,
              "how": "llama-cpp-python " + __version__ + " (CPU build from PyPI source on this machine), "
                     "Llama(logits_all=True, n_ctx=512, n_batch=512, n_threads=2, flash_attn=False); "
                     "prompt tokenized with add_bos=True, special=True and evaluated as one batch; greedy "
                     "argmax then one token per eval; top-10 of a float64 softmax over the raw logits",
              "cases": cases}
    with open(out, "w") as file:
        json.dump(result, file, indent=1)
        file.write("\n")


main()
