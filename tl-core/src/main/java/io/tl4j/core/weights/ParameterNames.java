package io.tl4j.core.weights;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gives every parameter of a DJL block a stable, PyTorch-style dotted name.
 *
 * <p>A block's direct parameters come first, under DJL's own names ({@code weight}, {@code bias},
 * {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar}); then each child in order,
 * its names prefixed with the child's name and a dot, recursively. A block without children, such
 * as a TorchScript {@code PtSymbolBlock}, contributes its parameters' names as they are (they
 * already contain dots, e.g. {@code layer1.0.conv1.weight}). A parameter named by the empty string
 * takes its block's own path: a layer {@code class_token} holding one such parameter yields the key
 * {@code class_token}, as torchvision's ViT names its class token.
 *
 * <p>Child names: DJL stores the {@code i}-th child (zero-based) of a block under {@code
 * String.format("%02d", i + 1) + name}, e.g. {@code 01Linear}; that index prefix is stripped (a key
 * without it, from a block that fills its child list by hand, is kept whole). The stripped names
 * are the children's names unless, for that block, one of them is empty, two are equal, or every
 * one is merely its child's class name, which is how DJL's {@code SequentialBlock} and {@code
 * ParallelBlock} name children. In those cases <em>every</em> child of the block is named by its
 * zero-based position, as in PyTorch's {@code nn.Sequential}. So a {@code SequentialBlock} of
 * Linear, BatchNorm, Linear yields {@code 0.weight}, {@code 0.bias}, {@code 1.gamma}, {@code
 * 1.beta}, {@code 1.runningMean}, {@code 1.runningVar}, {@code 2.weight}, {@code 2.bias}, and a
 * block whose children were added as {@code addChildBlock("encoder", ...)} and {@code
 * addChildBlock("head", ...)} yields {@code encoder.*} and {@code head.*}. Children without
 * parameters (activations, pooling) still take up a position.
 */
public final class ParameterNames {

    private ParameterNames() {}

    /**
     * Names every parameter of a block and its descendants.
     *
     * @param block the root block; its own parameters have no prefix
     * @return the parameters by dotted name, direct parameters before children, children in order
     * @throws IllegalStateException if two parameters end up with the same name
     */
    public static LinkedHashMap<String, Parameter> of(Block block) {
        LinkedHashMap<String, Parameter> named = new LinkedHashMap<>();
        collect(block, "", named);
        return named;
    }

    /**
     * Names every descendant block of a block by the dotted path its parameters' names start with
     * ({@code encoder.layer.0.attention.self.query}).
     *
     * @param block the root block, which is not included
     * @return the descendants by dotted path, parents before their children, children in order
     */
    public static LinkedHashMap<String, Block> blocks(Block block) {
        LinkedHashMap<String, Block> named = new LinkedHashMap<>();
        collectBlocks(block, "", named);
        return named;
    }

    private static void collectBlocks(Block block, String prefix, Map<String, Block> named) {
        BlockList children = block.getChildren();
        List<String> names = childNames(children);
        for (int i = 0; i < names.size(); i++) {
            String path = prefix + names.get(i);
            named.put(path, children.get(i).getValue());
            collectBlocks(children.get(i).getValue(), path + ".", named);
        }
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> named) {
        for (Pair<String, Parameter> parameter : block.getDirectParameters()) {
            String name = parameter.getKey().isEmpty() && !prefix.isEmpty()
                    ? prefix.substring(0, prefix.length() - 1)
                    : prefix + parameter.getKey();
            if (named.putIfAbsent(name, parameter.getValue()) != null) {
                throw new IllegalStateException("two parameters are both named " + name);
            }
        }
        BlockList children = block.getChildren();
        List<String> names = childNames(children);
        for (int i = 0; i < names.size(); i++) {
            collect(children.get(i).getValue(), prefix + names.get(i) + ".", named);
        }
    }

    private static List<String> childNames(BlockList children) {
        List<String> stripped = new ArrayList<>(children.size());
        boolean allClassNames = true;
        for (int i = 0; i < children.size(); i++) {
            String key = children.get(i).getKey();
            String index = String.format(Locale.ROOT, "%02d", i + 1);
            String name = key.startsWith(index) ? key.substring(index.length()) : key;
            stripped.add(name);
            allClassNames &= name.equals(children.get(i).getValue().getClass().getSimpleName());
        }
        if (!allClassNames && !stripped.contains("") && new HashSet<>(stripped).size() == stripped.size()) {
            return stripped;
        }
        List<String> positions = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            positions.add(Integer.toString(i));
        }
        return positions;
    }
}
