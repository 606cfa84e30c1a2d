#!/usr/bin/env bash
# Builds the JMH benchmark jar and runs tl4j's benchmarks against their raw-DJL baselines, the
# PyTorch eager reference (when Debian's python3-torch is installed) and the native-memory soak run,
# then writes results/latest.md.
#
#   tl-benchmarks/run.sh            quick profile (short warmup/measurement, small epochs; < 10 min on 2 cores)
#   tl-benchmarks/run.sh full       full profile (the sizes of the issue: 256 images, longer measurement)
#   tl-benchmarks/run.sh headline   tl4j against PyTorch eager and ONNX Runtime in alternating rounds (headline.sh)
#   tl-benchmarks/run.sh vision     each tl-vision architecture's inference speed and memory beside PyTorch eager (vision.sh)
#
# Environment: DEVICE=gpu runs the device=gpu parameter (a CUDA machine where DJL finds CUDA natives: README,
# 'GPU'; a machine without Maven or a JVM uses gpu-headline.sh instead);
# NOTE="..." adds a remark to the report (e.g. that the machine was contended); SKIP_BUILD=1 reuses the jar;
# JMH_EXTRA="..." is appended to every JMH command line; ONLY="resnet18 features head inference bert text
# pytorch soak" runs a subset of the steps. A step that fails is reported and skipped; the report covers
# what ran.
set -euo pipefail

PROFILE=${1:-quick}
if [[ $PROFILE == headline ]]; then
  exec "$(dirname "$0")/headline.sh"
fi
if [[ $PROFILE == vision ]]; then
  exec "$(dirname "$0")/vision.sh"
fi
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RESULTS=$HERE/results
RAW=$RESULTS/raw
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
GLIBC_TUNED=glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184:glibc.malloc.top_pad=67108864
PYTHON=/usr/bin/python3
source "$HERE/scripts/pytorch-blas.sh"
source "$HERE/scripts/pytorch-isa.sh"
DEVICE=${DEVICE:-cpu}
JAR=$HERE/target/benchmarks.jar
JVM_PROPS="-Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error"

case $PROFILE in
  quick)
    COMMON=(-f 1 -wi 1 -i 3 -w 3s -r 3s)
    R18_SAMPLES=32; FX_EPOCHS=10; HEAD=(2048 32 5); BERT_ITERS=(-wi 1 -i 3 -w 3s -r 3s); BERT_SAMPLES=64
    PY_ARGS=(--warmup 1 --iterations 3)
    GLIBC_SUBSET=1; INFERENCE_SIDES='(tl4j|djl)' ;;
  contended)
    COMMON=(-f 1 -wi 1 -i 2 -w 1s -r 1s)
    R18_SAMPLES=16; FX_EPOCHS=10; HEAD=(512 32 2); BERT_ITERS=(-wi 1 -i 2 -w 1s -r 1s); BERT_SAMPLES=32
    PY_ARGS=(--warmup 1 --iterations 2)
    GLIBC_SUBSET=1; INFERENCE_SIDES='(tl4j|djl)' ;;
  full)
    COMMON=(-f 2 -wi 2 -i 5 -w 10s -r 10s)
    R18_SAMPLES=256; FX_EPOCHS=10; HEAD=(2048 32 5); BERT_ITERS=(-wi 3 -i 5 -w 10s -r 10s); BERT_SAMPLES=64
    PY_ARGS=(--warmup 2 --iterations 5)
    GLIBC_SUBSET=0; INFERENCE_SIDES='(tl4j|djl|djlStaged)' ;;
  *) echo "usage: $0 [quick|full|contended]" >&2; exit 2 ;;
esac

if [[ -z ${SKIP_BUILD:-} ]]; then
  (cd "$ROOT" && mvn -B -q -pl tl-benchmarks -am -DskipTests ${MVN_ARGS:-} package)
fi
mkdir -p "$RAW"
rm -f "$RAW"/*.json "$RAW"/*.log

# wanted STEP: whether ONLY (when set) names the step
wanted() {
  [[ -z ${ONLY:-} || " $ONLY " == *" $1 "* ]]
}

# bench LABEL NAME REGEX [JMH ARGS...]: one JMH run, JSON to raw/jmh-LABEL-NAME.json
bench() {
  local label=$1 name=$2 regex=$3
  shift 3
  if ! wanted "$name"; then
    return 0
  fi
  local preload="" tunables=""
  [[ $label == tcmalloc ]] && preload=$TCMALLOC
  # glibctuned: glibc malloc with the settings io.tl4j.core.EngineCheck advises (one arena, no mmap)
  [[ $label == glibctuned ]] && tunables=$GLIBC_TUNED
  echo "== $label $name" >&2
  GLIBC_TUNABLES=$tunables LD_PRELOAD=$preload java $JVM_PROPS -jar "$JAR" "$regex" "$@" -p device="$DEVICE" \
    -jvmArgsAppend "$JVM_PROPS" -prof io.tl4j.benchmarks.PeakRssProfiler \
    -rf json -rff "$RAW/jmh-$label-$name.json" ${JMH_EXTRA:-} > "$RAW/jmh-$label-$name.log" 2>&1 \
    || { echo "JMH run $label $name failed, see $RAW/jmh-$label-$name.log" >&2; tail -20 "$RAW/jmh-$label-$name.log" >&2; FAILED+=" $label/$name"; }
}

# suite LABEL [subset]: every benchmark (or, with subset, one training and one inference case)
suite() {
  local label=$1 subset=${2:-0}
  if [[ $subset == 1 ]]; then
    bench "$label" inference 'benchmarks\.Inference\.predict_(tl4j|djl)$' "${COMMON[@]}" -p model=resnet50
    return
  fi
  bench "$label" head 'benchmarks\.HeadTraining\.' -f "${COMMON[1]}" -wi "${COMMON[3]}" -i $((COMMON[5] + 2)) \
    -p samples=${HEAD[0]} -p batch=${HEAD[1]} -p epochs=${HEAD[2]}
  bench "$label" text 'benchmarks\.(Tokenization|LogMel)\.' "${BERT_ITERS[@]}" -f "${COMMON[1]}"
  bench "$label" inference "benchmarks\\.Inference\\.predict_${INFERENCE_SIDES}\$" "${COMMON[@]}"
  bench "$label" resnet18 'benchmarks\.ResNet18Training\.' "${COMMON[@]}" -p samples=$R18_SAMPLES
  bench "$label" features 'benchmarks\.FeatureExtraction\.' "${COMMON[@]}" -p samples=$R18_SAMPLES -p epochs=$FX_EPOCHS
  bench "$label" bert 'benchmarks\.(BertTraining|BertInference)\.' "${BERT_ITERS[@]}" -f "${COMMON[1]}" \
    -p samples=$BERT_SAMPLES
}

REPORT_ARGS=()
FAILED=""
if [[ -r $TCMALLOC ]]; then
  suite tcmalloc
  suite glibc $([[ $PROFILE == quick ]] && echo $GLIBC_SUBSET || echo 0)
  suite glibctuned 1
  ALLOCATORS="tcmalloc (LD_PRELOAD of $TCMALLOC), glibc malloc, and glibc malloc with GLIBC_TUNABLES=$GLIBC_TUNED (glibctuned; ResNet-50 inference)"
else
  suite glibc
  suite glibctuned 1
  ALLOCATORS="glibc malloc (tcmalloc not installed), and with GLIBC_TUNABLES=$GLIBC_TUNED (glibctuned)"
fi
for f in "$RAW"/jmh-*.json; do
  [[ -e $f ]] || continue
  label=${f#"$RAW"/jmh-}
  REPORT_ARGS+=(--jmh "${label%%-*}=$f")
done

# the PyTorch eager reference, with the allocator the first suite used
if ! wanted pytorch; then
  echo "PyTorch reference not selected (ONLY=$ONLY)" >&2
elif "$PYTHON" -c 'import torch, torchvision' 2> /dev/null; then
  echo "== PyTorch eager reference" >&2
  preload=""
  [[ -r $TCMALLOC ]] && preload=$TCMALLOC
  LD_PRELOAD=$preload pytorch_isa "$PYTHON" "$HERE/scripts/pytorch_reference.py" --samples $R18_SAMPLES --epochs $FX_EPOCHS \
    --head-samples ${HEAD[0]} --head-batch ${HEAD[1]} --head-epochs ${HEAD[2]} --threads "$(nproc)" \
    "${PY_ARGS[@]}" > "$RAW/pytorch.json" && REPORT_ARGS+=(--pytorch "$RAW/pytorch.json") \
    || { echo "PyTorch reference failed" >&2; FAILED+=" pytorch"; }
else
  echo "no python3-torch at $PYTHON: PyTorch reference skipped" >&2
fi

if wanted soak; then
  echo "== soak (5,000 steps)" >&2
  LD_PRELOAD=$([[ -r $TCMALLOC ]] && echo $TCMALLOC || true) \
    java $JVM_PROPS -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp "$JAR" io.tl4j.benchmarks.Soak "$RAW/soak.json" 5000 500 \
    && REPORT_ARGS+=(--soak "$RAW/soak.json") || { echo "soak run failed" >&2; FAILED+=" soak"; }
fi

# the machine
{
  echo "Profile: $PROFILE (JMH ${COMMON[*]}; ResNet-18 runs over $R18_SAMPLES images; feature extraction $FX_EPOCHS epochs)"
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "Cores: $(nproc) online ($(lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s) per core)"
  echo "RAM: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Java: $(java -version 2>&1 | head -1)"
  echo "DJL: $(unzip -p "$JAR" ai/djl/engine/api.properties | sed -n 's/^djl_version=//p'), libtorch $(unzip -p "$JAR" native/lib/pytorch.properties | sed -n 's/^version=//p') ($(unzip -p "$JAR" native/lib/pytorch.properties | sed -n 's/^flavor=//p') natives)"
  echo "Device: $DEVICE"
  echo "Allocators: $ALLOCATORS"
  if [[ -n $FAILED ]]; then echo "Failed runs (see results/raw/*.log): $FAILED"; fi
  if "$PYTHON" -c 'import torch' 2> /dev/null; then
    echo "PyTorch reference: $("$PYTHON" -c 'import torch, torchvision; print("torch", torch.__version__, "torchvision", torchvision.__version__, "threads", torch.get_num_threads())'), BLAS $PYTORCH_BLAS, oneDNN $PYTORCH_ISA (tl4j: ONEDNN_MAX_CPU_ISA=$ONEDNN_MAX_CPU_ISA)"
  fi
} > "$RAW/machine.txt"

java -cp "$JAR" io.tl4j.benchmarks.report.ResultsReport --out "$RESULTS/latest.md" --machine "$RAW/machine.txt" \
  --note "${NOTE:-}" "${REPORT_ARGS[@]}"
