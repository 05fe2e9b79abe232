#!/usr/bin/env python3
"""Makes SmolLM2 in llama.cpp's K-quant mixes (and others) with llama.cpp's own quantizer.

The K-quant golden tests (Tests/AssayEngineTests/KQuantGoldenTests.swift) and the benchmarks in the
README need model files quantized by llama.cpp itself, not by Assay. This script takes the F16
expansion of the shipped SmolLM2 file (`assay quantize SRC.Q4_1.gguf OUT.F16.gguf --type f16`) and
writes, beside it or into --output-dir, one file per type with llama-cpp-python's
`llama_model_quantize` (PyPI llama-cpp-python==0.3.36, llama.cpp build 0c1e570):
SmolLM2-135M-Instruct.<TYPE>.gguf. Files that already exist are kept.

Run: python3 -m pip install llama-cpp-python==0.3.36
     python3 scripts/make-kquant-models.py SmolLM2-135M-Instruct.F16.gguf --types Q4_K_M Q6_K
"""
import argparse
import ctypes
import os
import sys

FILE_TYPES = {  # llama.cpp's enum llama_ftype
    "Q4_0": 2, "Q8_0": 7, "Q2_K": 10, "Q3_K_S": 11, "Q3_K_M": 12, "Q3_K_L": 13, "Q4_K_S": 14, "Q4_K_M": 15,
    "Q5_K_S": 16, "Q5_K_M": 17, "Q6_K": 18,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("f16", help="the F16 GGUF to quantize")
    parser.add_argument("--types", nargs="+", default=["Q4_K_M", "Q6_K"], choices=sorted(FILE_TYPES))
    parser.add_argument("--output-dir", help="where to write (default: beside the F16 file)")
    parser.add_argument("--stem", default="SmolLM2-135M-Instruct", help="the output files' name before .<TYPE>.gguf")
    args = parser.parse_args()
    try:
        import llama_cpp
    except ImportError:
        sys.exit("error: llama-cpp-python is not installed; run: python3 -m pip install llama-cpp-python==0.3.36")
    if not os.path.isfile(args.f16):
        sys.exit(f"error: {args.f16} does not exist; make it with: assay quantize SmolLM2-135M-Instruct.Q4_1.gguf "
                 f"{args.f16} --type f16")
    folder = args.output_dir or os.path.dirname(os.path.abspath(args.f16))
    os.makedirs(folder, exist_ok=True)
    for name in args.types:
        target = os.path.join(folder, f"{args.stem}.{name}.gguf")
        if os.path.exists(target):
            print(f"{target}: exists, kept")
            continue
        params = llama_cpp.llama_model_quantize_default_params()
        params.ftype = FILE_TYPES[name]
        params.nthread = os.cpu_count() or 1
        partial = target + ".partial"
        status = llama_cpp.llama_model_quantize(args.f16.encode(), partial.encode(), ctypes.byref(params))
        if status != 0:
            if os.path.exists(partial):
                os.remove(partial)
            sys.exit(f"error: llama_model_quantize failed for {name} (status {status})")
        os.replace(partial, target)  # never a half-written model under the final name
        print(f"{target}: written")


if __name__ == "__main__":
    main()
