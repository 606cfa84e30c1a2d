#!/usr/bin/env bash
# What each of tl-vision's image architectures costs on this CPU beside PyTorch eager (tl-benchmarks/run.sh
# vision): ROUNDS rounds (default 2); in each, every architecture runs once on each side, tl4j as JMH's
# VisionInference.predict_tl4j (a saved and reloaded TransferModel, peak RSS from PeakRssProfiler) and
# PyTorch as scripts/pytorch_reference.py --cases VisionInference.predict:<model>, each in a process of its
# own. Odd rounds start with tl4j, even rounds with PyTorch. results/vision.md gets, per architecture, both
# throughputs and peak RSS (medians over rounds) and the within-round ratio's median and min-max.
#
# Same work on both sides: same architecture (random weights: speed does not depend on them), input size,
# batch, thread count (all cores) and allocator (tcmalloc when installed). MODELS="..." picks architectures;
# BATCH (default 16) the batch. PyTorch's linear layers need an optimised BLAS (scripts/pytorch-blas.sh warns
# without one: on the reference BLAS PyTorch 1.13's ViT-B/16 took over a minute per batch of 16 here).
# SKIP_BUILD=1 reuses the jar.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ROUNDS=${ROUNDS:-2}
MODELS=${MODELS:-"mobilenet_v3_small mobilenet_v3_large efficientnet_b0 resnet50 convnext_tiny inception_v3 vit_b_16"}
RAW=$HERE/results/vision-raw
JAR=$HERE/target/benchmarks.jar
PROFILE_NAME=vision
source "$HERE/scripts/interleaved-setup.sh"
# TL4J_ISA_CAP=false runs tl4j's side uncapped too, as a process that only predicts may
# (-Dtl4j.engine.isaCap=false, main README's platform notes); the default is tl4j's own setting. The fork's
# set-up fits a head, which the engine check would refuse uncapped: it is skipped (-Dtl4j.engineCheck=false),
# as only the timed predictions matter here
TL4J_ISA="ONEDNN_MAX_CPU_ISA=$ONEDNN_MAX_CPU_ISA"
TL4J_ENV=()
if [[ ${TL4J_ISA_CAP:-} == false ]]; then
  TL4J_ISA="uncapped (-Dtl4j.engine.isaCap=false)"
  TL4J_ENV=(env -u ONEDNN_MAX_CPU_ISA)
  JVM_PROPS="$JVM_PROPS -Dtl4j.engine.isaCap=false -Dtl4j.engineCheck=false"
fi

tl4j() {
  local r=$1 m=$2
  "${TL4J_ENV[@]}" java $JVM_PROPS -jar "$JAR" 'benchmarks\.VisionInference\.predict_tl4j$' -p model="$m" -p batch="${BATCH:-16}" \
    -f 1 -wi 1 -i 3 -w 3s -r 3s -prof io.tl4j.benchmarks.PeakRssProfiler -jvmArgsAppend "$JVM_PROPS" \
    -rf json -rff "$RAW/r$r-tl4j-$m.json" > "$RAW/r$r-tl4j-$m.log" 2>&1 \
    || { echo "tl4j $m round $r failed, see $RAW/r$r-tl4j-$m.log" >&2; rm -f "$RAW/r$r-tl4j-$m.json"; }
}

pytorch() {
  local r=$1 m=$2
  pytorch_isa "$PYTHON" "$HERE/scripts/pytorch_reference.py" --threads "$(nproc)" --warmup 1 --iterations 3 \
    --inference-batch "${BATCH:-16}" --cases "VisionInference.predict:$m" \
    > "$RAW/r$r-pytorch-$m.json" 2> "$RAW/r$r-pytorch-$m.log" \
    || { echo "PyTorch $m round $r failed, see $RAW/r$r-pytorch-$m.log" >&2; rm -f "$RAW/r$r-pytorch-$m.json"; }
}

start=$(date +%s)
for ((r = 1; r <= ROUNDS; r++)); do
  for m in $MODELS; do
    echo "== round $r of $ROUNDS, $m ($(($(date +%s) - start)) s, load $(cut -d' ' -f1 /proc/loadavg))" >&2
    if ((r % 2 == 1)); then tl4j $r "$m"; pytorch $r "$m"; else pytorch $r "$m"; tl4j $r "$m"; fi
  done
done
{
  echo "Vision profile, $(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS rounds in $(($(date +%s) - start)) s;"
  echo "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average at the end $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "allocator for both sides: $ALLOCATOR; oneDNN ISA: tl4j $TL4J_ISA, PyTorch $PYTORCH_ISA;"
  echo "$("$PYTHON" -c 'import torch, torchvision; print("PyTorch", torch.__version__, "torchvision", torchvision.__version__)') (BLAS $PYTORCH_BLAS)."
  echo
} > "$RAW/machine.txt"
# shellcheck disable=SC2086
java -cp "$JAR" io.tl4j.benchmarks.report.VisionReport "$RAW" "$RAW/table.md" $MODELS
cat "$RAW/machine.txt" "$RAW/table.md" > "$HERE/results/vision.md"
echo "wrote $HERE/results/vision.md" >&2
