#!/usr/bin/env bash
# Re-creates the shipped models in models/ (about 60-70 minutes each on 2 CPU cores). Each run checkpoints every 100 steps
# into <output>/checkpoint/ and resumes from there when started again with the same arguments.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${PROMPT_TRANSFER_SHARED:-$root/../shared}"
cd "$root"
dotnet build src/Samples -c Release -v quiet -nologo
cli="dotnet src/Samples/bin/Release/net10.0/prompt-transfer.dll"
which="${1:-all}"
if [[ "$which" == all || "$which" == roberta ]]; then
  $cli pretrain --architecture roberta --tokenizer "$shared/tokenizers/roberta-base" --shared "$shared" --output models/roberta-small \
    --steps 1800 --warmup-steps 150 --learning-rate 1e-3 --batch-size 16 --sequence-length 256 --threads 2
fi
if [[ "$which" == all || "$which" == t5 ]]; then
  $cli pretrain --architecture t5 --tokenizer "$shared/tokenizers/t5" --shared "$shared" --output models/t5-small \
    --steps 1000 --warmup-steps 100 --learning-rate 1e-3 --batch-size 32 --sequence-length 128 --threads 2
fi
