package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Components;
import io.tl4j.core.FileInput;
import io.tl4j.core.InputPipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * The input pipeline for real images, as decoded DJL {@link Image}s ({@link #forImages}) or as image files (JPEG, PNG,
 * BMP, GIF, TIFF, WBMP) decoded with Java's {@code javax.imageio} ({@link #forFiles}).
 *
 * <p>Files are checked before they are decoded: an empty file, a file that is not an image, and an
 * image whose header declares more pixels than the pipeline's {@link ImageLimits} (by default
 * {@link ImageLimits#DEFAULT}: 64 megapixels, 16,384 per side; raise it with {@link
 * #imageLimits}) fail at once with an exception naming the file; a truncated or corrupt one fails
 * when it is decoded, also naming it. Grayscale, 16-bit, palette, alpha and CMYK images are
 * converted to the pipeline's RGB or grayscale.
 *
 * <p>In evaluation (and in training without random resized crop) an image is resized (bilinear unless {@link
 * #interpolation} says bicubic; computed as Pillow computes it, so equal to torchvision's transform of a PIL image,
 * 8-bit level for level) so its shorter side is {@code resize} pixels and the central {@code crop}x{@code crop}
 * square is taken, as torchvision's {@code Resize(256), CenterCrop(224)}. Values are scaled to [0, 1] and normalised
 * per channel, with ImageNet's mean and standard deviation by default. {@link Preprocessing} gives each
 * architecture's weights their documented resize, crop, interpolation and normalisation.
 *
 * <p>Training augmentation, each optional: random resized crop (a random area fraction and aspect ratio, resized to
 * {@code crop}, as torchvision's {@code RandomResizedCrop}), horizontal flip, and colour jitter (brightness, contrast,
 * saturation, in that order, factors drawn uniformly from {@code [1 - s, 1 + s]}; with normalisation, once per batch on
 * the engine's arrays). Every random choice comes from the {@code Random} given to {@link #batch}, in input order, so a
 * batch is reproducible.
 *
 * <pre>{@code
 * ImagePipeline<Path> eval = ImagePipeline.forFiles(224);            // resize 256, crop 224, ImageNet norm
 * ImagePipeline<Path> train = eval.randomResizedCrop(0.08f, 1f).horizontalFlip(0.5f).colorJitter(0.4f, 0.4f, 0.4f);
 * }</pre>
 *
 * @param <I> {@link Image} or {@link Path}
 */
public final class ImagePipeline<I> implements InputPipeline<I>, FileInput<I> {

    /** The id under which this pipeline is registered in {@link Components}. */
    public static final String ID = "tl4j.vision.image";

    /** ImageNet's per-channel mean (RGB), as torchvision uses it. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet's per-channel standard deviation (RGB). */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final Source source;
    private final CenterCrop geometry;
    private final boolean grayscale;
    private final float[] mean;
    private final float[] std;
    private final ImageAugmentation augmentation;
    private final ImageLimits limits;

    /** What a pipeline's raw inputs are. */
    public enum Source {
        /** Decoded DJL {@link Image}s. */
        IMAGE,
        /** Image files, as {@link Path}s. */
        FILE
    }

    private ImagePipeline(
            Source source,
            CenterCrop geometry,
            boolean grayscale,
            float[] mean,
            float[] std,
            ImageAugmentation augmentation,
            ImageLimits limits) {
        int channels = grayscale ? 1 : 3;
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(
                    "Need " + channels + " means and stds, got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0: " + Arrays.toString(std));
            }
        }
        this.source = source;
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.grayscale = grayscale;
        this.mean = mean.clone();
        this.std = std.clone();
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Creates a pipeline over decoded images: resize, center crop to {@code size}, RGB, ImageNet normalisation, no
     * augmentation.
     *
     * @param size the output side, e.g. 224; images are resized to {@code size * 256 / 224} on
     *     their shorter side and center-cropped to {@code size}, RGB, ImageNet-normalised
     * @return a pipeline over decoded images, without augmentation
     */
    public static ImagePipeline<Image> forImages(int size) {
        return withDefaults(Source.IMAGE, size);
    }

    /**
     * Creates a pipeline over image files, decoded with {@code javax.imageio}, without augmentation.
     *
     * @param size the output side, e.g. 224 (see {@link #forImages})
     * @return a pipeline over image files, decoded with {@code javax.imageio}, without
     *     augmentation; an unreadable file is an {@link ImageFileException}, and one declaring
     *     more pixels than {@link ImageLimits#DEFAULT} an {@link ImageTooLargeException}, each
     *     naming the file
     */
    public static ImagePipeline<Path> forFiles(int size) {
        return withDefaults(Source.FILE, size);
    }

    /** Creates the default pipeline of {@link #forImages} or {@link #forFiles} over that source. */
    private static <T> ImagePipeline<T> withDefaults(Source source, int size) {
        CenterCrop geometry =
                new CenterCrop(Math.round(size * 256f / 224f), size, Image.Interpolation.BILINEAR, false, false);
        return new ImagePipeline<>(
                source, geometry, false, IMAGENET_MEAN, IMAGENET_STD, ImageAugmentation.NONE, ImageLimits.DEFAULT);
    }

    private ImagePipeline<I> copy(
            CenterCrop newGeometry, boolean newGray, float[] newMean, float[] newStd, ImageAugmentation newAug) {
        return new ImagePipeline<>(source, newGeometry, newGray, newMean, newStd, newAug, limits);
    }

    /**
     * Sets the largest image this pipeline decodes. A file whose header declares more is refused
     * before any pixel is read (an {@link ImageTooLargeException} naming it); so is a decoded
     * {@link Image} larger than this.
     *
     * @param imageLimits the limits, e.g. {@code new ImageLimits(200_000_000, 20_000)} for
     *     large scans; {@link ImageLimits#DEFAULT} unless set
     * @return a copy with those limits
     */
    public ImagePipeline<I> imageLimits(ImageLimits imageLimits) {
        return new ImagePipeline<>(source, geometry, grayscale, mean, std, augmentation, imageLimits);
    }

    /**
     * Returns a copy that resizes with that interpolation before the center crop (torchvision's {@code
     * InterpolationMode}; EfficientNet's weights expect bicubic).
     *
     * @param mode {@code BILINEAR} (the default) or {@code BICUBIC}
     * @return a copy resizing with that interpolation
     */
    public ImagePipeline<I> interpolation(Image.Interpolation mode) {
        return copy(geometry.withInterpolation(mode), grayscale, mean, std, augmentation);
    }

    /**
     * Returns a copy that resizes both sides to the resize length, not keeping the aspect ratio, before the center
     * crop: Hugging Face's ViT image processor (224x224, no crop) and timm's {@code crop_mode="squash"}.
     *
     * @param squash true to squash, false to resize the shorter side (the default)
     * @return a copy with that resize
     */
    public ImagePipeline<I> squash(boolean squash) {
        return copy(geometry.withSquash(squash), grayscale, mean, std, augmentation);
    }

    /**
     * Returns a copy whose center crop starts at {@code (side - crop) / 2} rounded down, as Hugging Face's image
     * processors crop, rather than to the nearest (halves to even), as torchvision crops.
     *
     * @param roundDown true for Hugging Face's offset, false for torchvision's (the default)
     * @return a copy with that crop offset
     */
    public ImagePipeline<I> cropRoundsDown(boolean roundDown) {
        return copy(geometry.withRoundDown(roundDown), grayscale, mean, std, augmentation);
    }

    /** Returns the largest image this pipeline decodes. */
    public ImageLimits imageLimits() {
        return limits;
    }

    /**
     * Returns a copy that resizes to another shorter side and center-crops to another size.
     *
     * @param shorterSide the shorter side after resizing (before the center crop)
     * @param cropSize the side of the center crop: the output size
     * @return a copy with that geometry
     */
    public ImagePipeline<I> resizeAndCrop(int shorterSide, int cropSize) {
        return copy(geometry.withSize(shorterSide, cropSize), grayscale, mean, std, augmentation);
    }

    /**
     * Returns a copy with another per-channel normalisation.
     *
     * @param mean per-channel mean of the [0, 1] values
     * @param std per-channel standard deviation
     * @return a copy with that normalisation
     */
    public ImagePipeline<I> normalize(float[] mean, float[] std) {
        return copy(geometry, grayscale, mean, std, augmentation);
    }

    /**
     * Returns a copy that decodes to one grayscale channel with that normalisation.
     *
     * @param mean the grayscale mean
     * @param std the grayscale standard deviation
     * @return a copy that decodes to one grayscale channel with that normalisation
     */
    public ImagePipeline<I> grayscale(float mean, float std) {
        return copy(geometry, true, new float[] {mean}, new float[] {std}, augmentation);
    }

    /**
     * Returns a copy that crops a random area (aspect ratio in [3/4, 4/3]) and resizes it in training.
     *
     * @param minScale the smallest area fraction of the image a training crop covers, e.g. 0.08
     * @param maxScale the largest, e.g. 1
     * @return a copy that crops a random area (aspect ratio in [3/4, 4/3]) and resizes it in training
     */
    public ImagePipeline<I> randomResizedCrop(float minScale, float maxScale) {
        return copy(geometry, grayscale, mean, std, augmentation.withRandomResizedCrop(minScale, maxScale));
    }

    /**
     * Returns a copy that mirrors training images left-right at random.
     *
     * @param probability the chance a training image is mirrored left-right
     * @return a copy with that augmentation
     */
    public ImagePipeline<I> horizontalFlip(float probability) {
        return copy(geometry, grayscale, mean, std, augmentation.withFlip(probability));
    }

    /**
     * Returns a copy with random brightness, contrast and saturation in training.
     *
     * @param brightness strength of the random brightness factor, in [0, 1)
     * @param contrast strength of the random contrast factor, in [0, 1)
     * @param saturation strength of the random saturation factor, in [0, 1) (no effect on grayscale)
     * @return a copy with colour jitter in training
     */
    public ImagePipeline<I> colorJitter(float brightness, float contrast, float saturation) {
        ColorJitter jitter = new ColorJitter(brightness, contrast, saturation);
        return copy(geometry, grayscale, mean, std, augmentation.withJitter(jitter));
    }

    /** Returns a copy without training augmentation. */
    public ImagePipeline<I> withoutAugmentation() {
        return copy(geometry, grayscale, mean, std, ImageAugmentation.NONE);
    }

    private int channels() {
        return grayscale ? 1 : 3;
    }

    @Override
    public Shape sampleShape() {
        return new Shape(channels(), geometry.crop(), geometry.crop());
    }

    @Override
    public NDList batch(NDManager manager, List<I> inputs, boolean training, Random random) {
        List<NDArray> images = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            NDArray hwc = ImageDecoding.toArray(manager, inputs.get(i), i, source, grayscale, limits);
            images.add(training ? augmentation.trainingGeometry(hwc, geometry, random) : geometry.apply(hwc));
        }
        // (B, H, W, C) in [0, 255] -> (B, C, H, W) in [0, 1]
        NDArray x = NDArrays.stack(new NDList(images)).transpose(0, 3, 1, 2).div(255f);
        if (training && augmentation.jitter().active()) {
            x = augmentation.jitter().apply(manager, x, grayscale, random);
        }
        NDArray m = manager.create(mean, new Shape(1, channels(), 1, 1));
        NDArray s = manager.create(std, new Shape(1, channels(), 1, 1));
        return new NDList(x.sub(m).div(s));
    }

    /**
     * Reads an image file as an input: the decoded {@link Image}, or for a pipeline over files the path itself (decoded
     * here too, to refuse a bad file at once); a bad file is an {@link ImageFileException}, a too large one an
     * {@link ImageTooLargeException}.
     */
    @Override
    @SuppressWarnings("unchecked")
    public I readFile(Path file) {
        Image image = ImageFiles.read(file, limits);
        return (I) (source == Source.FILE ? file : image);
    }

    @Override
    public boolean isRandomInTraining() {
        return augmentation.active();
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * The configuration of an {@link ImagePipeline}, as saved models store it.
     *
     * @param input what the raw inputs are
     * @param resize the shorter side after resizing, before the center crop
     * @param crop the side of the crop: the output size
     * @param grayscale whether images are decoded to one grayscale channel
     * @param mean the per-channel mean
     * @param std the per-channel standard deviation
     * @param scaleMin the smallest area fraction of a random resized crop, 0 without it
     * @param scaleMax the largest area fraction of a random resized crop, 0 without it
     * @param flip the chance of a horizontal flip in training
     * @param jitter the colour jitter in training
     * @param limits the largest image decoded, or null for {@link ImageLimits#DEFAULT}
     * @param interpolation the resize's interpolation before the center crop, or null for {@code BILINEAR}
     * @param squash whether both sides are resized to {@code resize}, or null for false
     * @param cropRoundsDown whether the crop's offset is rounded down (Hugging Face's), or null for false
     */
    public record Config(
            Source input,
            int resize,
            int crop,
            boolean grayscale,
            List<Float> mean,
            List<Float> std,
            float scaleMin,
            float scaleMax,
            float flip,
            ColorJitter jitter,
            ImageLimits limits,
            Image.Interpolation interpolation,
            Boolean squash,
            Boolean cropRoundsDown) {}

    @Override
    public Config config() {
        return new Config(
                source,
                geometry.resize(),
                geometry.crop(),
                grayscale,
                FloatLists.of(mean),
                FloatLists.of(std),
                augmentation.scaleMin(),
                augmentation.scaleMax(),
                augmentation.flipProbability(),
                augmentation.jitter(),
                limits.equals(ImageLimits.DEFAULT) ? null : limits,
                geometry.interpolation() == Image.Interpolation.BILINEAR ? null : geometry.interpolation(),
                geometry.squash() ? Boolean.TRUE : null,
                geometry.roundDown() ? Boolean.TRUE : null);
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param config the configuration
     * @return the pipeline, over {@link Image}s or {@link Path}s as saved
     */
    public static ImagePipeline<?> fromConfig(Config config) {
        return new ImagePipeline<>(
                Objects.requireNonNull(config.input(), "ImagePipeline config has no 'input'"),
                new CenterCrop(
                        config.resize(),
                        config.crop(),
                        Objects.requireNonNullElse(config.interpolation(), Image.Interpolation.BILINEAR),
                        Boolean.TRUE.equals(config.squash()),
                        Boolean.TRUE.equals(config.cropRoundsDown())),
                config.grayscale(),
                FloatLists.toArray(config.mean()),
                FloatLists.toArray(config.std()),
                new ImageAugmentation(
                        config.scaleMin(),
                        config.scaleMax(),
                        config.flip(),
                        Objects.requireNonNullElse(config.jitter(), ColorJitter.NONE)),
                Objects.requireNonNullElse(config.limits(), ImageLimits.DEFAULT));
    }

    @Override
    public String toString() {
        return "ImagePipeline[" + source.name().toLowerCase(Locale.ROOT) + ", " + geometry
                + (grayscale ? ", grayscale" : ", RGB") + ", mean " + Arrays.toString(mean) + ", std "
                + Arrays.toString(std)
                + (isRandomInTraining() ? ", augment " + augmentation : "")
                + "]";
    }
}
