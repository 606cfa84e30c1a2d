package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * A transformer encoder layer: multi-head self-attention ({@link MultiHeadAttention}) and a
 * two-layer feed-forward part, each with a residual connection and a LayerNorm, pre-norm or
 * post-norm. Its parameter names come from {@link TransformerNames}, so Hugging Face's {@code
 * BertLayer}, torchaudio's wav2vec2 {@code EncoderLayer} and torchvision's ViT {@code EncoderBlock}
 * are all this class. Separate query and value projections stay {@link TorchLinear}s, which LoRA
 * adapts.
 *
 * <p>Post-norm: {@code h = norm1(x + drop(out(attn(x))))}, {@code y = norm2(h + ff(h))}. Pre-norm:
 * {@code h = x + drop(out(attn(norm1(x))))}, {@code y = h + ff(norm2(h))}. The feed-forward part is
 * {@code drop(out(dropAct(act(in(x)))))}.
 *
 * <p>Its plain forward takes (batch, tokens, hidden) with every token attended; models with padding
 * call {@link #apply} with a key bias from their own input format.
 */
public class TransformerEncoderLayer extends TorchModule {

    private final TransformerLayerSpec spec;
    private TorchLinear query;
    private TorchLinear key;
    private TorchLinear value;
    private PackedQkvProjection packed;
    private TorchLinear attentionOutput;
    private TorchLayerNorm attentionNorm;
    private TorchLinear feedForwardIn;
    private TorchLinear feedForwardOut;
    private TorchLayerNorm feedForwardNorm;

    /**
     * Creates the layer, its parts added in the order {@code spec.names()} lists them.
     *
     * @param spec the layer's sizes, norms, dropouts, activation and names
     */
    public TransformerEncoderLayer(TransformerLayerSpec spec) {
        this.spec = spec;
        int h = spec.hiddenSize();
        int f = spec.feedForwardSize();
        for (Map.Entry<TransformerNames.Part, String> part :
                spec.names().parts().entrySet()) {
            String name = part.getValue();
            switch (part.getKey()) {
                case QUERY -> query = addChildBlock(name, spec.linears().create(h, h));
                case KEY -> key = addChildBlock(name, spec.linears().create(h, h));
                case VALUE -> value = addChildBlock(name, spec.linears().create(h, h));
                case PACKED_QKV -> packed = addChildBlock(name, new PackedQkvProjection(h));
                case ATTENTION_OUTPUT ->
                    attentionOutput = addChildBlock(name, spec.linears().create(h, h));
                case ATTENTION_NORM -> attentionNorm = addChildBlock(name, new TorchLayerNorm(h, spec.layerNormEps()));
                case FEED_FORWARD_IN ->
                    feedForwardIn = addChildBlock(name, spec.linears().create(h, f));
                case FEED_FORWARD_OUT ->
                    feedForwardOut = addChildBlock(name, spec.linears().create(f, h));
                case FEED_FORWARD_NORM ->
                    feedForwardNorm = addChildBlock(name, new TorchLayerNorm(h, spec.layerNormEps()));
                default -> throw new IllegalStateException("unknown part " + part.getKey());
            }
        }
    }

    /** Returns the layer's description. */
    public TransformerLayerSpec spec() {
        return spec;
    }

    /**
     * Runs the layer.
     *
     * @param ps the parameter store
     * @param x the tokens, (batch, tokens, hidden)
     * @param keyBias added to the attention scores of each key, (batch, 1, 1, tokens) (see {@link
     *     MultiHeadAttention#keyBias}), or null when every token is attended
     * @param training whether dropout applies and gradients are recorded
     * @return the new tokens, (batch, tokens, hidden)
     */
    public final NDArray apply(ParameterStore ps, NDArray x, NDArray keyBias, boolean training) {
        boolean pre = spec.preNorm();
        NDArray attended = attend(ps, pre ? attentionNorm.apply(ps, x, training) : x, keyBias, training);
        NDArray h = x.add(dropout(attentionOutput.apply(ps, attended, training), spec.hiddenDropout(), training));
        if (pre) {
            return h.add(feedForward(ps, feedForwardNorm.apply(ps, h, training), training));
        }
        h = attentionNorm.apply(ps, h, training);
        return feedForwardNorm.apply(ps, h.add(feedForward(ps, h, training)), training);
    }

    private NDArray attend(ParameterStore ps, NDArray x, NDArray keyBias, boolean training) {
        NDArray q;
        NDArray k;
        NDArray v;
        if (packed != null) {
            NDList qkv = packed.apply(ps, x, training);
            q = qkv.get(0);
            k = qkv.get(1);
            v = qkv.get(2);
        } else {
            q = query.apply(ps, x, training);
            k = key.apply(ps, x, training);
            v = value.apply(ps, x, training);
        }
        return MultiHeadAttention.attend(q, k, v, spec.numHeads(), keyBias, spec.attentionDropout(), training);
    }

    private NDArray feedForward(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = spec.activation().apply(feedForwardIn.apply(ps, x, training));
        h = dropout(h, spec.activationDropout(), training);
        return dropout(feedForwardOut.apply(ps, h, training), spec.hiddenDropout(), training);
    }

    private static NDArray dropout(NDArray x, float p, boolean training) {
        return p > 0 && training ? Dropout.dropout(x, p, true).singletonOrThrow() : x;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
