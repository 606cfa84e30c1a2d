package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.Backbone;
import io.tl4j.core.InputPipeline;
import io.tl4j.core.Provenance;
import io.tl4j.core.weights.WeightMismatchException;
import io.tl4j.vision.image.Preprocessing;
import io.tl4j.vision.weights.TorchvisionWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * An image network waiting for its weights: {@code Vision.resnet50().weights(path)}. Weight files
 * are recognized by their form: a directory is a Hugging Face model directory ({@code
 * model.safetensors} + {@code config.json}), {@code *.params} is a DJL parameter file, anything
 * else a safetensors file.
 */
public final class VisionModel {

    private final String name;
    private final ImageArchitecture architecture;

    /**
     * Creates a model of that name and network, waiting for weights.
     *
     * @param name the model's name, e.g. torchvision's {@code resnet50}; checked against the {@code
     *     architecture} of a Hugging Face directory's {@code config.json} when it is a torchvision
     *     name
     * @param architecture the network
     */
    public VisionModel(String name, ImageArchitecture architecture) {
        this.name = name;
        this.architecture = architecture;
    }

    /** Returns the model's name. */
    public String name() {
        return name;
    }

    /** Returns the network (with the classifier layer it was made with). */
    public ImageArchitecture architecture() {
        return architecture;
    }

    /**
     * Returns the evaluation transform torchvision documents for this model's ImageNet weights ({@link
     * Preprocessing#torchvision}), e.g. {@code Vision.torchvision("efficientnet_b0").preprocessing().forFiles()}:
     * resize 256, crop 224, bicubic, ImageNet's mean and standard deviation. For a timm directory's weights use
     * {@link Preprocessing#timm}.
     *
     * @return the transform of torchvision's {@code IMAGENET1K_V1} weights for this model
     * @throws IllegalArgumentException for a model that is not torchvision's (see {@link io.tl4j.vision.Vision#custom})
     */
    public Preprocessing preprocessing() {
        return Preprocessing.torchvision(name);
    }

    /**
     * Loads weights of unknown licence; see {@link #weights(Path, String)}.
     *
     * @param source a safetensors file, a Hugging Face model directory, or a DJL {@code .params} file
     * @return the network with its weights
     */
    public PretrainedModel weights(Path source) {
        return weights(source, "unknown");
    }

    /**
     * Loads weights, strictly: every parameter must get a tensor of its shape and every tensor a
     * parameter (BatchNorm's {@code num_batches_tracked} counters aside). The classifier layer
     * follows the file: 1000 classes for ImageNet weights, none for a file without it.
     *
     * @param source a safetensors file (torchvision or timm names; F32, F16 or BF16), a Hugging
     *     Face model directory holding {@code model.safetensors} and {@code config.json}, or a DJL
     *     {@code .params} file written by {@code Model.save} for this network
     * @param licence the weights' licence, recorded in the provenance
     * @return the network with its weights; close it when done
     * @throws io.tl4j.core.weights.WeightFileException when the file is missing or malformed
     * @throws io.tl4j.core.weights.WeightMismatchException naming every missing, unexpected and
     *     mis-shaped tensor
     * @throws IllegalArgumentException when a Hugging Face directory's config names another
     *     torchvision model
     */
    public PretrainedModel weights(Path source, String licence) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights;
            Path file;
            if (source.getFileName() != null && source.getFileName().toString().endsWith(".params")) {
                file = source;
                weights = TorchvisionWeights.readDjlParams(source, architecture, manager);
            } else {
                if (Files.isDirectory(source)) {
                    checkConfig(source);
                }
                file = TorchvisionWeights.safetensorsFile(source);
                weights = TorchvisionWeights.readSafetensors(source, manager);
            }
            try {
                return PretrainedModel.of(architecture, weights, Provenance.ofFile(file, licence, name));
            } catch (WeightMismatchException e) {
                throw e.inFile(file);
            }
        }
    }

    /**
     * A backbone with random weights (seeded by training), for training from scratch or baselines.
     *
     * @param pipeline turns raw inputs into the network's input batch
     * @param <I> the raw input type
     * @return the backbone: the network without its classifier layer
     */
    public <I> Backbone<I> untrainedBackbone(InputPipeline<I> pipeline) {
        return Backbone.<I>builder()
                .setArchitecture(architecture.withNumClasses(0))
                .setPipeline(pipeline)
                .optProvenance(new Provenance("random initialization", "", "none", name))
                .build();
    }

    private void checkConfig(Path directory) {
        Optional<String> declared = TorchvisionWeights.huggingFaceArchitecture(directory);
        if (declared.isPresent()
                && Torchvision.NAMES.contains(declared.get())
                && !declared.get().equals(name)) {
            throw new IllegalArgumentException(directory + " holds " + declared.get() + " (config.json), not " + name);
        }
    }

    @Override
    public String toString() {
        return name + " " + architecture;
    }
}
