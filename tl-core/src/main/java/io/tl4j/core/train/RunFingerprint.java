package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import io.tl4j.core.data.LabeledData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fingerprints what a resumed run must share with the run that wrote its checkpoint besides the
 * settings, and names what differs between two fingerprints: the training data (class names, size, every label, and every input whose content has a
 * stable hash: strings, paths, numbers and primitive arrays) and the starting weights (sha256 of every
 * tensor, by name).
 */
public final class RunFingerprint {

    private RunFingerprint() {}

    /**
     * Returns a fingerprint of the data's class names, size, labels and, for inputs of types whose
     * content hashes the same in every JVM (strings, paths, numbers, primitive arrays), inputs.
     *
     * @param data the data
     * @return {@code "<size>:<sha256 hex>"}
     */
    public static String ofData(LabeledData<?> data) {
        MessageDigest digest = sha256();
        digest.update(String.join("\n", data.classNames()).getBytes(StandardCharsets.UTF_8));
        ByteBuffer labels = ByteBuffer.allocate(4 * data.size());
        for (int label : data.labels()) {
            labels.putInt(label);
        }
        digest.update(labels.array());
        ByteBuffer contents = ByteBuffer.allocate(4 * data.size());
        for (int i = 0; i < data.size(); i++) {
            contents.putInt(stableHash(data.input(i)));
        }
        digest.update(contents.array());
        return data.size() + ":" + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Returns the sha256 of a set of named tensors (names, shapes, data types and bytes), or
     * {@code "none"} for an empty set (random initialisation, which the seed already fixes).
     *
     * @param weights the tensors by name
     * @return the hex digest
     */
    public static String ofWeights(Map<String, NDArray> weights) {
        if (weights.isEmpty()) {
            return "none";
        }
        MessageDigest digest = sha256();
        for (String name : weights.keySet().stream().sorted().toList()) {
            NDArray array = weights.get(name);
            digest.update((name + ":" + array.getShape() + ":" + array.getDataType()).getBytes(StandardCharsets.UTF_8));
            if (array.size() > 0) {
                // a view of the tensor's own memory where the engine gives one (libtorch on the host):
                // hashing a 90 MB base model then copies nothing; the bytes, and so the hash, are the same
                digest.update(array.toByteBuffer(true));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Names the fields in which two JSON fingerprints differ, nested fields by their dotted path.
     *
     * @param saved the checkpoint's fingerprint
     * @param current this run's fingerprint
     * @return the differing fields, e.g. {@code ["config.epochs: 10 -> 12"]}; for a checkpoint whose
     *     fingerprint is not JSON (written by an earlier tl4j), a single entry saying so
     */
    public static List<String> differences(String saved, String current) {
        Map<String, String> a;
        try {
            a = flatten(saved);
        } catch (RuntimeException e) {
            return List.of(
                    "the checkpoint's fingerprint is not in this version's format (written by an earlier" + " tl4j)");
        }
        Map<String, String> b = flatten(current);
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.stream()
                .filter(k -> !java.util.Objects.equals(a.get(k), b.get(k)))
                .map(k -> k + ": " + a.getOrDefault(k, "(absent)") + " -> " + b.getOrDefault(k, "(absent)"))
                .toList();
    }

    private static Map<String, String> flatten(String json) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        flatten("", com.google.gson.JsonParser.parseString(json).getAsJsonObject(), fields);
        return fields;
    }

    private static void flatten(String prefix, com.google.gson.JsonObject object, Map<String, String> fields) {
        object.entrySet().forEach(e -> {
            String key = prefix + e.getKey();
            if (e.getValue().isJsonObject()) {
                flatten(key + ".", e.getValue().getAsJsonObject(), fields);
            } else if (e.getValue().isJsonPrimitive()
                    && e.getValue().getAsJsonPrimitive().isString()) {
                fields.put(key, e.getValue().getAsString());
            } else {
                fields.put(key, e.getValue().toString());
            }
        });
    }

    /** A content hash that is the same in every JVM, or 0 for types without one. */
    private static int stableHash(Object input) {
        if (input instanceof float[] a) {
            return java.util.Arrays.hashCode(a);
        } else if (input instanceof double[] a) {
            return java.util.Arrays.hashCode(a);
        } else if (input instanceof int[] a) {
            return java.util.Arrays.hashCode(a);
        } else if (input instanceof long[] a) {
            return java.util.Arrays.hashCode(a);
        } else if (input instanceof byte[] a) {
            return java.util.Arrays.hashCode(a);
        } else if (input instanceof String || input instanceof Number) {
            return input.hashCode();
        } else if (input instanceof java.nio.file.Path || input instanceof java.io.File) {
            return input.toString().hashCode();
        }
        return 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256", e);
        }
    }
}
