#!/usr/bin/env bash
# tl4j against PyTorch eager on a CUDA GPU, for a GPU machine that has Python's PyTorch (CUDA) but no
# JVM, no Maven and no network (issue 19, item 6). Run from the repository root with the prepared
# folder .gpu/ beside it (tl-benchmarks/gpu-prepare.sh makes it on a connected machine):
#   .gpu/jre17b.txz      a jlink'ed Java 17 runtime
#   .gpu/lib/*.jar       tl4j's and DJL's jars (tokenizers' Linux x86-64 natives only), tl-benchmarks' classes
#   .gpu/native/         DJL 0.36.0's JNI sources and headers (ai_djl_pytorch_jni_PyTorchLibrary.h, jni.h)
#   .gpu/tokenizer.json  all-MiniLM-L6-v2's tokenizer
# DJL publishes no CUDA natives for libtorch 2.7.1 on Maven Central, so the script builds DJL's JNI
# library against the machine's own libtorch (Python's torch/lib) and points DJL at it with
# PYTORCH_LIBRARY_PATH / PYTORCH_VERSION / PYTORCH_FLAVOR. Steps: (1) the GPU; (2) the PyTorch side
# (scripts/gpu_reference.py: seeded weights and inputs, PyTorch's outputs and timings); (3) the JNI
# build; (4) io.tl4j.benchmarks.GpuHeadline: the same weights and inputs through tl4j, outputs
# compared with PyTorch's, then timed. Everything goes to $RESULTS (default /tmp/gpu-results).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREP=$ROOT/.gpu
RESULTS=${RESULTS:-/tmp/gpu-results}
WORK=/tmp/gpu-work
mkdir -p "$RESULTS" "$WORK"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$RESULTS/gpu.txt"
nproc | sed 's/^/cpus /' | tee -a "$RESULTS/gpu.txt"

TORCH=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
VERSION=$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')
CUDA=$(python3 -c 'import torch; print(torch.version.cuda.replace(".", ""))')
ABI=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
echo "libtorch $VERSION cuda $CUDA cxx11abi $ABI at $TORCH" | tee -a "$RESULTS/gpu.txt"

PYTHONUNBUFFERED=1 python3 "$ROOT/tl-benchmarks/scripts/gpu_reference.py" --out "$WORK" \
    --tokenizer "$PREP/tokenizer.json" 2>&1 | tee "$RESULTS/pytorch.txt"

# DJL's JNI library against this libtorch
OBJ=$WORK/obj
mkdir -p "$OBJ"
FLAGS=(-O2 -fPIC -std=c++17 -D_GLIBCXX_USE_CXX11_ABI="$ABI" -I "$PREP/native/include" -I "$PREP/native/src"
  -I "$TORCH/include" -I "$TORCH/include/torch/csrc/api/include" -I /usr/local/cuda/include)
for f in "$PREP"/native/src/*.cc; do
  name=$(basename "$f" .cc)
  (g++ "${FLAGS[@]}" -DUSE_CUDA -c "$f" -o "$OBJ/$name.o" 2> "$OBJ/$name.err" \
    || g++ "${FLAGS[@]}" -c "$f" -o "$OBJ/$name.o" 2>> "$OBJ/$name.err") &
done
wait
for f in "$PREP"/native/src/*.cc; do
  name=$(basename "$f" .cc)
  [[ -f $OBJ/$name.o ]] || { echo "JNI: $name did not compile:"; head -30 "$OBJ/$name.err"; }
done 2>&1 | tee "$RESULTS/jni.txt"
JNI_DIR=$HOME/.djl.ai/pytorch/$VERSION-cu$CUDA-linux-x86_64
mkdir -p "$JNI_DIR"
g++ -shared -o "$JNI_DIR/0.36.0-libdjl_torch.so" "$OBJ"/*.o -L "$TORCH/lib" -ltorch -ltorch_cpu -ltorch_cuda \
    -lc10 -lc10_cuda -Wl,-rpath,"$TORCH/lib" 2>&1 | tail -20 | tee -a "$RESULTS/jni.txt"
ls -la "$JNI_DIR" | tee -a "$RESULTS/jni.txt"

tar xJf "$PREP/jre17b.txz" -C /tmp
CUDART=$(dirname "$(find "$(dirname "$TORCH")" /usr/local/cuda/ -name 'libcudart.so*' 2> /dev/null | head -1)")
# DJL's tokenizers look for CUDA builds of their natives on a GPU machine and would download them:
# the CPU build in the jar is what tl4j uses
python3 -c "import zipfile, sys; zipfile.ZipFile(sys.argv[1]).extract('native/lib/linux-x86_64/cpu/libtokenizers.so', sys.argv[2])" \
    "$PREP/lib/tokenizers-0.36.0-linux.jar" "$WORK"
export RUST_LIBRARY_PATH=$WORK/native/lib/linux-x86_64/cpu/libtokenizers.so
export PYTORCH_LIBRARY_PATH=$TORCH/lib PYTORCH_VERSION=$VERSION PYTORCH_FLAVOR=cu$CUDA
export LD_LIBRARY_PATH=$CUDART:$TORCH/lib:${LD_LIBRARY_PATH:-}
/tmp/jre17b/bin/java -Djna.library.path="$CUDART" -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
    -cp "$(echo "$PREP"/lib/*.jar | tr ' ' ':')" io.tl4j.benchmarks.GpuHeadline "$WORK" 2>&1 \
    | tee "$RESULTS/tl4j.txt"
grep -h '^RESULT' "$RESULTS/pytorch.txt" "$RESULTS/tl4j.txt" | tee "$RESULTS/results.txt"
