#!/usr/bin/env bash
# Runs the test suite and ends with the line "N passed, N failed". Extra arguments go to `dotnet test`
# (e.g. --filter "TestCategory!=Slow").
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
results="$root/artifacts/test-results"
rm -rf "$results"
dotnet test "$root/test/Microsoft.ML.PromptTuning.Tests/Microsoft.ML.PromptTuning.Tests.csproj" -c Release \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?
trx="$results/results.trx"
if [[ ! -f "$trx" ]]; then
  echo "no test results were written (build failure?)"
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
errors=$(sed -E 's/.* error="([0-9]+)".*/\1/' <<<"$counters")
failed=$((failed + errors))
echo "$passed passed, $failed failed"
if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then exit 1; fi
