package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * torchvision ViT's {@code encoder.pos_embedding} (1, 1 + grid², hidden), added to the class and
 * patch tokens. For an image of another size the patch part is resized from its grid to the
 * image's, bicubic with {@code align_corners=True}, as torchvision's {@code interpolate_embeddings}
 * resizes it; the class token's entry stays. The parameter keeps its trained shape, so weight files
 * load unchanged and the resize is recomputed (and differentiated) on each forward.
 */
final class PositionEmbedding extends TorchModule {

    private final int grid;
    private final int hidden;
    private final Parameter embedding;

    PositionEmbedding(int grid, int hidden) {
        this.grid = grid;
        this.hidden = hidden;
        this.embedding = parameter(
                "pos_embedding",
                Parameter.Type.WEIGHT,
                new Shape(1, 1 + (long) grid * grid, hidden),
                new NormalInitializer(0.02f));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        NDArray pos = value(ps, embedding, tokens, training);
        long patches = tokens.getShape().get(1) - 1;
        if (patches != (long) grid * grid) {
            pos = resized(pos, patches);
        }
        return new NDList(tokens.add(pos));
    }

    private NDArray resized(NDArray pos, long patches) {
        int target = (int) Math.round(Math.sqrt(patches));
        if ((long) target * target != patches) {
            throw new IllegalArgumentException("ViT position embeddings need a square grid of patches, got " + patches);
        }
        NDArray resize = pos.getManager()
                .create(BicubicResize.matrix(grid, target, true), new Shape(target, grid))
                .toDevice(pos.getDevice(), false);
        // (grid², hidden) -> (hidden, grid, grid) -> (hidden, target, target) -> (target², hidden)
        NDArray image = pos.get(new NDIndex("0, 1:")).transpose(1, 0).reshape(hidden, grid, grid);
        NDArray out = resize.matMul(image).matMul(resize.transpose(1, 0));
        NDArray patchPart = out.reshape(hidden, (long) target * target).transpose(1, 0);
        return pos.get(new NDIndex("0, :1")).concat(patchPart, 0).expandDims(0);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
