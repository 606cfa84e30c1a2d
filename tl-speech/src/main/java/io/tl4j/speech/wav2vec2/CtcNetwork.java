package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.tl4j.core.nn.LayeredBlock;

/**
 * Hugging Face's {@code Wav2Vec2ForCTC}: {@code wav2vec2} (the encoder), dropout, {@code lm_head}.
 * Input as the encoder's; output {@code [logits (batch, frames, vocab), frameLengths (batch)]}.
 */
final class CtcNetwork extends HfBlock {

    private final float dropout;
    private final LayeredBlock encoder;
    private final HfLinear head;
    private final int vocab;

    CtcNetwork(Wav2Vec2Config config, int vocab) {
        this.dropout = config.finalDropout();
        this.vocab = vocab;
        this.encoder = child("wav2vec2", Wav2Vec2Model.newBlock(config));
        this.head = child("lm_head", new HfLinear(config.hiddenSize(), vocab));
    }

    LayeredBlock encoder() {
        return encoder;
    }

    HfLinear head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = encoder.forward(ps, inputs, training).head();
        NDArray hidden = Dropout.dropout(Frames.features(packed), dropout, training).head();
        return new NDList(head.apply(ps, hidden), Frames.lengths(packed));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape frames = encoder.getOutputShapes(inputs)[0];
        return new Shape[] {new Shape(frames.get(0), frames.get(1), vocab), new Shape(frames.get(0))};
    }
}
