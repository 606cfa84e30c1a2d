package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.vision.Vision;
import io.tl4j.vision.models.Torchvision;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each architecture's evaluation transform: torchvision 0.14's {@code IMAGENET1K_V1} weights documentation (the
 * {@code transforms=partial(ImageClassification, crop_size=..., resize_size=..., interpolation=...)} of each weights
 * enum), timm's {@code pretrained_cfg} as its Hugging Face {@code config.json} holds it, and the pipelines they build.
 */
class PreprocessingTest {

    private static final List<Float> IMAGENET_MEAN = List.of(0.485f, 0.456f, 0.406f);
    private static final List<Float> IMAGENET_STD = List.of(0.229f, 0.224f, 0.225f);
    private static final List<Float> HALF = List.of(0.5f, 0.5f, 0.5f);

    @Test
    void torchvisionsDocumentedTransformsPerArchitecture() {
        assertTransform(Preprocessing.torchvision("inception_v3"), 342, 299, Image.Interpolation.BILINEAR);
        assertTransform(Preprocessing.torchvision("efficientnet_b0"), 256, 224, Image.Interpolation.BICUBIC);
        assertTransform(Preprocessing.torchvision("efficientnet_b1"), 256, 240, Image.Interpolation.BICUBIC);
        assertTransform(Preprocessing.torchvision("efficientnet_b2"), 288, 288, Image.Interpolation.BICUBIC);
        assertTransform(Preprocessing.torchvision("efficientnet_b3"), 320, 300, Image.Interpolation.BICUBIC);
        assertTransform(Preprocessing.torchvision("vit_b_16"), 256, 224, Image.Interpolation.BILINEAR);
        assertTransform(Preprocessing.torchvision("vit_l_16"), 242, 224, Image.Interpolation.BILINEAR);
        assertTransform(Preprocessing.torchvision("convnext_tiny"), 236, 224, Image.Interpolation.BILINEAR);
        assertTransform(Preprocessing.torchvision("mobilenet_v3_large"), 256, 224, Image.Interpolation.BILINEAR);
        assertTransform(Preprocessing.torchvision("mobilenet_v3_small"), 256, 224, Image.Interpolation.BILINEAR);
        assertTransform(Preprocessing.torchvision("resnet50"), 256, 224, Image.Interpolation.BILINEAR);
        assertTransform(Preprocessing.torchvision("vgg16_bn"), 256, 224, Image.Interpolation.BILINEAR);
        assertThat(Preprocessing.torchvision("resnet18").mean()).isEqualTo(IMAGENET_MEAN);
        assertThat(Preprocessing.torchvision("resnet18").std()).containsExactly(0.229f, 0.224f, 0.225f);
        for (String name : Torchvision.NAMES) {
            assertThat(Vision.torchvision(name).preprocessing()).as(name).isEqualTo(Preprocessing.torchvision(name));
        }
        assertThatThrownBy(() -> Preprocessing.torchvision("resnet51"))
                .hasMessageContaining("resnet51")
                .hasMessageContaining("resnet50");
    }

    @Test
    void timmsPretrainedConfigGivesItsWeightsTransform(@TempDir Path dir) throws IOException {
        // as timm's push_to_hf_hub writes config.json: pretrained_cfg from _cfg(...) of vision_transformer.py
        // (crop_pct 0.9, bicubic, IMAGENET_INCEPTION_MEAN/STD) and efficientnet.py (crop_pct 0.875, bicubic)
        Path vit = config(
                dir.resolve("vit"),
                "vit_base_patch16_224",
                "\"input_size\": [3, 224, 224], \"fixed_input_size\": true, \"interpolation\": \"bicubic\","
                        + " \"crop_pct\": 0.9, \"crop_mode\": \"center\", \"mean\": [0.5, 0.5, 0.5],"
                        + " \"std\": [0.5, 0.5, 0.5]");
        Preprocessing p = Preprocessing.timm(vit);
        assertTransform(p, 248, 224, Image.Interpolation.BICUBIC);
        assertThat(p.mean()).isEqualTo(HALF);
        assertThat(p.std()).isEqualTo(HALF);

        Path b0 = config(
                dir.resolve("b0"),
                "efficientnet_b0",
                "\"input_size\": [3, 224, 224], \"interpolation\": \"bicubic\", \"crop_pct\": 0.875,"
                        + " \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]");
        assertThat(Preprocessing.timm(b0)).isEqualTo(Preprocessing.torchvision("efficientnet_b0"));

        // crop_pct absent: timm's DEFAULT_CROP_PCT 0.875; efficientnet_b3.ra2_in1k's 288 -> floor(288 / 0.875) = 329
        Path b3 = config(
                dir.resolve("b3"),
                "efficientnet_b3",
                "\"input_size\": [3, 288, 288], \"interpolation\": \"bilinear\","
                        + " \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]");
        assertTransform(Preprocessing.timm(b3), 329, 288, Image.Interpolation.BILINEAR);
    }

    @Test
    void aTimmConfigTlFourJCannotFollowIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
        Path border = config(
                dir.resolve("border"),
                "x",
                "\"input_size\": [3, 224, 224], \"crop_mode\": \"border\", \"mean\": [0, 0, 0], \"std\": [1, 1, 1]");
        assertThatThrownBy(() -> Preprocessing.timm(border))
                .hasMessageContaining("config.json")
                .hasMessageContaining("crop_mode 'border'");
        Path squash = config(
                dir.resolve("squash"),
                "x",
                "\"input_size\": [3, 224, 224], \"crop_pct\": 1.0, \"crop_mode\": \"squash\", \"mean\": [0, 0, 0],"
                        + " \"std\": [1, 1, 1]");
        assertThat(Preprocessing.timm(squash).squash()).isTrue();
        Path noMean = config(dir.resolve("nomean"), "x", "\"input_size\": [3, 224, 224], \"std\": [1, 1, 1]");
        assertThatThrownBy(() -> Preprocessing.timm(noMean)).hasMessageContaining("pretrained_cfg.mean");
        Path wide = config(
                dir.resolve("wide"), "x", "\"input_size\": [3, 224, 320], \"mean\": [0, 0, 0], \"std\": [1, 1, 1]");
        assertThatThrownBy(() -> Preprocessing.timm(wide)).hasMessageContaining("input_size");
        Files.createDirectories(dir.resolve("hf"));
        Files.writeString(dir.resolve("hf/config.json"), "{\"model_type\": \"vit\"}");
        assertThatThrownBy(() -> Preprocessing.timm(dir.resolve("hf"))).hasMessageContaining("pretrained_cfg");
    }

    @Test
    void aTransformersImageProcessorConfigGivesItsTransform(@TempDir Path dir) throws IOException {
        // google/vit-base-patch16-224's preprocessor_config.json (ViTFeatureExtractor): 224x224, no crop
        Path vit = processor(
                dir.resolve("vit"),
                "{\"do_normalize\": true, \"do_resize\": true, \"feature_extractor_type\": \"ViTFeatureExtractor\","
                        + " \"image_mean\": [0.5, 0.5, 0.5], \"image_std\": [0.5, 0.5, 0.5], \"resample\": 2,"
                        + " \"size\": 224}");
        assertThat(Preprocessing.huggingFace(vit))
                .isEqualTo(new Preprocessing(224, 224, Image.Interpolation.BILINEAR, HALF, HALF, true, true));
        // ViTImageProcessor's newer form, and DeiT's: squash to 256x256, bicubic, crop 224
        Path deit = processor(
                dir.resolve("deit"),
                "{\"do_center_crop\": true, \"crop_size\": {\"height\": 224, \"width\": 224}, \"do_rescale\": true,"
                        + " \"rescale_factor\": 0.00392156862745098, \"resample\": 3,"
                        + " \"size\": {\"height\": 256, \"width\": 256}, \"image_mean\": [0.485, 0.456, 0.406],"
                        + " \"image_std\": [0.229, 0.224, 0.225]}");
        Preprocessing p = Preprocessing.huggingFace(deit);
        assertTransform(p, 256, 224, Image.Interpolation.BICUBIC);
        assertThat(p.squash()).isTrue();
        assertThat(p.mean()).isEqualTo(IMAGENET_MEAN);
        Path shortest = processor(
                dir.resolve("shortest"),
                "{\"size\": {\"shortest_edge\": 256}, \"do_center_crop\": true, \"crop_size\": 224,"
                        + " \"do_normalize\": false}");
        assertThat(Preprocessing.huggingFace(shortest))
                .isEqualTo(new Preprocessing(
                        256, 224, Image.Interpolation.BILINEAR, List.of(0f, 0f, 0f), List.of(1f, 1f, 1f), false, true));

        Path wide = processor(dir.resolve("wide"), "{\"size\": {\"height\": 224, \"width\": 320}}");
        assertThatThrownBy(() -> Preprocessing.huggingFace(wide))
                .hasMessageContaining("preprocessor_config.json")
                .hasMessageContaining("size");
        Path lanczos = processor(dir.resolve("lanczos"), "{\"size\": 224, \"resample\": 1}");
        assertThatThrownBy(() -> Preprocessing.huggingFace(lanczos)).hasMessageContaining("resample 1");
    }

    @Test
    void convNextsImageProcessorCropsBelow384AndSquashesFrom384(@TempDir Path dir) throws IOException {
        // facebook/convnext-tiny-224's preprocessor_config.json: int(224 / 0.875) = 256 -> 224, bicubic
        Path tiny = processor(
                dir.resolve("tiny"),
                "{\"crop_pct\": 0.875, \"do_normalize\": true, \"do_resize\": true,"
                        + " \"feature_extractor_type\": \"ConvNextFeatureExtractor\","
                        + " \"image_mean\": [0.485, 0.456, 0.406], \"image_std\": [0.229, 0.224, 0.225],"
                        + " \"resample\": 3, \"size\": 224}");
        assertThat(Preprocessing.huggingFace(tiny))
                .isEqualTo(new Preprocessing(
                        256, 224, Image.Interpolation.BICUBIC, IMAGENET_MEAN, IMAGENET_STD, false, true));
        // int(224 / 0.95) = int(235.79) = 235; resample absent: ConvNeXT's bicubic; mean and std absent: 0.5
        Path pct = processor(
                dir.resolve("pct"),
                "{\"image_processor_type\": \"ConvNextImageProcessor\", \"crop_pct\": 0.95,"
                        + " \"size\": {\"shortest_edge\": 224}}");
        assertThat(Preprocessing.huggingFace(pct))
                .isEqualTo(new Preprocessing(235, 224, Image.Interpolation.BICUBIC, HALF, HALF, false, true));
        // from 384 (and by default: size absent is 384): squashed to n x n, crop_pct ignored
        Path large = processor(
                dir.resolve("large"),
                "{\"image_processor_type\": \"ConvNextImageProcessor\", \"crop_pct\": 0.875,"
                        + " \"size\": {\"shortest_edge\": 384}, \"resample\": 2}");
        assertThat(Preprocessing.huggingFace(large))
                .isEqualTo(new Preprocessing(384, 384, Image.Interpolation.BILINEAR, HALF, HALF, true, true));
        Path defaults = processor(dir.resolve("defaults"), "{\"image_processor_type\": \"ConvNextImageProcessor\"}");
        assertThat(Preprocessing.huggingFace(defaults))
                .isEqualTo(new Preprocessing(384, 384, Image.Interpolation.BICUBIC, HALF, HALF, true, true));
        // the pipeline it builds crops as transformers' center_crop does
        assertThat(Preprocessing.huggingFace(tiny).forFiles().config().cropRoundsDown())
                .isTrue();

        Path square =
                processor(dir.resolve("square"), "{\"crop_pct\": 0.875, \"size\": {\"height\": 224, \"width\": 224}}");
        assertThatThrownBy(() -> Preprocessing.huggingFace(square))
                .hasMessageContaining("preprocessor_config.json")
                .hasMessageContaining("shortest_edge");
        Path wide = processor(dir.resolve("widepct"), "{\"crop_pct\": 1.5, \"size\": 224}");
        assertThatThrownBy(() -> Preprocessing.huggingFace(wide)).hasMessageContaining("crop_pct 1.5");
    }

    @Test
    void squashingResizesBothSidesWhereTheDefaultKeepsTheAspectRatio(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            // a 4x12 image whose value is 10 x its column
            NDArray hwc = manager.arange(12f).mul(10).reshape(1, 12, 1).repeat(0, 4);
            CenterCrop keep = new CenterCrop(4, 4, Image.Interpolation.BILINEAR, false, false);
            float[] kept = keep.apply(hwc).toFloatArray();
            float[] squashed = keep.withSquash(true).apply(hwc).toFloatArray();
            assertThat(kept).startsWith(40f, 50f, 60f, 70f); // columns 4..7 of the unresized image
            assertThat(squashed[0]).isLessThan(20f); // the whole width, in 4 columns
            assertThat(squashed[3]).isGreaterThan(90f);
        }
        ImagePipeline.Config config = Preprocessing.huggingFace(processor(dir, "{\"size\": 224}"))
                .forFiles()
                .config();
        assertThat(config.squash()).isTrue();
        assertThat(ImagePipeline.fromConfig(config).config()).isEqualTo(config);
        assertThat(ImagePipeline.forFiles(224).config().squash()).isNull();
    }

    @Test
    void thePipelineResizesWithTheInterpolationAndKeepsItInItsSavedConfig() {
        ImagePipeline<Path> pipeline =
                Preprocessing.torchvision("efficientnet_b0").forFiles();
        assertThat(pipeline.sampleShape()).isEqualTo(new Shape(3, 224, 224));
        ImagePipeline.Config config = pipeline.config();
        assertThat(config.resize()).isEqualTo(256);
        assertThat(config.interpolation()).isEqualTo(Image.Interpolation.BICUBIC);
        assertThat(ImagePipeline.fromConfig(config).config()).isEqualTo(config);
        // a configuration saved before interpolation existed reads back as bilinear
        ImagePipeline.Config old = ImagePipeline.forFiles(224).config();
        assertThat(old.interpolation()).isNull();
        assertThat(ImagePipeline.fromConfig(old).toString()).doesNotContain("BICUBIC");
        assertThat(pipeline.toString()).contains("BICUBIC");

        // upscaling a sharp red/blue edge: bicubic overshoots and is clamped to [0, 1] (torchvision clamps 8-bit
        // images), bilinear does not overshoot; the two differ
        Image edge = ImageFactory.getInstance().fromImage(TestImages.halves(8, 8, Color.RED, Color.BLUE));
        ImagePipeline<Image> plain = ImagePipeline.forImages(24)
                .resizeAndCrop(24, 24)
                .normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] bilinear =
                    plain.batch(manager, List.of(edge), false, null).head().toFloatArray();
            float[] bicubic = plain.interpolation(Image.Interpolation.BICUBIC)
                    .batch(manager, List.of(edge), false, null)
                    .head()
                    .toFloatArray();
            assertThat(bicubic).isNotEqualTo(bilinear);
            for (float v : bicubic) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
        assertThatThrownBy(() -> plain.interpolation(Image.Interpolation.NEAREST))
                .hasMessageContaining("NEAREST");
    }

    private static void assertTransform(Preprocessing p, int resize, int crop, Image.Interpolation interpolation) {
        assertThat(p.resize()).isEqualTo(resize);
        assertThat(p.crop()).isEqualTo(crop);
        assertThat(p.interpolation()).isEqualTo(interpolation);
    }

    private static Path processor(Path directory, String json) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("preprocessor_config.json"), json);
        return directory;
    }

    private static Path config(Path directory, String architecture, String pretrainedCfg) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(
                directory.resolve("config.json"),
                "{\"architecture\": \"" + architecture + "\", \"num_classes\": 1000, \"pretrained_cfg\": {"
                        + pretrainedCfg + "}}");
        return directory;
    }
}
