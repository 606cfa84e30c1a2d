#!/usr/bin/env bash
# Builds it/consumer against the tl4j artifacts installed in the local Maven repository (run `mvn install` first)
# and runs it with plain java: no Maven, no ONEDNN_MAX_CPU_ISA, no GLIBC_TUNABLES, no LD_PRELOAD.
set -euo pipefail
cd "$(dirname "$0")/consumer"
mvn -B -q ${MVN_ARGS:-} package
env -u ONEDNN_MAX_CPU_ISA -u DNNL_MAX_CPU_ISA -u GLIBC_TUNABLES -u LD_PRELOAD \
    java -cp "target/classes:target/lib/*" io.tl4j.it.Consumer
