package io.tl4j.vision;

import io.tl4j.core.Backbone;
import io.tl4j.core.InputPipeline;
import io.tl4j.core.torchscript.TorchScriptBackbones;
import io.tl4j.vision.models.HuggingFaceVit;
import io.tl4j.vision.models.ImageArchitecture;
import io.tl4j.vision.models.PretrainedModel;
import io.tl4j.vision.models.Torchvision;
import io.tl4j.vision.models.VisionModel;
import io.tl4j.vision.weights.TorchvisionWeights;
import java.nio.file.Path;
import java.util.Map;

/**
 * Image backbones in one place: torchvision's ResNets and VGGs with their weights from
 * safetensors (torchvision or timm names, Hugging Face directories), DJL {@code .params} files or
 * TorchScript.
 *
 * <pre>{@code
 * try (PretrainedModel resnet = Vision.resnet50().weights(Path.of("resnet50.tv_in1k"))) {
 *     resnet.classify(images, 5);                               // ImageNet labels
 *     Backbone<Image> backbone = resnet.backbone(pipeline);     // 2048 features, layers conv1..avgpool
 *     TransferModel<Image> model = TransferLearner.from(backbone).freezeUntil("layer4").fit(data);
 * }
 * }</pre>
 */
public final class Vision {

    private Vision() {}

    /** Returns torchvision's ResNet-18 with an ImageNet classifier, waiting for weights. */
    public static VisionModel resnet18() {
        return torchvision("resnet18");
    }

    /** Returns torchvision's ResNet-34 with an ImageNet classifier, waiting for weights. */
    public static VisionModel resnet34() {
        return torchvision("resnet34");
    }

    /** Returns torchvision's ResNet-50 with an ImageNet classifier, waiting for weights. */
    public static VisionModel resnet50() {
        return torchvision("resnet50");
    }

    /** Returns torchvision's ResNet-101 with an ImageNet classifier, waiting for weights. */
    public static VisionModel resnet101() {
        return torchvision("resnet101");
    }

    /** Returns torchvision's ResNet-152 with an ImageNet classifier, waiting for weights. */
    public static VisionModel resnet152() {
        return torchvision("resnet152");
    }

    /**
     * Returns torchvision's VGG of that depth with an ImageNet classifier, waiting for weights.
     *
     * @param depth 11, 13, 16 or 19
     * @param batchNorm true for torchvision's {@code vggNN_bn}
     * @return torchvision's VGG with an ImageNet classifier, waiting for weights
     */
    public static VisionModel vgg(int depth, boolean batchNorm) {
        return torchvision("vgg" + depth + (batchNorm ? "_bn" : ""));
    }

    /**
     * Returns the torchvision network of that name with an ImageNet classifier, waiting for weights.
     *
     * @param name a torchvision model name: {@code resnet18} ... {@code resnet152}, {@code vgg11}
     *     ... {@code vgg19_bn}
     * @return that network with an ImageNet classifier, waiting for weights
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static VisionModel torchvision(String name) {
        return new VisionModel(name, Torchvision.architecture(name, 1000));
    }

    /**
     * Wraps a network of your own as a model waiting for weights.
     *
     * @param name a name for the network (recorded in the provenance)
     * @param architecture a network of your own, e.g. a small {@link io.tl4j.vision.models.ResNet}
     * @return it, waiting for weights
     */
    public static VisionModel custom(String name, ImageArchitecture architecture) {
        return new VisionModel(name, architecture);
    }

    /**
     * Loads a Hugging Face model directory: timm's (e.g. {@code resnet50.tv_in1k}), whose {@code
     * config.json} names a torchvision architecture, or a transformers ViT (e.g. {@code
     * google/vit-base-patch16-224}, {@code "model_type": "vit"}; see {@link HuggingFaceVit}).
     *
     * @param directory the directory holding {@code model.safetensors} and {@code config.json}
     * @param licence the weights' licence, recorded in the provenance
     * @return the network with its weights; close it when done
     * @throws IllegalArgumentException when the config names no architecture this module builds
     */
    public static PretrainedModel fromHuggingFace(Path directory, String licence) {
        if (HuggingFaceVit.isTransformersDirectory(directory)) {
            return HuggingFaceVit.load(directory, licence);
        }
        String name = TorchvisionWeights.huggingFaceArchitecture(directory)
                .orElseThrow(() -> new IllegalArgumentException(directory.resolve(TorchvisionWeights.HF_CONFIG)
                        + " names no architecture; use Vision.torchvision(name).weights(dir)"));
        return torchvision(name).weights(directory, licence);
    }

    /**
     * A backbone from a TorchScript file holding a network below its old head (see {@link
     * TorchScriptBackbones}): its layers are the first segments of its parameter names ({@code
     * conv1}, {@code bn1}, {@code layer1}, ...), trainable and frozen by name.
     *
     * @param file the {@code .pt} file
     * @param pipeline turns raw inputs into the module's input batch
     * @param licence the weights' licence
     * @param <I> the raw input type
     * @return the backbone
     */
    public static <I> Backbone<I> torchScript(Path file, InputPipeline<I> pipeline, String licence) {
        return TorchScriptBackbones.load(file, pipeline, licence);
    }

    /**
     * A backbone from DJL's PyTorch model zoo (downloads into DJL's cache when missing), e.g.
     * {@code torchScriptFromModelZoo("ai.djl.pytorch:resnet", Map.of("layers", "50"), pipeline)}.
     * Zoo classifiers end in their ImageNet head: the 1000 logits are the features.
     *
     * @param artifactId the zoo artifact
     * @param filters the filters choosing one model
     * @param pipeline turns raw inputs into the module's input batch
     * @param <I> the raw input type
     * @return the backbone
     */
    public static <I> Backbone<I> torchScriptFromModelZoo(
            String artifactId, Map<String, String> filters, InputPipeline<I> pipeline) {
        return TorchScriptBackbones.fromModelZoo(artifactId, filters, pipeline);
    }
}
