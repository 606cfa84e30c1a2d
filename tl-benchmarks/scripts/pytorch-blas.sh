# Sourced by run.sh, headline.sh and vision.sh: names the BLAS library Debian's PyTorch 1.13 calls for
# its linear layers (BLAS_INFO=generic: whatever libblas.so.3 points to) and warns when that is the
# reference implementation, which makes PyTorch's linear layers several times slower than a user's
# pip or conda PyTorch with MKL (measured on this machine: the 2048x512 linear head 21,500 items/s on
# the reference BLAS, 32,000-34,800 on OpenBLAS), so every ratio against it would flatter tl4j.
# Install OpenBLAS first: apt-get install libopenblas0-openmp.
PYTORCH_BLAS=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2> /dev/null || echo "unknown")
if [[ $PYTORCH_BLAS == */blas/libblas.so.3 ]]; then
  echo "WARNING: libblas.so.3 is the reference BLAS ($PYTORCH_BLAS): PyTorch's linear layers run slowly" \
    "and ratios against PyTorch flatter tl4j; install OpenBLAS (apt-get install libopenblas0-openmp)" >&2
  PYTORCH_BLAS="$PYTORCH_BLAS (the reference BLAS: PyTorch's linear layers are handicapped)"
fi
