#!/usr/bin/env bash
# Builds the GGUF reader with libFuzzer and AddressSanitizer and fuzzes it.
# Usage: Fuzz/run.sh [RUNS]   (default 1000000; extra libFuzzer flags via FUZZ_FLAGS)
# Outputs under .build/fuzz/: the binary, seeds/ (written by Fuzz/Seeds), corpus/ (grown by
# libFuzzer) and crash-* files for any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000000}"
out=.build/fuzz
mkdir -p "$out/seeds" "$out/corpus"
mapfile -t sources < <(find Sources/GGUF -name '*.swift' | sort)

swiftc -O -module-name GGUFSeeds "${sources[@]}" Fuzz/Seeds/main.swift -o "$out/write-seeds"
"$out/write-seeds" "$out/seeds"

swiftc -O -sanitize=fuzzer,address -parse-as-library -use-ld=lld -module-name GGUFFuzz \
  "${sources[@]}" Fuzz/FuzzGGUF.swift -o "$out/gguf-fuzz"

# -max_len bounds inputs (the reader validates sizes, so small files reach every check);
# -rss_limit_mb / -malloc_limit_mb turn any huge allocation into a finding.
exec "$out/gguf-fuzz" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
  -artifact_prefix="$out/" -print_final_stats=1 ${FUZZ_FLAGS:-} "$out/corpus" "$out/seeds"
