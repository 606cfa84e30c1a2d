package io.tl4j.examples.catalog;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.image.ArrayImagePipeline;
import io.tl4j.vision.models.BlockType;
import io.tl4j.vision.models.ResNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Lists the small image ResNets tl4j pretrained itself on Fashion-MNIST (28x28 grayscale), all made
 * by {@link io.tl4j.examples.VisionPretrain} with one recipe (20,000 class-balanced training images,
 * 2 epochs, AdamW, seed 7): the one tl-vision ships ({@link FashionMnistResNet}) and two variants
 * of other width or depth, kept as resources of this package with their training cards. Recipes:
 *
 * <pre>
 * java -Dtl4j.baseWidth=8 ... VisionPretrain .../catalog/fashion-mnist-resnet-narrow
 * java -Dtl4j.blocksPerStage=1,1 ... VisionPretrain .../catalog/fashion-mnist-resnet-shallow
 * </pre>
 */
public enum VisionBackbones {
    /** The ResNet tl-vision ships: one basic block per stage, widths 16/32/64; Fashion-MNIST test accuracy 0.835. */
    SHIPPED("Fashion-MNIST ResNet 16/32/64", null),
    /** Half the width: widths 8/16/32 (83 KB); Fashion-MNIST test accuracy 0.777. */
    NARROW("Fashion-MNIST ResNet 8/16/32 (narrow)", "fashion-mnist-resnet-narrow"),
    /** Two stages instead of three: widths 16/32 (81 KB); Fashion-MNIST test accuracy 0.740. */
    SHALLOW("Fashion-MNIST ResNet 16/32 (shallow)", "fashion-mnist-resnet-shallow");

    private final String displayName;
    private final String resourceDirectory;

    VisionBackbones(String displayName, String resourceDirectory) {
        this.displayName = displayName;
        this.resourceDirectory = resourceDirectory;
    }

    /** Returns the name shown in reports. */
    public String displayName() {
        return displayName;
    }

    /** Returns the training card: architecture, pipeline, data, recipe, epochs, test accuracy, licence. */
    public JsonObject card() {
        if (resourceDirectory == null) {
            return FashionMnistResNet.provenance();
        }
        try (InputStream in = resource(FashionMnistResNet.PROVENANCE)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the card of " + displayName, e);
        }
    }

    /** Returns the architecture the card records. */
    public ResNet architecture() {
        if (resourceDirectory == null) {
            return FashionMnistResNet.architecture();
        }
        JsonObject a = card().getAsJsonObject("architecture");
        int[] blocks = a.getAsJsonArray("blocksPerStage").asList().stream()
                .mapToInt(e -> e.getAsInt())
                .toArray();
        return ResNet.builder()
                .setBlockType(BlockType.valueOf(a.get("blockType").getAsString()))
                .setBlocksPerStage(blocks)
                .optBaseWidth(a.get("baseWidth").getAsInt())
                .optSmallImageStem(a.get("smallImageStem").getAsBoolean())
                .build();
    }

    /** Returns the name of the last residual stage ({@code layer3}, say): where fine-tuning starts. */
    public String lastStage() {
        return "layer" + architecture().blocksPerStage().length;
    }

    /**
     * Loads the pretrained backbone with a given input pipeline.
     *
     * @param pipeline the input pipeline (with augmentation, say); its sample shape must be {@link
     *     FashionMnistResNet#pipeline()}'s
     * @return the backbone; close it when done
     */
    public Backbone<float[]> backbone(ArrayImagePipeline pipeline) {
        if (resourceDirectory == null) {
            try (Backbone<float[]> shipped = FashionMnistResNet.backbone()) {
                return shipped.withPipeline(pipeline);
            }
        }
        Path file = null;
        try (InputStream in = resource(FashionMnistResNet.WEIGHTS)) {
            file = Files.createTempFile("tl4j-" + resourceDirectory, ".safetensors");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            JsonObject card = card();
            String licence = card.get("licence").getAsString();
            return Backbone.<float[]>builder()
                    .setArchitecture(architecture())
                    .setPipeline(pipeline)
                    .optWeights(file, licence)
                    .optProvenance(new Provenance(
                            "tl4j: trained by io.tl4j.examples.VisionPretrain, resource io/tl4j/examples/catalog/"
                                    + resourceDirectory,
                            Provenance.sha256(file),
                            licence,
                            card.toString()))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the weights of " + displayName, e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    private InputStream resource(String name) {
        String path = resourceDirectory + "/" + name;
        InputStream in = VisionBackbones.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(
                    "Resource " + path + " is missing from the examples jar (io/tl4j/examples/catalog/)");
        }
        return in;
    }
}
