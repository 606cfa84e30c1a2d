package io.tl4j.vision.image;

import io.tl4j.core.data.LabeledData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled image data set laid out as one subfolder per class, as torchvision's {@code
 * ImageFolder}: {@code root/cat/1.jpg}, {@code root/dog/a.png}, ... The class names are the
 * subfolder names, sorted; files are taken in name order.
 *
 * <p>Hidden entries are skipped everywhere: a class folder or a file whose name starts with
 * {@code '.'} ({@code .ipynb_checkpoints}, {@code .DS_Store}, {@code ._photo.jpg} from macOS,
 * {@code .git}) is neither a class nor an image, and is not counted as skipped. Other entries that
 * are not read (files with other extensions, subfolders inside a class folder, which are not
 * searched) are logged once per scan as a warning, by kind with examples.
 *
 * <pre>{@code
 * ImageFolder.Scan scan = ImageFolder.at(Path.of("fruit")).optSkipUnreadable(true).scan();
 * LabeledData<Path> data = scan.data();   // feed it to an ImagePipeline.forFiles(...) backbone
 * System.out.println(scan.skipped().size() + " unreadable images skipped");
 * }</pre>
 *
 * <p>By default files are not decoded while scanning: an unreadable image fails later, when the
 * pipeline decodes it, with an error naming the file. With {@link #optSkipUnreadable(boolean)} every
 * image is decoded once during the scan and the unreadable ones (truncated, corrupt, not an
 * image, or declaring more pixels than {@link #optImageLimits(ImageLimits)} allows) are left out,
 * counted and logged. A class folder without images, or a root without class folders, is an error
 * naming it.
 */
public final class ImageFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);

    /** The file extensions read by default (case-insensitive). */
    public static final Set<String> DEFAULT_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private final Path root;
    private final boolean skipUnreadable;
    private final Set<String> extensions;
    private final ImageLimits limits;

    private ImageFolder(Path root, boolean skipUnreadable, Set<String> extensions, ImageLimits limits) {
        this.root = Objects.requireNonNull(root, "root");
        this.skipUnreadable = skipUnreadable;
        this.extensions = extensions;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Creates an image folder reader with the defaults (no decoding during the scan, {@link #DEFAULT_EXTENSIONS}).
     *
     * @param root the folder holding one subfolder per class
     * @return an image folder with the defaults (no decoding during the scan, {@link
     *     #DEFAULT_EXTENSIONS})
     */
    public static ImageFolder at(Path root) {
        return new ImageFolder(root, false, DEFAULT_EXTENSIONS, ImageLimits.DEFAULT);
    }

    /**
     * Returns a copy that decodes every image during the scan and leaves out the unreadable ones, or not.
     *
     * @param skip true to decode every image during the scan and leave out (count and log) the ones
     *     that cannot be decoded, instead of failing when training reaches them
     * @return a copy with that choice
     */
    public ImageFolder optSkipUnreadable(boolean skip) {
        return new ImageFolder(root, skip, extensions, limits);
    }

    /**
     * Sets the largest image the scan decodes with {@link #optSkipUnreadable}: larger ones are
     * skipped from their header, without decoding. Give the pipeline that reads the images the same
     * limits ({@link ImagePipeline#imageLimits(ImageLimits)}).
     *
     * @param imageLimits the limits; {@link ImageLimits#DEFAULT} unless set
     * @return a copy with those limits
     */
    public ImageFolder optImageLimits(ImageLimits imageLimits) {
        return new ImageFolder(root, skipUnreadable, extensions, imageLimits);
    }

    /**
     * Returns a copy that reads files with those extensions.
     *
     * @param extensions the file extensions to read, without dots (case-insensitive)
     * @return a copy reading those
     */
    public ImageFolder optExtensions(String... extensions) {
        if (extensions.length == 0) {
            throw new IllegalArgumentException("Need at least one extension");
        }
        return new ImageFolder(
                root,
                skipUnreadable,
                Stream.of(extensions)
                        .map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                        .collect(Collectors.toUnmodifiableSet()),
                limits);
    }

    /**
     * Scans the folder and returns the image paths with their class labels.
     *
     * @return the image paths with their class labels
     * @throws IllegalArgumentException when the root has no class folder or a class folder has no
     *     images (left), naming it
     */
    public LabeledData<Path> load() {
        return scan().data();
    }

    /**
     * Lists (and with {@link #optSkipUnreadable} decodes) every image, skipping hidden folders and
     * files (names starting with {@code '.'}).
     *
     * @return the data and the files that were skipped
     * @throws IllegalArgumentException when the root has no class folder or a class folder has no
     *     images (left), naming it
     */
    public Scan scan() {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("Image folder " + root + " does not exist or is not a directory");
        }
        List<Path> entries = list(root).stream().filter(p -> !hidden(p)).toList();
        List<Path> classDirs = entries.stream().filter(Files::isDirectory).toList();
        List<Path> ignored = new ArrayList<>(
                entries.stream().filter(p -> !Files.isDirectory(p)).toList());
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("Image folder " + root + " has no class subfolders (expected "
                    + root.resolve("<class>/<image>") + ")");
        }
        List<Path> inputs = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path dir : classDirs) {
            String name = dir.getFileName().toString();
            int kept = 0;
            List<Path> ignoredHere = new ArrayList<>();
            for (Path file : list(dir)) {
                if (hidden(file)) {
                    continue;
                }
                if (!Files.isRegularFile(file) || !extensions.contains(extension(file))) {
                    ignoredHere.add(file);
                    continue;
                }
                if (skipUnreadable) {
                    String problem = decodeProblem(file, limits);
                    if (problem != null) {
                        LOG.warn("skipping unreadable image {}: {}", file, problem);
                        skipped.add(new Skipped(file, problem));
                        continue;
                    }
                }
                inputs.add(file);
                labelNames.add(name);
                kept++;
            }
            if (kept == 0) {
                throw new IllegalArgumentException(
                        "Class folder " + dir + " has no " + (skipUnreadable ? "readable " : "")
                                + "images with extensions "
                                + extensions.stream().sorted().toList()
                                + (ignoredHere.isEmpty() ? "" : "; it holds " + describe(ignoredHere)));
            }
            ignored.addAll(ignoredHere);
        }
        if (!ignored.isEmpty()) {
            LOG.warn(
                    "Image folder {}: ignored {} (only files with extensions {} directly inside a class folder are"
                            + " read)",
                    root,
                    describe(ignored),
                    extensions.stream().sorted().toList());
        }
        if (!skipped.isEmpty()) {
            LOG.warn(
                    "{} of {} images in {} were unreadable and skipped",
                    skipped.size(),
                    skipped.size() + inputs.size(),
                    root);
        }
        return new Scan(LabeledData.ofNamedLabels(inputs, labelNames), List.copyOf(skipped));
    }

    private static String decodeProblem(Path file, ImageLimits limits) {
        try {
            ImageFiles.read(file, limits);
            return null;
        } catch (ImageFileException | ImageTooLargeException e) {
            return e.getMessage();
        }
    }

    /** Counts entries by kind, e.g. "2 subfolders (cat/2019, dog/old), 3 .webp files (cat/a.webp, ...)". */
    private String describe(List<Path> entries) {
        Map<String, List<Path>> byKind = new TreeMap<>();
        for (Path entry : entries) {
            String kind = Files.isDirectory(entry)
                    ? "subfolder"
                    : extension(entry).isEmpty() ? "file without extension" : "." + extension(entry) + " file";
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(entry);
        }
        return byKind.entrySet().stream()
                .map(e -> e.getValue().size() + " x " + e.getKey() + " ("
                        + e.getValue().stream()
                                .limit(3)
                                .map(p -> root.relativize(p).toString())
                                .collect(Collectors.joining(", "))
                        + (e.getValue().size() > 3 ? ", ..." : "") + ")")
                .collect(Collectors.joining(", "));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /** True for names starting with '.': {@code .ipynb_checkpoints}, {@code .DS_Store}, macOS's {@code ._x.jpg}. */
    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * The result of a scan.
     *
     * @param data the readable images with their labels
     * @param skipped the images left out because they could not be decoded (only with {@link
     *     #optSkipUnreadable})
     */
    public record Scan(LabeledData<Path> data, List<Skipped> skipped) {}

    /**
     * An image left out of the data.
     *
     * @param file the file
     * @param reason why it could not be decoded
     */
    public record Skipped(Path file, String reason) {}
}
