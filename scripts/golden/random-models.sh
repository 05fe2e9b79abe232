#!/usr/bin/env bash
# Regenerates Tests/Fixtures/golden-random: writes the random-weight model files with Assay's own
# GGUF writer (RandomModelFixture, through the test that does only that), then has llama.cpp
# (llama-cpp-python 0.3.36, installed from PyPI) produce greedy ids and top-10 probabilities for
# them. Needs `pip install llama-cpp-python==0.3.36 numpy`. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
folder="$(mktemp -d)"
ASSAY_WRITE_RANDOM_MODELS="$folder" swift test --filter RandomModelGoldenTests/writeTheFilesForLlamaCpp
mkdir -p Tests/Fixtures/golden-random
prompt="The quarterly revenue rose 14% to EUR 131m, while the operating loss narrowed. Analysts said"
for name in llama3 mistral qwen2 phi3 gemma3; do
    python3 scripts/golden/llama-cpp-reference.py "Tests/Fixtures/golden-random/$name.json" "$folder/$name.gguf" "$prompt"
done
rm -rf "$folder"
