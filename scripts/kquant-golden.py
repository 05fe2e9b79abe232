#!/usr/bin/env python3
"""Writes the K-quant golden fixtures (Tests/Fixtures/golden-generation-<TYPE>.json) from llama.cpp.

For each prompt of ../shared/golden/generation.json (the Q4_1 golden file, made by llama-server),
llama-cpp-python evaluates the prompt's token ids as one batch, then generates 48 tokens greedily,
one evaluation per token, on SmolLM2 quantized by llama.cpp (scripts/make-kquant-models.py), on one
thread (ggml's results do not depend on the thread count, and its spinning workers crawl on a busy
machine). With logits_all=True it keeps the logits after every token; the top-10 probabilities at
each generated position are a plain softmax over all of them. Flash attention is off, as in the engine.

Run: python3 -m pip install llama-cpp-python==0.3.36
     python3 scripts/kquant-golden.py ~/.cache/assay/models/SmolLM2-135M-Instruct.Q4_K_M.gguf \
         ../shared/golden/generation.json Tests/Fixtures/golden-generation-Q4_K_M.json
"""
import hashlib
import json
import platform
import sys

import numpy as np
from llama_cpp import Llama, __version__


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    model_path, prompts_path, output_path = sys.argv[1:]
    with open(prompts_path) as f:
        prompts = json.load(f)["cases"]
    llm = Llama(model_path=model_path, logits_all=True, n_ctx=2048, n_batch=512, n_ubatch=512, n_threads=1,
                n_threads_batch=1, flash_attn=False, verbose=False)
    cases = []
    for prompt in prompts:
        llm.reset()
        ids = prompt["prompt_token_ids"]
        llm.eval(ids)
        generated, positions = [], []
        for position in range(48):
            logits = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float64)
            probabilities = np.exp(logits - logits.max())
            probabilities /= probabilities.sum()
            best = np.argsort(-probabilities, kind="stable")[:10]
            positions.append({"pos": position, "top10": [{"id": int(i), "prob": float(probabilities[i])} for i in best]})
            token = int(np.argmax(logits))
            generated.append(token)
            llm.eval([token])
        cases.append({"dataset_row": prompt["dataset_row"], "prompt_text": prompt["prompt_text"],
                      "prompt_token_ids": ids, "first48_token_ids": generated, "per_position_top10": positions})
    with open(model_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    how = ("llama-cpp-python %s (PyPI, built from source on %s, %s), Llama(logits_all=True, n_ctx=2048, "
           "n_batch=512, n_ubatch=512, n_threads=1, flash_attn=False); prompt ids evaluated as one batch, then "
           "48 greedy tokens one per eval; top-10 = softmax over the full vocabulary's logits"
           % (__version__, platform.machine(), platform.processor() or "cpu"))
    with open(output_path, "w") as f:
        json.dump({"model": model_path.rsplit("/", 1)[-1], "model_sha256": digest, "how": how, "cases": cases}, f,
                  indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
