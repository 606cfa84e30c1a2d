#!/usr/bin/env bash
# tl4j against the tool a user would pick instead, measured so that the ratios can be steered by
# (tl-benchmarks/run.sh headline). ROUNDS rounds (default 5); in each, tl4j's six workloads run in JMH
# forks of their own, and so do the alternatives: PyTorch eager (scripts/pytorch_reference.py, each
# case in its own process) and ONNX Runtime on langchain4j's MiniLM file (BertInference.predict_ort).
# Odd rounds start with tl4j, even rounds with the alternatives. Each ratio is taken within a round,
# then results/headline.md gets the median over the rounds with its min-max and spread, and the run
# ends with: RESULT perf bert_infer_vs_ort=... resnet50_infer_vs_pytorch=... features_vs_pytorch=...
# features_onnx_vs_pytorch=... (the frozen features computed on ONNX Runtime, featuresOnOnnxRuntime(true))
# resnet18_train_vs_pytorch=... head_vs_pytorch=... rss_resnet50_vs_pytorch=... resnet50_onnx_vs_pytorch=...
# rss_resnet50_onnx_vs_pytorch=... (ResNet-50 served through ONNX Runtime after optimizeForInference()).
#
# Same work on both sides: same sizes, batch, thread count (all cores) and allocator (tcmalloc when
# installed, else glibc with the build's GLIBC_TUNABLES, for both); each side's oneDNN as its users run it
# (scripts/pytorch-isa.sh). SKIP_BUILD=1 reuses the jar.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ROUNDS=${ROUNDS:-5}
RAW=$HERE/results/headline-raw
JAR=$HERE/target/benchmarks.jar
PROFILE_NAME=headline
source "$HERE/scripts/interleaved-setup.sh"
JMH=(-f 1 -w 2s -r 2s -prof io.tl4j.benchmarks.PeakRssProfiler -jvmArgsAppend "$JVM_PROPS")

# jmh FILE REGEX [ARGS...]: one JMH run to raw/FILE.json; ITERATIONS (default "-wi 1 -i 2") sets its warmup and
# measured iterations
jmh() {
  local file=$1 regex=$2
  shift 2
  java $JVM_PROPS -jar "$JAR" "$regex" "${JMH[@]}" ${ITERATIONS:--wi 1 -i 2} "$@" -rf json -rff "$RAW/$file.json" > "$RAW/$file.log" 2>&1 \
    || { echo "JMH run $file failed, see $RAW/$file.log" >&2; tail -5 "$RAW/$file.log" >&2; }
}

tl4j() {
  local r=$1
  jmh "r$r-tl4j-inference" 'benchmarks\.Inference\.predict_tl4j(Onnx)?$' -p model=resnet50
  jmh "r$r-tl4j-resnet18" 'benchmarks\.(FeatureExtraction\.cached_tl4j(Onnx)?|ResNet18Training\.fullFineTune_tl4j)$' \
    -p samples=32 -p epochs=10
  # the head as PyTorch's side times it: 2 warmup runs, then 15 (a run is ~0.1 s)
  ITERATIONS="-wi 2 -i 15" jmh "r$r-tl4j-head" 'benchmarks\.HeadTraining\.head_tl4j$' -p samples=2048 -p batch=32 -p epochs=5
  # MiniLM on both sides over 5 iterations of 2 s (2 moved the ratio by 13 % between runs 8 and 9)
  ITERATIONS="-wi 1 -i 5" jmh "r$r-tl4j-bert" 'benchmarks\.BertInference\.predict_tl4j(Onnx)?$'
}

alternatives() {
  local r=$1
  pytorch_isa "$PYTHON" "$HERE/scripts/pytorch_reference.py" --threads "$(nproc)" --warmup 1 --iterations 2 \
    --cases Inference.predict:resnet50,FeatureExtraction.cached,ResNet18Training.fullFineTune,HeadTraining.head \
    --samples 32 --epochs 10 --head-samples 2048 --head-batch 32 --head-epochs 5 --head-iterations 15 \
    > "$RAW/r$r-pytorch.json" 2> "$RAW/r$r-pytorch.log" || { echo "PyTorch round $r failed" >&2; rm -f "$RAW/r$r-pytorch.json"; }
  ITERATIONS="-wi 1 -i 5" jmh "r$r-ort" 'benchmarks\.BertInference\.predict_ort$'
}

start=$(date +%s)
for ((r = 1; r <= ROUNDS; r++)); do
  echo "== round $r of $ROUNDS ($(($(date +%s) - start)) s, load $(cut -d' ' -f1 /proc/loadavg))" >&2
  if ((r % 2 == 1)); then tl4j $r; alternatives $r; else alternatives $r; tl4j $r; fi
done
{
  echo "Headline profile, $(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS rounds in $(($(date +%s) - start)) s;"
  echo "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average at the end $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "allocator for both sides: $ALLOCATOR; oneDNN ISA: tl4j ONEDNN_MAX_CPU_ISA=$ONEDNN_MAX_CPU_ISA, PyTorch $PYTORCH_ISA;"
  echo "$("$PYTHON" -c 'import torch, torchvision; print("PyTorch", torch.__version__, "torchvision", torchvision.__version__)') (BLAS $PYTORCH_BLAS), ONNX Runtime 1.22.0."
  echo
} > "$RAW/machine.txt"
java -cp "$JAR" io.tl4j.benchmarks.report.HeadlineReport "$RAW" "$RAW/table.md"
cat "$RAW/machine.txt" "$RAW/table.md" > "$HERE/results/headline.md"
echo "wrote $HERE/results/headline.md" >&2
