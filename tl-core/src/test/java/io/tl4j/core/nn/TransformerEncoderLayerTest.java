package io.tl4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TransformerNames.Part;
import io.tl4j.core.weights.ParameterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shared transformer encoder layer: parameter names as BERT and ViT lay them out, packed and
 * separate projections computing the same thing, padded keys ignored, and bad layouts refused.
 */
class TransformerEncoderLayerTest {

    private static final TransformerNames BERT = TransformerNames.builder()
            .add(Part.QUERY, "attention.self.query")
            .add(Part.KEY, "attention.self.key")
            .add(Part.VALUE, "attention.self.value")
            .add(Part.ATTENTION_OUTPUT, "attention.output.dense")
            .add(Part.ATTENTION_NORM, "attention.output.LayerNorm")
            .add(Part.FEED_FORWARD_IN, "intermediate.dense")
            .add(Part.FEED_FORWARD_OUT, "output.dense")
            .add(Part.FEED_FORWARD_NORM, "output.LayerNorm")
            .build();

    private static final TransformerNames VIT = TransformerNames.builder()
            .add(Part.ATTENTION_NORM, "ln_1")
            .add(Part.PACKED_QKV, "self_attention")
            .add(Part.ATTENTION_OUTPUT, "self_attention.out_proj")
            .add(Part.FEED_FORWARD_NORM, "ln_2")
            .add(Part.FEED_FORWARD_IN, "mlp.0")
            .add(Part.FEED_FORWARD_OUT, "mlp.3")
            .build();

    private static TransformerLayerSpec spec(TransformerNames names, boolean preNorm) {
        return new TransformerLayerSpec(
                8, 2, 12, 1e-6f, preNorm, 0f, 0f, 0f, Activation::gelu, TorchLinear::new, names);
    }

    @Test
    void parameterNamesFollowTheLayoutInItsOrder() {
        List<String> bert = new ArrayList<>(ParameterNames.of(new TransformerEncoderLayer(spec(BERT, false)))
                .keySet());
        assertThat(bert)
                .containsExactly(
                        "attention.self.query.weight",
                        "attention.self.query.bias",
                        "attention.self.key.weight",
                        "attention.self.key.bias",
                        "attention.self.value.weight",
                        "attention.self.value.bias",
                        "attention.output.dense.weight",
                        "attention.output.dense.bias",
                        "attention.output.LayerNorm.weight",
                        "attention.output.LayerNorm.bias",
                        "intermediate.dense.weight",
                        "intermediate.dense.bias",
                        "output.dense.weight",
                        "output.dense.bias",
                        "output.LayerNorm.weight",
                        "output.LayerNorm.bias");
        Map<String, Parameter> vit = ParameterNames.of(new TransformerEncoderLayer(spec(VIT, true)));
        assertThat(vit.keySet())
                .containsExactly(
                        "ln_1.weight",
                        "ln_1.bias",
                        "self_attention.in_proj_weight",
                        "self_attention.in_proj_bias",
                        "self_attention.out_proj.weight",
                        "self_attention.out_proj.bias",
                        "ln_2.weight",
                        "ln_2.bias",
                        "mlp.0.weight",
                        "mlp.0.bias",
                        "mlp.3.weight",
                        "mlp.3.bias");
        assertThat(vit.get("self_attention.in_proj_weight").getShape()).isEqualTo(new Shape(24, 8));
        assertThat(vit.get("mlp.0.weight").getShape()).isEqualTo(new Shape(12, 8));
    }

    @Test
    void aPackedProjectionComputesWhatSeparateOnesDoQueriesFirst() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerNames separateNames = TransformerNames.builder()
                    .add(Part.ATTENTION_NORM, "ln_1")
                    .add(Part.QUERY, "q")
                    .add(Part.KEY, "k")
                    .add(Part.VALUE, "v")
                    .add(Part.ATTENTION_OUTPUT, "self_attention.out_proj")
                    .add(Part.FEED_FORWARD_NORM, "ln_2")
                    .add(Part.FEED_FORWARD_IN, "mlp.0")
                    .add(Part.FEED_FORWARD_OUT, "mlp.3")
                    .build();
            TransformerEncoderLayer separate =
                    initialized(new TransformerEncoderLayer(spec(separateNames, true)), manager);
            TransformerEncoderLayer packed = initialized(new TransformerEncoderLayer(spec(VIT, true)), manager);
            Map<String, Parameter> from = ParameterNames.of(separate);
            Map<String, Parameter> to = ParameterNames.of(packed);
            to.forEach((name, p) -> {
                if (from.containsKey(name)) {
                    p.getArray().set(from.get(name).getArray().toFloatArray());
                }
            });
            for (String kind : new String[] {"weight", "bias"}) {
                NDArray joined = NDArrays.concat(new NDList(
                        from.get("q." + kind).getArray(),
                        from.get("k." + kind).getArray(),
                        from.get("v." + kind).getArray()));
                to.get("self_attention.in_proj_" + kind).getArray().set(joined.toFloatArray());
            }
            NDArray x = manager.randomNormal(new Shape(2, 5, 8));
            ParameterStore ps = new ParameterStore(manager, false);
            float[] expected = separate.forward(ps, new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();
            float[] actual =
                    packed.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertThat(actual).containsExactly(expected, offset(1e-5f));
        }
    }

    @Test
    void paddedKeysDoNotChangeTheRealTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerEncoderLayer layer = initialized(new TransformerEncoderLayer(spec(BERT, false)), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray padded = manager.randomNormal(new Shape(1, 6, 8));
            NDArray mask = manager.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(1, 6));
            NDArray bias = MultiHeadAttention.keyBias(mask, -Float.MAX_VALUE);
            assertThat(bias.toFloatArray())
                    .containsExactly(new float[] {0, 0, 0, 0, -Float.MAX_VALUE, -Float.MAX_VALUE}, offset(0f));
            float[] withPadding = layer.apply(ps, padded, bias, false)
                    .get(new NDIndex(":, :4"))
                    .toFloatArray();
            float[] alone = layer.apply(ps, padded.get(new NDIndex(":, :4")), null, false)
                    .toFloatArray();
            assertThat(withPadding).containsExactly(alone, offset(1e-5f));
            // without the bias the padding is attended and the real tokens change
            float[] attended = layer.apply(ps, padded, null, false)
                    .get(new NDIndex(":, :4"))
                    .toFloatArray();
            assertThat(attended).isNotEqualTo(alone);
        }
    }

    @Test
    void aLayoutNamesEveryPartOnceWithSeparateOrPackedProjections() {
        assertThatThrownBy(() -> TransformerNames.builder()
                        .add(Part.QUERY, "q")
                        .add(Part.ATTENTION_OUTPUT, "o")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing KEY");
        assertThatThrownBy(() -> TransformerNames.builder()
                        .add(Part.PACKED_QKV, "qkv")
                        .add(Part.QUERY, "q")
                        .build())
                .hasMessageContaining("Unexpected QUERY");
        assertThatThrownBy(() -> TransformerNames.builder().add(Part.QUERY, "a..b"))
                .hasMessageContaining("Malformed name for QUERY");
        assertThatThrownBy(() -> new TransformerLayerSpec(
                        8, 3, 12, 1e-6f, true, 0f, 0f, 0f, Activation::gelu, TorchLinear::new, BERT))
                .hasMessageContaining("heads 3");
    }

    /** A layer holding one parameter named by the empty string: the key is the layer's own path. */
    private static final class Token extends TorchModule {
        Token() {
            parameter("", Parameter.Type.WEIGHT, new Shape(1, 1, 8), Initializer.ZEROS);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }
    }

    @Test
    void aParameterNamedByTheEmptyStringTakesItsLayersPath() {
        LayeredBlock block =
                new LayeredBlock().add("conv_proj", new TorchLinear(2, 8)).add("class_token", new Token());
        assertThat(ParameterNames.of(block).keySet())
                .containsExactly("conv_proj.weight", "conv_proj.bias", "class_token");
    }

    private static TransformerEncoderLayer initialized(TransformerEncoderLayer layer, NDManager manager) {
        layer.setInitializer(new NormalInitializer(0.3f), p -> true);
        layer.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 8));
        return layer;
    }
}
