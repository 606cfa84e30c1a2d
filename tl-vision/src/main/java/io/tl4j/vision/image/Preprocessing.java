package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation transform a set of pretrained weights expects: resize the shorter side, center-crop, interpolation,
 * per-channel mean and standard deviation. {@link #torchvision(String)} gives what torchvision 0.14's weights
 * documentation gives for each architecture's {@code IMAGENET1K_V1} weights, {@link #timm(Path)} reads what a timm
 * Hugging Face directory's {@code config.json} declares, {@link #huggingFace(Path)} what a transformers directory's
 * {@code preprocessor_config.json} declares, and {@link #forFiles()} / {@link #forImages()} build the matching {@link
 * ImagePipeline}.
 *
 * <pre>{@code
 * ImagePipeline<Path> eval = Preprocessing.torchvision("efficientnet_b0").forFiles();   // 256 -> 224, bicubic
 * ImagePipeline<Path> timm = Preprocessing.timm(Path.of("vit_base_patch16_224.augreg2_in21k_ft_in1k")).forFiles();
 * }</pre>
 *
 * @param resize the shorter side after resizing
 * @param crop the side of the center crop, the network's input size
 * @param interpolation {@code BILINEAR} or {@code BICUBIC}
 * @param mean the per-channel (RGB) mean of the [0, 1] values
 * @param std the per-channel (RGB) standard deviation
 * @param squash whether both sides are resized to {@code resize} (aspect ratio not kept) rather than the shorter
 * @param cropRoundsDown whether the center crop's offset is rounded down, as Hugging Face's image processors crop,
 *     rather than to the nearest (halves to even), as torchvision and timm crop
 */
public record Preprocessing(
        int resize,
        int crop,
        Image.Interpolation interpolation,
        List<Float> mean,
        List<Float> std,
        boolean squash,
        boolean cropRoundsDown) {

    private static final List<Float> IMAGENET_MEAN = List.of(0.485f, 0.456f, 0.406f);
    private static final List<Float> IMAGENET_STD = List.of(0.229f, 0.224f, 0.225f);
    private static final List<Float> HALF = List.of(0.5f, 0.5f, 0.5f);

    /**
     * torchvision 0.14's {@code IMAGENET1K_V1} transforms ({@code ImageClassification(crop_size, resize_size,
     * interpolation)}) by model name; every one normalizes with ImageNet's mean and standard deviation.
     */
    private static final Map<String, Preprocessing> TORCHVISION = Map.ofEntries(
            imagenet("resnet18", 256, 224, false),
            imagenet("resnet34", 256, 224, false),
            imagenet("resnet50", 256, 224, false),
            imagenet("resnet101", 256, 224, false),
            imagenet("resnet152", 256, 224, false),
            imagenet("vgg11", 256, 224, false),
            imagenet("vgg11_bn", 256, 224, false),
            imagenet("vgg13", 256, 224, false),
            imagenet("vgg13_bn", 256, 224, false),
            imagenet("vgg16", 256, 224, false),
            imagenet("vgg16_bn", 256, 224, false),
            imagenet("vgg19", 256, 224, false),
            imagenet("vgg19_bn", 256, 224, false),
            imagenet("mobilenet_v3_large", 256, 224, false),
            imagenet("mobilenet_v3_small", 256, 224, false),
            imagenet("efficientnet_b0", 256, 224, true),
            imagenet("efficientnet_b1", 256, 240, true),
            imagenet("efficientnet_b2", 288, 288, true),
            imagenet("efficientnet_b3", 320, 300, true),
            imagenet("convnext_tiny", 236, 224, false),
            imagenet("inception_v3", 342, 299, false),
            imagenet("vit_b_16", 256, 224, false),
            imagenet("vit_b_32", 256, 224, false),
            imagenet("vit_l_16", 242, 224, false));

    /** timm's default {@code crop_pct} when a configuration gives none, and Hugging Face ConvNeXT's (224 / 256). */
    private static final double TIMM_CROP_PCT = 0.875;
    /** The shortest edge from which Hugging Face's ConvNeXT image processor squashes instead of cropping. */
    private static final int CONVNEXT_WARP_EDGE = 384;

    /** Checks the sizes (0 &lt; crop &lt;= resize), the interpolation and three means and positive deviations. */
    public Preprocessing {
        if (crop <= 0 || resize < crop) {
            throw new IllegalArgumentException("Need 0 < crop <= resize, got crop " + crop + ", resize " + resize);
        }
        CenterCrop.checkInterpolation(interpolation);
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3 || std.stream().anyMatch(s -> !(s > 0))) {
            throw new IllegalArgumentException("Need 3 means and 3 positive stds, got " + mean + " and " + std);
        }
    }

    /**
     * Creates a transform whose center crop's offset is rounded to the nearest, as torchvision's and timm's is.
     *
     * @param resize the shorter side after resizing (both sides when squashing)
     * @param crop the side of the center crop
     * @param interpolation {@code BILINEAR} or {@code BICUBIC}
     * @param mean the per-channel (RGB) mean
     * @param std the per-channel (RGB) standard deviation
     * @param squash whether both sides are resized to {@code resize}
     */
    public Preprocessing(
            int resize,
            int crop,
            Image.Interpolation interpolation,
            List<Float> mean,
            List<Float> std,
            boolean squash) {
        this(resize, crop, interpolation, mean, std, squash, false);
    }

    private static Map.Entry<String, Preprocessing> imagenet(String name, int resize, int crop, boolean bicubic) {
        Image.Interpolation mode = bicubic ? Image.Interpolation.BICUBIC : Image.Interpolation.BILINEAR;
        return Map.entry(name, new Preprocessing(resize, crop, mode, IMAGENET_MEAN, IMAGENET_STD, false));
    }

    /**
     * Returns the evaluation transform of torchvision 0.14's {@code IMAGENET1K_V1} weights for a model: 256 -> 224
     * bilinear for ResNet, VGG, MobileNetV3 and ViT-B; EfficientNet-B0 256 -> 224, B1 256 -> 240, B2 288 -> 288, B3
     * 320 -> 300, all bicubic; ConvNeXt-Tiny 236 -> 224; Inception-v3 342 -> 299; ViT-L/16 242 -> 224; ImageNet's
     * mean and standard deviation throughout. torchvision's {@code IMAGENET1K_V2} weights differ for some (ResNet-50,
     * -101 and -152, MobileNetV3-Large: resize 232; EfficientNet-B1: 255 -> 240 bilinear): use {@link
     * ImagePipeline#resizeAndCrop} and {@link ImagePipeline#interpolation} on the pipeline for those.
     *
     * @param name a torchvision model name, e.g. {@code efficientnet_b0}
     * @return its weights' evaluation transform
     * @throws IllegalArgumentException for a name without one, listing the known names
     */
    public static Preprocessing torchvision(String name) {
        Preprocessing p = TORCHVISION.get(name);
        if (p == null) {
            throw new IllegalArgumentException("No torchvision preprocessing for '" + name + "'; known: "
                    + TORCHVISION.keySet().stream().sorted().toList());
        }
        return p;
    }

    /**
     * Reads the evaluation transform a timm Hugging Face directory declares in its {@code config.json}'s {@code
     * pretrained_cfg}: {@code input_size} (the crop), {@code crop_pct} (0.875 when absent; the resize is {@code
     * floor(crop / crop_pct)}, as timm's {@code transforms_imagenet_eval}), {@code interpolation}, {@code mean} and
     * {@code std}; {@code crop_mode} {@code center} (the default) or {@code squash}. E.g. {@code
     * vit_base_patch16_224.augreg2_in21k_ft_in1k}: 248 -> 224, bicubic, mean and std 0.5; {@code
     * mobilenetv3_large_100.ra_in1k}: 256 -> 224, bicubic, ImageNet's.
     *
     * @param directory the model directory holding {@code config.json}
     * @return the evaluation transform of its weights
     * @throws IllegalArgumentException naming the file and the field when the configuration has no {@code
     *     pretrained_cfg} with an {@code input_size}, is not square, or asks for the {@code border} crop mode or an
     *     interpolation other than bilinear or bicubic
     */
    public static Preprocessing timm(Path directory) {
        Path file = directory.resolve("config.json");
        JsonObject cfg;
        try {
            JsonElement pretrained = JsonParser.parseString(Files.readString(file))
                    .getAsJsonObject()
                    .get("pretrained_cfg");
            if (pretrained == null || !pretrained.isJsonObject()) {
                throw new IllegalArgumentException(file + " has no 'pretrained_cfg' object: not a timm configuration");
            }
            cfg = pretrained.getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object: " + e.getMessage(), e);
        }
        try {
            float[] size = floats(cfg, "input_size", file);
            if (size.length != 3 || size[1] != size[2]) {
                throw new IllegalArgumentException(file + ": pretrained_cfg.input_size " + Arrays.toString(size)
                        + " is not (3, n, n); tl4j's pipeline crops squares");
            }
            int crop = (int) size[1];
            double cropPct = cfg.has("crop_pct") ? cfg.get("crop_pct").getAsDouble() : TIMM_CROP_PCT;
            String mode = cfg.has("crop_mode") ? cfg.get("crop_mode").getAsString() : "center";
            if (!mode.equals("center") && !mode.equals("squash")) {
                throw new IllegalArgumentException(file + ": pretrained_cfg.crop_mode '" + mode
                        + "' is not supported; tl4j resizes and crops the center ('center', 'squash')");
            }
            String interpolation =
                    cfg.has("interpolation") ? cfg.get("interpolation").getAsString() : "bilinear";
            Image.Interpolation interp = switch (interpolation) {
                case "bilinear" -> Image.Interpolation.BILINEAR;
                case "bicubic" -> Image.Interpolation.BICUBIC;
                default ->
                    throw new IllegalArgumentException(file + ": pretrained_cfg.interpolation '" + interpolation
                            + "' is not supported; bilinear or bicubic");
            };
            return new Preprocessing(
                    (int) Math.floor(crop / cropPct),
                    crop,
                    interp,
                    boxed(floats(cfg, "mean", file)),
                    boxed(floats(cfg, "std", file)),
                    mode.equals("squash"));
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IllegalArgumentException(file + ": malformed pretrained_cfg: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the evaluation transform a Hugging Face transformers directory's {@code preprocessor_config.json}
     * declares, as its image processor applies it: {@code size} as {@code {"height": n, "width": n}} or a number
     * (both sides resized to n, aspect ratio not kept: {@code google/vit-base-patch16-224}, 224x224, bilinear, mean
     * and std 0.5) or {@code {"shortest_edge": n}} (the shorter side), then {@code crop_size} when {@code
     * do_center_crop}; {@code resample} 2 (bilinear, the default) or 3 (bicubic); {@code image_mean} and {@code
     * image_std} (0.5 when absent; 0 and 1 when {@code do_normalize} is false). The crop's offset is rounded down,
     * as transformers' {@code center_crop} does.
     *
     * <p>ConvNeXT's image processor (a {@code crop_pct}, or a {@code ConvNext} processor type) resizes its own way:
     * with {@code size} (a number or {@code {"shortest_edge": n}}, 384 when absent) below 384 the shorter side is
     * resized to {@code int(n / crop_pct)} ({@code crop_pct} 224/256 when absent) and the center {@code n} x {@code n}
     * cropped; from 384 the image is squashed to {@code n} x {@code n}, no crop; {@code resample} is bicubic unless
     * it says otherwise. E.g. {@code facebook/convnext-tiny-224}: 256 -> 224, bicubic, ImageNet's mean and std.
     *
     * @param directory the model directory holding {@code preprocessor_config.json}
     * @return the evaluation transform of its weights
     * @throws IllegalArgumentException naming the file and the field when it does not resize ({@code do_resize}
     *     false), resizes to a size that is not square, rescales by other than 1/255, or names another resample; for
     *     ConvNeXT, when {@code size} has no shortest edge or {@code crop_pct} is not in (0, 1]
     */
    public static Preprocessing huggingFace(Path directory) {
        Path file = directory.resolve("preprocessor_config.json");
        JsonObject cfg;
        try {
            cfg = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object: " + e.getMessage(), e);
        }
        try {
            if (cfg.has("do_resize") && !cfg.get("do_resize").getAsBoolean()) {
                throw new IllegalArgumentException(file + ": do_resize is false; tl4j's pipeline needs a fixed size");
            }
            if (cfg.has("rescale_factor") && Math.abs(cfg.get("rescale_factor").getAsDouble() - 1 / 255.0) > 1e-9) {
                throw new IllegalArgumentException(
                        file + ": rescale_factor " + cfg.get("rescale_factor") + " is not 1/255, the pipeline's");
            }
            boolean convNext = cfg.has("crop_pct") || processorType(cfg).startsWith("ConvNext");
            int resample = cfg.has("resample") ? cfg.get("resample").getAsInt() : convNext ? 3 : 2;
            if (resample != 2 && resample != 3) {
                throw new IllegalArgumentException(
                        file + ": resample " + resample + " is not supported; 2 (bilinear) or 3 (bicubic)");
            }
            Image.Interpolation mode = resample == 3 ? Image.Interpolation.BICUBIC : Image.Interpolation.BILINEAR;
            boolean normalize =
                    !cfg.has("do_normalize") || cfg.get("do_normalize").getAsBoolean();
            List<Float> mean = !normalize
                    ? List.of(0f, 0f, 0f)
                    : cfg.has("image_mean") ? boxed(floats(cfg, "image_mean", file)) : HALF;
            List<Float> std = !normalize
                    ? List.of(1f, 1f, 1f)
                    : cfg.has("image_std") ? boxed(floats(cfg, "image_std", file)) : HALF;
            if (convNext) {
                return convNext(cfg, file, mode, mean, std);
            }
            JsonElement size = cfg.get("size");
            boolean squash = size == null
                    || !size.isJsonObject()
                    || !size.getAsJsonObject().has("shortest_edge");
            int resize = squash
                    ? square(size, "size", file)
                    : size.getAsJsonObject().get("shortest_edge").getAsInt();
            boolean centerCrop =
                    cfg.has("do_center_crop") && cfg.get("do_center_crop").getAsBoolean();
            int crop = centerCrop ? square(cfg.get("crop_size"), "crop_size", file) : resize;
            return new Preprocessing(resize, crop, mode, mean, std, squash, true);
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    file + ": malformed image processor configuration: " + e.getMessage(), e);
        }
    }

    /** The processor's class name ({@code image_processor_type}, else {@code feature_extractor_type}), or "". */
    private static String processorType(JsonObject cfg) {
        for (String field : List.of("image_processor_type", "feature_extractor_type")) {
            if (cfg.has(field) && cfg.get(field).isJsonPrimitive()) {
                return cfg.get(field).getAsString();
            }
        }
        return "";
    }

    /** ConvNextImageProcessor.resize: crop_pct below a shortest edge of 384, a squash from it. */
    private static Preprocessing convNext(
            JsonObject cfg, Path file, Image.Interpolation mode, List<Float> mean, List<Float> std) {
        JsonElement size = cfg.get("size");
        int edge;
        if (size == null || size.isJsonNull()) {
            edge = CONVNEXT_WARP_EDGE;
        } else if (size.isJsonPrimitive()) {
            edge = size.getAsInt();
        } else if (size.isJsonObject() && size.getAsJsonObject().has("shortest_edge")) {
            edge = size.getAsJsonObject().get("shortest_edge").getAsInt();
        } else {
            throw new IllegalArgumentException(
                    file + ": size " + size + " has no shortest_edge, which ConvNeXT's image processor needs");
        }
        JsonElement pct = cfg.get("crop_pct");
        double cropPct = pct == null || pct.isJsonNull() ? TIMM_CROP_PCT : pct.getAsDouble();
        if (!(cropPct > 0 && cropPct <= 1)) {
            throw new IllegalArgumentException(file + ": crop_pct " + pct + " is not in (0, 1]");
        }
        if (edge >= CONVNEXT_WARP_EDGE) {
            return new Preprocessing(edge, edge, mode, mean, std, true, true);
        }
        return new Preprocessing((int) (edge / cropPct), edge, mode, mean, std, false, true);
    }

    /** A square size: a number, or {@code {"height": n, "width": n}}. */
    private static int square(JsonElement size, String field, Path file) {
        if (size != null && size.isJsonPrimitive()) {
            return size.getAsInt();
        }
        if (size != null && size.isJsonObject() && size.getAsJsonObject().has("height")) {
            int height = size.getAsJsonObject().get("height").getAsInt();
            if (size.getAsJsonObject().has("width")
                    && size.getAsJsonObject().get("width").getAsInt() == height) {
                return height;
            }
        }
        throw new IllegalArgumentException(file + ": " + field + " " + size + " is not a square size");
    }

    private static float[] floats(JsonObject cfg, String field, Path file) {
        JsonElement element = cfg.get(field);
        if (element == null || !element.isJsonArray()) {
            throw new IllegalArgumentException(file + ": " + (file.endsWith("config.json") ? "pretrained_cfg." : "")
                    + field + " is missing or not an array");
        }
        JsonArray array = element.getAsJsonArray();
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }

    private static List<Float> boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    /**
     * Returns an evaluation pipeline over image files with this transform.
     *
     * @return the pipeline, without augmentation
     */
    public ImagePipeline<Path> forFiles() {
        return configure(ImagePipeline.forFiles(crop));
    }

    /**
     * Returns an evaluation pipeline over decoded images with this transform.
     *
     * @return the pipeline, without augmentation
     */
    public ImagePipeline<Image> forImages() {
        return configure(ImagePipeline.forImages(crop));
    }

    private <I> ImagePipeline<I> configure(ImagePipeline<I> pipeline) {
        return pipeline.resizeAndCrop(resize, crop)
                .interpolation(interpolation)
                .squash(squash)
                .cropRoundsDown(cropRoundsDown)
                .normalize(FloatLists.toArray(mean), FloatLists.toArray(std));
    }

    @Override
    public String toString() {
        return "Preprocessing[resize " + resize + (squash ? " squashed" : "") + ", crop " + crop
                + (cropRoundsDown ? " rounded down" : "") + ", "
                + interpolation.name().toLowerCase(Locale.ROOT) + ", mean " + mean + ", std " + std + "]";
    }
}
