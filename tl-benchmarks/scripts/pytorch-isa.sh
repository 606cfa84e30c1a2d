# Sourced by run.sh, headline.sh and vision.sh: how far each side may use the CPU's vector instructions.
# tl4j's JVMs run with ONEDNN_MAX_CPU_ISA=AVX2, as tl4j runs by default on AVX-512 CPUs (EngineSetup:
# libtorch 2.7.1's convolution backward computes wrong input gradients above it). PyTorch runs as its users
# run it, uncapped: PyTorch 1.13's backward is right there (0 of 1,200 repeated input gradients differed)
# and on this AMD EPYC it ran ResNet-50 inference, ResNet-18 fine-tuning and the cached features 1.43-1.67x
# faster than capped. Headline runs 1-7 and the first vision runs capped PyTorch as well, which flattered
# tl4j by that much; PYTORCH_ISA_CAP=AVX2 repeats that setting.
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
PYTORCH_ISA=${PYTORCH_ISA_CAP:-uncapped}

# pytorch_isa COMMAND...: runs COMMAND (PyTorch's side) under PyTorch's setting
pytorch_isa() {
  if [[ -n ${PYTORCH_ISA_CAP:-} ]]; then
    ONEDNN_MAX_CPU_ISA=$PYTORCH_ISA_CAP "$@"
  else
    env -u ONEDNN_MAX_CPU_ISA "$@"
  fi
}
