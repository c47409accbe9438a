#!/usr/bin/env bash
# Benchmark (one run, ratios measured against each other): matmul GFLOP/s, RoBERTa-base-sized forward and forward+backward-to-the-prompt as fractions of it,
# ML.NET inference overhead, prompt-tuning throughput (examples/s, GFLOP/s ratio) on SST-2 rows, peak memory and a
# 200-step memory-flatness check. Writes artifacts/bench/bench.json and bench.md. Extra arguments: --threads N --steps N --leak-steps N --main-job-steps N.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$root/build/Benchmarks/PromptTransfer.Benchmarks.csproj" -c Release -v quiet -nologo
dotnet "$root/build/Benchmarks/bin/Release/net10.0/PromptTransfer.Benchmarks.dll" "$@"
