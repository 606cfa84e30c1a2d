package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;

/**
 * {@code attention}: multi-head self-attention with {@code q_proj}, {@code k_proj}, {@code v_proj},
 * {@code out_proj}. Padded frames are masked out as keys (additive -10000, as torchaudio).
 */
final class SelfAttention extends TorchModule {

    private final int hidden;
    private final int heads;
    private final float dropout;
    private final TorchLinear q;
    private final TorchLinear k;
    private final TorchLinear v;
    private final TorchLinear out;

    SelfAttention(Wav2Vec2Config config) {
        this.hidden = config.hiddenSize();
        this.heads = config.numAttentionHeads();
        this.dropout = config.attentionDropout();
        this.k = addChildBlock("k_proj", new TorchLinear(hidden, hidden));
        this.v = addChildBlock("v_proj", new TorchLinear(hidden, hidden));
        this.q = addChildBlock("q_proj", new TorchLinear(hidden, hidden));
        this.out = addChildBlock("out_proj", new TorchLinear(hidden, hidden));
    }

    /**
     * Applies multi-head self-attention over the frames.
     *
     * @param x {@code (batch, frames, hidden)}
     * @param keyBias {@code (batch, 1, 1, frames)}: 0 for real frames, -10000 for padding
     * @param training whether dropout applies
     * @return {@code (batch, frames, hidden)}
     */
    NDArray apply(ParameterStore ps, NDArray x, NDArray keyBias, boolean training) {
        long batch = x.getShape().get(0);
        long frames = x.getShape().get(1);
        int headDim = hidden / heads;
        Shape split = new Shape(batch, frames, heads, headDim);
        NDArray query = Scalars.mul(q.apply(ps, x, training), (float) Math.pow(headDim, -0.5))
                .reshape(split)
                .transpose(0, 2, 1, 3);
        NDArray key = k.apply(ps, x, training).reshape(split).transpose(0, 2, 3, 1);
        NDArray value = v.apply(ps, x, training).reshape(split).transpose(0, 2, 1, 3);
        NDArray scores = query.matMul(key).add(keyBias);
        NDArray probabilities = scores.softmax(-1);
        probabilities = Dropout.dropout(probabilities, dropout, training).head();
        NDArray context = probabilities.matMul(value).transpose(0, 2, 1, 3).reshape(batch, frames, hidden);
        return out.apply(ps, context, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray noMask = x.getManager()
                .zeros(new Shape(x.getShape().get(0), 1, 1, x.getShape().get(1)), x.getDataType());
        return new NDList(apply(ps, x, noMask, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
