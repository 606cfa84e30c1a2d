#!/usr/bin/env bash
# Builds it/consumer against the tl4j artifacts installed in the local Maven repository (run `mvn install` first)
# and runs it with plain java: no Maven, no ONEDNN_MAX_CPU_ISA, no GLIBC_TUNABLES, no LD_PRELOAD.
set -euo pipefail
cd "$(dirname "$0")/consumer"
mvn -B -q ${MVN_ARGS:-} package
# a library jar must not bring test-only or demo artifacts to its users
leaked=$(ls target/lib | grep -E '^(junit|junit-jupiter|opentest4j|assertj|apiguardian|tl-demo-data|hamcrest)' || true)
if [[ -n $leaked ]]; then
    echo "test-only or demo artifacts on the consumer's runtime class path: $leaked" >&2
    exit 1
fi
env -u ONEDNN_MAX_CPU_ISA -u DNNL_MAX_CPU_ISA -u GLIBC_TUNABLES -u LD_PRELOAD \
    java -cp "target/classes:target/lib/*" io.tl4j.it.Consumer
