package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;

/**
 * Hugging Face's {@code Wav2Vec2ForCTC}: {@code wav2vec2} (the encoder), dropout, {@code lm_head}.
 * Input as the encoder's; output {@code [logits (batch, frames, vocab), frameLengths (batch)]}.
 */
final class CtcNetwork extends TorchModule {

    private final float dropout;
    private final LayeredBlock encoder;
    private final TorchLinear head;
    private final int vocab;

    CtcNetwork(Wav2Vec2Config config, int vocab) {
        this.dropout = config.finalDropout();
        this.vocab = vocab;
        this.encoder = addChildBlock("wav2vec2", Wav2Vec2Model.newBlock(config));
        this.head = addChildBlock("lm_head", new TorchLinear(config.hiddenSize(), vocab));
    }

    LayeredBlock encoder() {
        return encoder;
    }

    TorchLinear head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = encoder.forward(ps, inputs, training).head();
        NDArray hidden =
                Dropout.dropout(Frames.features(packed), dropout, training).head();
        return new NDList(head.apply(ps, hidden, training), Frames.lengths(packed));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape frames = encoder.getOutputShapes(inputs)[0];
        return new Shape[] {new Shape(frames.get(0), frames.get(1), vocab), new Shape(frames.get(0))};
    }
}
