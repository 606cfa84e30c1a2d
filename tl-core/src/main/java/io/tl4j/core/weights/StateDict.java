package io.tl4j.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Exports a block's parameters as a name-to-array map and loads such a map back, strictly.
 *
 * <p>Names come from {@link ParameterNames}. Together with {@link SafeTensors} this saves and
 * restores a model: {@code SafeTensors.write(file, StateDict.export(block))} and {@code
 * StateDict.load(block, SafeTensors.read(file, manager))}.
 */
public final class StateDict {

    private StateDict() {}

    /**
     * Returns every parameter's array by name.
     *
     * @param block an initialized block
     * @return the parameters' own arrays (not copies), in {@link ParameterNames} order
     * @throws IllegalStateException if a parameter is not initialized
     */
    public static Map<String, NDArray> export(Block block) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> named : ParameterNames.of(block).entrySet()) {
            if (!named.getValue().isInitialized()) {
                throw new IllegalStateException(
                        "parameter " + named.getKey() + " is not initialized; call block.initialize(...) first");
            }
            arrays.put(named.getKey(), named.getValue().getArray());
        }
        return arrays;
    }

    /**
     * Loads tensors whose names are the block's parameter names; see {@link #load(Block, Map,
     * UnaryOperator)}.
     *
     * @param block an initialized block
     * @param tensors the tensors by parameter name
     * @throws WeightMismatchException if the tensors do not match the parameters one to one
     * @throws IllegalStateException if a parameter of the block is not initialized
     */
    public static void load(Block block, Map<String, NDArray> tensors) {
        load(block, tensors, UnaryOperator.identity());
    }

    /**
     * Copies tensors into a block's parameters, strictly: every parameter must receive exactly one
     * tensor of its shape and data type, and every tensor must belong to a parameter.
     *
     * <p>Everything is checked first; if anything is wrong a {@link WeightMismatchException} lists
     * every missing, unexpected, mis-shaped and mis-typed tensor and no parameter is changed.
     * Nothing is converted: an F64 tensor does not load into a float32 parameter (files' F16 and
     * BF16 are already float32 when {@link SafeTensors#read} returns them).
     *
     * <p>The block must be initialized (call {@code block.initialize(...)} first, which fixes every
     * parameter's shape): the values are copied into each parameter's existing array, which keeps
     * its manager, device, gradient and {@code requiresGradient} setting. The tensors stay
     * independent of the block and can be closed afterwards.
     *
     * @param block an initialized block
     * @param tensors the tensors by name, as in the file
     * @param fileNameToParameterName maps each tensor's name to the parameter name it loads into;
     *     must not return {@code null} and must not map two tensors to the same name
     * @throws WeightMismatchException if the tensors do not match the parameters one to one
     * @throws IllegalStateException if a parameter of the block is not initialized
     * @throws IllegalArgumentException if two tensors are renamed to the same name
     */
    public static void load(Block block, Map<String, NDArray> tensors, UnaryOperator<String> fileNameToParameterName) {
        load(ParameterNames.of(block), tensors, fileNameToParameterName);
    }

    /**
     * Copies tensors into the parameters of a block that a filter selects, strictly among those, as
     * {@link #load(Block, Map, UnaryOperator)} does for all: every selected parameter must receive
     * exactly one tensor of its shape and data type, and every tensor must belong to a selected
     * parameter. The other parameters are neither read nor changed (a LoRA model's shared base
     * weights, say).
     *
     * @param block an initialized block
     * @param tensors the tensors by parameter name
     * @param selected tells, by parameter name, which parameters to load
     * @throws WeightMismatchException if the tensors do not match the selected parameters one to one
     * @throws IllegalStateException if a selected parameter is not initialized
     */
    public static void loadSelected(Block block, Map<String, NDArray> tensors, Predicate<String> selected) {
        load(selectedParameters(block, selected), tensors, UnaryOperator.identity());
    }

    /**
     * Makes the selected parameters of a block hold the given tensors themselves, not copies, and
     * freezes them: several blocks built this way read one set of weights (one base model under many
     * LoRA adapters). Strict as {@link #load(Block, Map)}: every selected parameter must get exactly
     * one tensor of its shape and data type and every tensor must belong to a selected parameter;
     * otherwise nothing is changed. The block may be initialized or not; a selected parameter's own
     * array, if it had one, is closed. The tensors stay owned by whoever owns them: keep them open
     * while the block is used, and do not write to them through it.
     *
     * @param block a block
     * @param tensors the tensors by parameter name
     * @param selected tells, by parameter name, which parameters to share
     * @throws WeightMismatchException if the tensors do not match the selected parameters one to one
     */
    public static void share(Block block, Map<String, NDArray> tensors, Predicate<String> selected) {
        Map<String, Parameter> parameters = selectedParameters(block, selected);
        Map<String, String> unexpected = new LinkedHashMap<>();
        tensors.keySet().stream().filter(name -> !parameters.containsKey(name)).forEach(n -> unexpected.put(n, n));
        List<String> missing = new ArrayList<>();
        List<WeightMismatchException.Mismatch> misshaped = new ArrayList<>();
        List<WeightMismatchException.Mismatch> mistyped = new ArrayList<>();
        parameters.forEach((name, parameter) -> {
            NDArray tensor = tensors.get(name);
            if (tensor == null) {
                missing.add(name);
                return;
            }
            NDArray own = parameter.isInitialized() ? parameter.getArray() : null;
            Shape shape = own != null ? own.getShape() : parameter.getShape();
            WeightMismatchException.Mismatch mismatch = new WeightMismatchException.Mismatch(
                    name,
                    shape,
                    own != null ? own.getDataType() : tensor.getDataType(),
                    tensor.getShape(),
                    tensor.getDataType());
            if (shape != null && !shape.equals(tensor.getShape())) {
                misshaped.add(mismatch);
            }
            if (own != null && own.getDataType() != tensor.getDataType()) {
                mistyped.add(mismatch);
            }
        });
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty() || !mistyped.isEmpty()) {
            throw new WeightMismatchException(missing, unexpected, misshaped, mistyped);
        }
        parameters.forEach((name, parameter) -> {
            NDArray tensor = tensors.get(name);
            if (parameter.isInitialized()) {
                parameter.close();
            }
            if (parameter.getShape() == null) {
                parameter.setShape(tensor.getShape());
            }
            parameter.setInitializer((manager, shape, dataType) -> tensor);
            parameter.freeze(true);
            parameter.initialize(tensor.getManager(), tensor.getDataType());
        });
    }

    /** The parameters of a block, by name, that the filter selects. */
    private static Map<String, Parameter> selectedParameters(Block block, Predicate<String> selected) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        ParameterNames.of(block).forEach((name, parameter) -> {
            if (selected.test(name)) {
                parameters.put(name, parameter);
            }
        });
        return parameters;
    }

    private static void load(
            Map<String, Parameter> parameters,
            Map<String, NDArray> tensors,
            UnaryOperator<String> fileNameToParameterName) {
        List<String> uninitialized = new ArrayList<>();
        parameters.forEach((name, parameter) -> {
            if (!parameter.isInitialized()) {
                uninitialized.add(name);
            }
        });
        if (!uninitialized.isEmpty()) {
            throw new IllegalStateException("cannot load into uninitialized parameters "
                    + uninitialized
                    + "; call block.initialize(...) first");
        }

        Map<String, NDArray> byParameter = new LinkedHashMap<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        Map<String, String> unexpected = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> tensor : tensors.entrySet()) {
            String fileName = tensor.getKey();
            String name = Objects.requireNonNull(
                    fileNameToParameterName.apply(fileName), () -> "renaming returned null for tensor " + fileName);
            String earlier = sourceOf.putIfAbsent(name, fileName);
            if (earlier != null) {
                throw new IllegalArgumentException(
                        "tensors " + earlier + " and " + fileName + " are both renamed " + name);
            }
            if (parameters.containsKey(name)) {
                byParameter.put(name, tensor.getValue());
            } else {
                unexpected.put(fileName, name);
            }
        }

        List<String> missing = new ArrayList<>();
        List<WeightMismatchException.Mismatch> misshaped = new ArrayList<>();
        List<WeightMismatchException.Mismatch> mistyped = new ArrayList<>();
        parameters.forEach((name, parameter) -> {
            NDArray tensor = byParameter.get(name);
            if (tensor == null) {
                missing.add(name);
                return;
            }
            NDArray array = parameter.getArray();
            WeightMismatchException.Mismatch mismatch = new WeightMismatchException.Mismatch(
                    name, array.getShape(), array.getDataType(), tensor.getShape(), tensor.getDataType());
            if (!array.getShape().equals(tensor.getShape())) {
                misshaped.add(mismatch);
            }
            if (array.getDataType() != tensor.getDataType()) {
                mistyped.add(mismatch);
            }
        });
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty() || !mistyped.isEmpty()) {
            throw new WeightMismatchException(missing, unexpected, misshaped, mistyped);
        }
        byParameter.forEach((name, tensor) -> tensor.copyTo(parameters.get(name).getArray()));
    }
}
