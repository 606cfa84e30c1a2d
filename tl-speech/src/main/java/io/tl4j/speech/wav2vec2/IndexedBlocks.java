package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;
import java.util.ArrayList;
import java.util.List;

/**
 * A PyTorch {@code nn.ModuleList}: children named {@code 0}, {@code 1}, ... that its owner runs
 * itself, one by one.
 *
 * @param <B> the children's type
 */
final class IndexedBlocks<B extends Block> extends TorchModule {

    private final List<B> blocks = new ArrayList<>();

    void add(B block) {
        addChildBlock(Integer.toString(blocks.size()), block);
        blocks.add(block);
    }

    List<B> blocks() {
        return blocks;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList current = inputs;
        for (B block : blocks) {
            current = block.forward(ps, current, training);
        }
        return current;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] current = inputs;
        for (B block : blocks) {
            current = block.getOutputShapes(current);
        }
        return current;
    }
}
