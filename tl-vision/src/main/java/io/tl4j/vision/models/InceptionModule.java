package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of torchvision's Inception-v3 mixed blocks ({@code InceptionA} ... {@code InceptionE}):
 * parallel branches of {@link BasicConv2d} whose outputs are concatenated along the channels, with
 * torchvision's child names ({@code branch1x1}, {@code branch5x5_1}, ..., {@code branch_pool}).
 *
 * <p>A branch may start with a 3x3 pooling (average with stride 1 and padding 1, counting the padding
 * as torchvision's {@code avg_pool2d} does, or max with stride 2), then runs a chain of convolutions
 * and may end in a fork of two convolutions applied to the chain's output (InceptionE's 1x3 and 3x1
 * pair), whose outputs are concatenated in turn.
 */
final class InceptionModule extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The pooling a branch starts with. */
    private enum Pooling {
        NONE,
        AVERAGE,
        MAX
    }

    /** A branch: its pooling, its chain of convolution names and its fork (empty or two names). */
    private record Branch(Pooling pooling, List<String> chain, List<String> fork) {}

    private final List<Branch> branches = new ArrayList<>();
    private final Map<String, BasicConv2d> convs = new LinkedHashMap<>();

    private InceptionModule() {
        super(VERSION);
    }

    /** Returns torchvision's {@code InceptionA} (Mixed_5b-5d) with that many pooled-branch channels. */
    static InceptionModule a(int poolFeatures) {
        InceptionModule m = new InceptionModule();
        m.branch(Pooling.NONE, List.of(conv("branch1x1", 64, 1, 1, 1, 0, 0)));
        m.branch(Pooling.NONE, List.of(conv("branch5x5_1", 48, 1, 1, 1, 0, 0), conv("branch5x5_2", 64, 5, 5, 1, 2, 2)));
        m.branch(
                Pooling.NONE,
                List.of(
                        conv("branch3x3dbl_1", 64, 1, 1, 1, 0, 0),
                        conv("branch3x3dbl_2", 96, 3, 3, 1, 1, 1),
                        conv("branch3x3dbl_3", 96, 3, 3, 1, 1, 1)));
        m.branch(Pooling.AVERAGE, List.of(conv("branch_pool", poolFeatures, 1, 1, 1, 0, 0)));
        return m;
    }

    /** Returns torchvision's {@code InceptionB} (Mixed_6a), which halves the resolution. */
    static InceptionModule b() {
        InceptionModule m = new InceptionModule();
        m.branch(Pooling.NONE, List.of(conv("branch3x3", 384, 3, 3, 2, 0, 0)));
        m.branch(
                Pooling.NONE,
                List.of(
                        conv("branch3x3dbl_1", 64, 1, 1, 1, 0, 0),
                        conv("branch3x3dbl_2", 96, 3, 3, 1, 1, 1),
                        conv("branch3x3dbl_3", 96, 3, 3, 2, 0, 0)));
        m.branch(Pooling.MAX, List.of());
        return m;
    }

    /** Returns torchvision's {@code InceptionC} (Mixed_6b-6e) with that many 7x7-branch channels. */
    static InceptionModule c(int c7) {
        InceptionModule m = new InceptionModule();
        m.branch(Pooling.NONE, List.of(conv("branch1x1", 192, 1, 1, 1, 0, 0)));
        m.branch(
                Pooling.NONE,
                List.of(
                        conv("branch7x7_1", c7, 1, 1, 1, 0, 0),
                        conv("branch7x7_2", c7, 1, 7, 1, 0, 3),
                        conv("branch7x7_3", 192, 7, 1, 1, 3, 0)));
        m.branch(
                Pooling.NONE,
                List.of(
                        conv("branch7x7dbl_1", c7, 1, 1, 1, 0, 0),
                        conv("branch7x7dbl_2", c7, 7, 1, 1, 3, 0),
                        conv("branch7x7dbl_3", c7, 1, 7, 1, 0, 3),
                        conv("branch7x7dbl_4", c7, 7, 1, 1, 3, 0),
                        conv("branch7x7dbl_5", 192, 1, 7, 1, 0, 3)));
        m.branch(Pooling.AVERAGE, List.of(conv("branch_pool", 192, 1, 1, 1, 0, 0)));
        return m;
    }

    /** Returns torchvision's {@code InceptionD} (Mixed_7a), which halves the resolution. */
    static InceptionModule d() {
        InceptionModule m = new InceptionModule();
        m.branch(
                Pooling.NONE,
                List.of(conv("branch3x3_1", 192, 1, 1, 1, 0, 0), conv("branch3x3_2", 320, 3, 3, 2, 0, 0)));
        m.branch(
                Pooling.NONE,
                List.of(
                        conv("branch7x7x3_1", 192, 1, 1, 1, 0, 0),
                        conv("branch7x7x3_2", 192, 1, 7, 1, 0, 3),
                        conv("branch7x7x3_3", 192, 7, 1, 1, 3, 0),
                        conv("branch7x7x3_4", 192, 3, 3, 2, 0, 0)));
        m.branch(Pooling.MAX, List.of());
        return m;
    }

    /** Returns torchvision's {@code InceptionE} (Mixed_7b, Mixed_7c). */
    static InceptionModule e() {
        InceptionModule m = new InceptionModule();
        m.branch(Pooling.NONE, List.of(conv("branch1x1", 320, 1, 1, 1, 0, 0)));
        m.branch(
                Pooling.NONE,
                List.of(conv("branch3x3_1", 384, 1, 1, 1, 0, 0)),
                conv("branch3x3_2a", 384, 1, 3, 1, 0, 1),
                conv("branch3x3_2b", 384, 3, 1, 1, 1, 0));
        m.branch(
                Pooling.NONE,
                List.of(conv("branch3x3dbl_1", 448, 1, 1, 1, 0, 0), conv("branch3x3dbl_2", 384, 3, 3, 1, 1, 1)),
                conv("branch3x3dbl_3a", 384, 1, 3, 1, 0, 1),
                conv("branch3x3dbl_3b", 384, 3, 1, 1, 1, 0));
        m.branch(Pooling.AVERAGE, List.of(conv("branch_pool", 192, 1, 1, 1, 0, 0)));
        return m;
    }

    private record Named(String name, BasicConv2d block) {}

    private static Named conv(String name, int filters, int kh, int kw, int stride, int ph, int pw) {
        return new Named(name, new BasicConv2d(filters, kh, kw, stride, ph, pw));
    }

    private void branch(Pooling pooling, List<Named> chain, Named... fork) {
        List<String> chainNames = new ArrayList<>();
        for (Named n : chain) {
            convs.put(n.name(), addChildBlock(n.name(), n.block()));
            chainNames.add(n.name());
        }
        List<String> forkNames = new ArrayList<>();
        for (Named n : fork) {
            convs.put(n.name(), addChildBlock(n.name(), n.block()));
            forkNames.add(n.name());
        }
        branches.add(new Branch(pooling, chainNames, forkNames));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList outputs = new NDList();
        for (Branch branch : branches) {
            NDArray y = switch (branch.pooling()) {
                case NONE -> x;
                case AVERAGE -> Pool.avgPool2d(x, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false, true);
                case MAX -> Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
            };
            for (String name : branch.chain()) {
                y = convs.get(name)
                        .forward(parameterStore, new NDList(y), training)
                        .singletonOrThrow();
            }
            if (branch.fork().isEmpty()) {
                outputs.add(y);
            } else {
                for (String name : branch.fork()) {
                    outputs.add(convs.get(name)
                            .forward(parameterStore, new NDList(y), training)
                            .singletonOrThrow());
                }
            }
        }
        return new NDList(NDArrays.concat(outputs, 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Branch branch : branches) {
            Shape[] shape = pooled(branch.pooling(), inputShapes);
            for (String name : branch.chain()) {
                convs.get(name).initialize(manager, dataType, shape);
                shape = convs.get(name).getOutputShapes(shape);
            }
            for (String name : branch.fork()) {
                convs.get(name).initialize(manager, dataType, shape);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long channels = 0;
        Shape last = null;
        for (Branch branch : branches) {
            Shape[] shape = pooled(branch.pooling(), inputShapes);
            for (String name : branch.chain()) {
                shape = convs.get(name).getOutputShapes(shape);
            }
            if (branch.fork().isEmpty()) {
                channels += shape[0].get(1);
                last = shape[0];
            } else {
                for (String name : branch.fork()) {
                    Shape out = convs.get(name).getOutputShapes(shape)[0];
                    channels += out.get(1);
                    last = out;
                }
            }
        }
        return new Shape[] {new Shape(last.get(0), channels, last.get(2), last.get(3))};
    }

    private static Shape[] pooled(Pooling pooling, Shape[] inputShapes) {
        if (pooling != Pooling.MAX) {
            return inputShapes;
        }
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), (s.get(2) - 3) / 2 + 1, (s.get(3) - 3) / 2 + 1)};
    }
}
