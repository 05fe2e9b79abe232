#!/usr/bin/env bash
# Builds the GGUF reader and the engine's model-reading code with libFuzzer and AddressSanitizer
# and fuzzes them.
# Usage: Fuzz/run.sh [RUNS]   (default 1000000; extra libFuzzer flags via FUZZ_FLAGS)
# Outputs under .build/fuzz/: the binary, seeds/ (written by Fuzz/Seeds), corpus/ (grown by
# libFuzzer) and crash-* files for any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000000}"
out=.build/fuzz
mkdir -p "$out/seeds" "$out/corpus" "$out/modules" "$out/ckernels"
mapfile -t gguf < <(find Sources/GGUF -name '*.swift' | sort)
# The engine's model-reading code: configuration, tokenizer, chat format, weights, forward pass
# (the sampling and session files need AssayCore, which the fuzzer leaves out).
engine=(Sources/AssayEngine/Model/*.swift Sources/AssayEngine/Tokenizer/*.swift Sources/AssayEngine/Threads/*.swift
        Sources/AssayEngine/API/AssayEngineError.swift Sources/AssayEngine/Generation/ChatTemplate.swift)
sanitize=(-O -sanitize=fuzzer,address -parse-as-library)

swiftc -O -module-name GGUFSeeds "${gguf[@]}" Fuzz/Seeds/main.swift -o "$out/write-seeds"
"$out/write-seeds" "$out/seeds"

for source in Sources/CKernels/*.c; do
  clang -O2 -fsanitize=fuzzer-no-link,address -I Sources/CKernels/include -c "$source" \
    -o "$out/ckernels/$(basename "$source" .c).o"
done
printf 'module CKernels {\n    header "%s"\n    export *\n}\n' "$PWD/Sources/CKernels/include/CKernels.h" \
  > "$out/ckernels/module.modulemap"
swiftc "${sanitize[@]}" -enable-testing -emit-library -static -module-name GGUF -emit-module \
  -emit-module-path "$out/modules/GGUF.swiftmodule" "${gguf[@]}" -o "$out/libGGUF.a"
swiftc "${sanitize[@]}" -enable-testing -emit-library -static -module-name AssayEngine -emit-module \
  -emit-module-path "$out/modules/AssayEngine.swiftmodule" -I "$out/modules" \
  -Xcc -fmodule-map-file="$out/ckernels/module.modulemap" "${engine[@]}" -o "$out/libAssayEngine.a"
swiftc "${sanitize[@]}" -use-ld=lld -module-name GGUFFuzz -I "$out/modules" \
  -Xcc -fmodule-map-file="$out/ckernels/module.modulemap" Fuzz/FuzzGGUF.swift Fuzz/FuzzEngine.swift \
  "$out/libAssayEngine.a" "$out/libGGUF.a" "$out"/ckernels/*.o -o "$out/gguf-fuzz"

# -max_len bounds inputs (the reader validates sizes, so small files reach every check; the tiny
# model seeds are about 4.5 KiB); -rss_limit_mb / -malloc_limit_mb turn any huge allocation into a finding.
exec "$out/gguf-fuzz" -runs="$runs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
  -artifact_prefix="$out/" -print_final_stats=1 ${FUZZ_FLAGS:-} "$out/corpus" "$out/seeds"
