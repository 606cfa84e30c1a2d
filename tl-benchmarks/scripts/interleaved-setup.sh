# Sourced by headline.sh and vision.sh after they set HERE, ROOT, RAW and PROFILE_NAME: the shared set-up of a
# run that interleaves tl4j and PyTorch eager. Sets PYTHON, PYTORCH_BLAS (scripts/pytorch-blas.sh), each side's
# oneDNN setting and pytorch_isa (scripts/pytorch-isa.sh), JVM_PROPS and
# ALLOCATOR (tcmalloc preloaded for both sides when installed, else glibc malloc with the build's GLIBC_TUNABLES),
# exits 2 without Debian's python3-torch and python3-torchvision, builds the benchmark jar unless SKIP_BUILD=1, and
# empties RAW.
PYTHON=/usr/bin/python3
source "$HERE/scripts/pytorch-blas.sh"
source "$HERE/scripts/pytorch-isa.sh"
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
JVM_PROPS="-Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error"

if [[ -r $TCMALLOC ]]; then
  export LD_PRELOAD=$TCMALLOC ALLOCATOR="tcmalloc ($TCMALLOC)"
else
  export GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184:glibc.malloc.top_pad=67108864
  ALLOCATOR="glibc malloc with GLIBC_TUNABLES=$GLIBC_TUNABLES"
fi
if ! "$PYTHON" -c 'import torch, torchvision' 2> /dev/null; then
  echo "$PROFILE_NAME needs Debian's python3-torch and python3-torchvision at $PYTHON" >&2
  exit 2
fi
if [[ -z ${SKIP_BUILD:-} ]]; then
  (cd "$ROOT" && mvn -B -q -pl tl-benchmarks -am -DskipTests -Dmaven.javadoc.skip=true package)
fi
rm -rf "$RAW"
mkdir -p "$RAW"
