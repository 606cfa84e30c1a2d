package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunFingerprintWeightsTest {

    @Test
    void theWeightsHashIsTheSha256OfNamesShapesTypesAndCopiedBytes() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            weights.put("b.weight", m.randomNormal(new Shape(3, 4)));
            weights.put("a.bias", m.arange(5f));
            weights.put("c.empty", m.zeros(new Shape(0, 4)));
            weights.put("d.ids", m.arange(0, 6, 1, DataType.INT64).reshape(2, 3));
            // the definition saved adapters and checkpoints carry: names sorted, each with its bytes copied out
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            for (String name : weights.keySet().stream().sorted().toList()) {
                NDArray a = weights.get(name);
                expected.update((name + ":" + a.getShape() + ":" + a.getDataType()).getBytes(StandardCharsets.UTF_8));
                expected.update(a.toByteArray());
            }
            assertThat(RunFingerprint.ofWeights(weights))
                    .isEqualTo(HexFormat.of().formatHex(expected.digest()));
            // hashing reads the arrays without changing them
            assertThat(weights.get("a.bias").toFloatArray()).containsExactly(0, 1, 2, 3, 4);
        }
    }
}
