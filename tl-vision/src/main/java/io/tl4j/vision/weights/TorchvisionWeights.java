package io.tl4j.vision.weights;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.tl4j.core.Architecture;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightFileException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads ResNet and VGG weights into maps keyed by torchvision's {@code state_dict} names, which are
 * the parameter names of {@link io.tl4j.vision.models.ResNet} and {@link
 * io.tl4j.vision.models.Vgg}. Nothing here checks the names against a network: loading them into
 * one ({@link StateDict#load}) does, strictly.
 *
 * <ul>
 *   <li>safetensors with torchvision or timm names, F32, F16 or BF16 (widened to float32 by
 *       tl-core's {@link SafeTensors}); a file, or a Hugging Face model directory holding {@code
 *       model.safetensors} and {@code config.json} (timm's {@code resnet50.tv_in1k}, {@code
 *       vgg16.tv_in1k}). timm's ResNet names are torchvision's; timm's VGG names are mapped back
 *       ({@link #fromTimm}), and so are its ConvNeXt and EfficientNet names ({@link TimmNames});
 *   <li>DJL {@code .params} files written by {@code Model.save} for the same architecture.
 * </ul>
 *
 * <p>PyTorch's BatchNorm counters ({@code *.num_batches_tracked}) are dropped: they are not weights
 * and the Java networks do not keep them.
 */
public final class TorchvisionWeights {

    /** The weights file of a Hugging Face model directory. */
    public static final String HF_WEIGHTS = "model.safetensors";
    /** The configuration file of a Hugging Face model directory. */
    public static final String HF_CONFIG = "config.json";

    private static final String COUNTER = ".num_batches_tracked";

    private TorchvisionWeights() {}

    /**
     * Reads a safetensors file, or the {@value #HF_WEIGHTS} of a Hugging Face model directory.
     *
     * @param fileOrDirectory a {@code .safetensors} file or a directory holding {@value #HF_WEIGHTS}
     * @param manager the manager the arrays are attached to
     * @return the tensors by torchvision name (timm's VGG, ConvNeXt and EfficientNet names mapped),
     *     BatchNorm counters dropped
     * @throws WeightFileException when the file is missing, malformed or of an unsupported dtype
     */
    public static Map<String, NDArray> readSafetensors(Path fileOrDirectory, NDManager manager) {
        Path file = safetensorsFile(fileOrDirectory);
        Map<String, NDArray> tensors = new LinkedHashMap<>(SafeTensors.read(file, manager));
        tensors.entrySet().removeIf(e -> {
            if (e.getKey().endsWith(COUNTER)) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        return fromTimm(TimmNames.toTorchvision(tensors));
    }

    /**
     * The weights file a path names: the path itself, or {@value #HF_WEIGHTS} inside a directory.
     *
     * @param fileOrDirectory a {@code .safetensors} file or a Hugging Face model directory
     * @return the file
     * @throws WeightFileException when there is no such file
     */
    public static Path safetensorsFile(Path fileOrDirectory) {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(HF_WEIGHTS) : fileOrDirectory;
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(
                    file,
                    Files.isDirectory(fileOrDirectory)
                            ? "no " + HF_WEIGHTS + " in the directory; it holds " + listing(fileOrDirectory)
                            : "no such file");
        }
        return file;
    }

    /**
     * The {@code architecture} a Hugging Face (timm) model directory's {@value #HF_CONFIG} names,
     * e.g. {@code resnet50} or {@code vgg16_bn}, as torchvision names it ({@link
     * TimmNames#torchvisionArchitecture}: timm's {@code mobilenetv3_large_100} is {@code
     * mobilenet_v3_large}).
     *
     * @param directory the model directory
     * @return the architecture, or empty when there is no config or it names none
     * @throws WeightFileException when the config is not valid JSON, or names a timm network that is not
     *     torchvision's (a TensorFlow port such as {@code tf_mobilenetv3_large_100})
     */
    public static Optional<String> huggingFaceArchitecture(Path directory) {
        Path config = directory.resolve(HF_CONFIG);
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
            JsonElement architecture = json.get("architecture");
            if (architecture == null || !architecture.isJsonPrimitive()) {
                return Optional.empty();
            }
            try {
                return Optional.of(TimmNames.torchvisionArchitecture(architecture.getAsString()));
            } catch (IllegalArgumentException e) {
                throw new WeightFileException(config, null, e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new WeightFileException(config, null, "cannot read: " + e, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new WeightFileException(config, null, "not a JSON object: " + e.getMessage(), e);
        }
    }

    /**
     * Maps timm's VGG names to torchvision's: timm stores the first two classifier layers as
     * convolutions ({@code pre_logits.fc1.weight} of shape (4096, 512, 7, 7), {@code
     * pre_logits.fc2.weight} of shape (4096, 4096, 1, 1)) and the last as {@code head.fc}; this is
     * the inverse of timm's {@code vgg._filter_fn}: {@code classifier.0} and {@code classifier.3}
     * reshaped to (out, in), and {@code classifier.6}. Other names are kept.
     *
     * @param tensors tensors by name; reshaped arrays replace (and close) the originals
     * @return the tensors by torchvision name, in the same order
     */
    public static Map<String, NDArray> fromTimm(Map<String, NDArray> tensors) {
        Map<String, NDArray> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            NDArray array = e.getValue();
            if (name.startsWith("pre_logits.fc1.") || name.startsWith("pre_logits.fc2.")) {
                String layer = name.startsWith("pre_logits.fc1.") ? "classifier.0." : "classifier.3.";
                String suffix = name.substring("pre_logits.fcN.".length());
                if (array.getShape().dimension() == 4) {
                    NDArray flat = array.reshape(array.getShape().get(0), -1);
                    array.close();
                    array = flat;
                }
                name = layer + suffix;
            } else if (name.startsWith("head.fc.")) {
                name = "classifier.6." + name.substring("head.fc.".length());
            }
            if (renamed.put(name, array) != null) {
                throw new IllegalArgumentException("Two tensors map to torchvision name " + name);
            }
        }
        return renamed;
    }

    /**
     * Reads a DJL {@code .params} file (written by {@code Model.save}) of a network built by {@code
     * architecture}: the file's blocks are loaded into a new block of that architecture, as {@code
     * Model.load} does, and the file must end where the block does.
     *
     * @param file a {@code <name>-<epoch>.params} or {@code <name>.params} file
     * @param architecture the architecture that wrote it
     * @param manager the manager the arrays are attached to
     * @return the parameters by name (torchvision's for ResNet and VGG)
     * @throws WeightFileException when the file is missing, is not a DJL parameter file, or holds
     *     another architecture (too few or too many layers, other parameter names)
     */
    public static Map<String, NDArray> readDjlParams(Path file, Architecture architecture, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(file, "no such DJL .params file");
        }
        Block block = architecture.newBlock(manager);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new WeightFileException(file, "not a DJL parameter file (no DJL@ header)");
            }
            in.readInt(); // format version
            in.readUTF(); // model name
            in.readUTF(); // data type
            for (int inputs = in.readInt(); inputs > 0; inputs--) {
                in.readUTF();
                Shape.decode(in);
            }
            for (int properties = in.readInt(); properties > 0; properties--) {
                in.readUTF();
                in.readUTF();
            }
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new WeightFileException(
                        file, "holds more than " + architecture + ": data is left after its last layer");
            }
        } catch (IOException | MalformedModelException e) {
            throw new WeightFileException(file, null, "not a DJL .params file of " + architecture + ": " + e, e);
        }
        return new LinkedHashMap<>(StateDict.export(block));
    }

    private static String listing(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<String> names =
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            return names.isEmpty() ? "nothing" : names.toString();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
