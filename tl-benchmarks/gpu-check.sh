#!/usr/bin/env bash
# The GPU check (issue 12): one script to run on a CUDA machine, writing everything under
# tl-benchmarks/results/gpu/. It needs the CUDA natives, ai.djl.pytorch:pytorch-native-cu128:2.7.1
# (classifier linux-x86_64), from Maven Central or a local repository that holds them (-o below then).
#
#   tl-benchmarks/gpu-check.sh            build with -Pcuda, then the three steps
#   MVN="mvn -o" tl-benchmarks/gpu-check.sh   the same against a prepared local repository
#
# Steps: (1) the GPU and driver (nvidia-smi); (2) examples' DeviceCheck on gpu(0): ResNet-50 fine-tuned
# end to end on 256 images of 224 px and MiniLM's top layers on 256 texts, 3 epochs each, predictions on
# the GPU, saved, reloaded onto the CPU and compared (RESULT device ... line); (3) the tl-benchmarks quick
# profile with device=gpu (every benchmark checks that DJL's default device is the GPU).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/tl-benchmarks/results/gpu
MVN=${MVN:-mvn}
mkdir -p "$OUT"
cd "$ROOT"

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$OUT/gpu.txt"
$MVN -B -q -Pcuda install -DskipTests -Dmaven.javadoc.skip=true -Dspotless.check.skip=true
$MVN -B -q -Pcuda -pl examples dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt"
java -Dai.djl.offline=true -cp "$ROOT/examples/target/classes:$(cat "$OUT/classpath.txt")" \
    io.tl4j.examples.DeviceCheck gpu 224 256 3 2>&1 | tee "$OUT/device-check.txt"
grep -q "^RESULT device device=gpu" "$OUT/device-check.txt"
MVN_ARGS=-Pcuda DEVICE=gpu NOTE="GPU: $(tail -1 "$OUT/gpu.txt")" "$ROOT/tl-benchmarks/run.sh" quick 2>&1 \
    | tee "$OUT/benchmarks.txt"
cp "$ROOT/tl-benchmarks/results/latest.md" "$OUT/latest.md"
echo "GPU CHECK DONE: $OUT"
