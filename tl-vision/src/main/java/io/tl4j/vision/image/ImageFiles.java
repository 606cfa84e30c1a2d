package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes image files with Java's {@code javax.imageio} readers, refusing before any pixel is read
 * a file that is empty, not an image, or declares more pixels than its {@link ImageLimits}, and
 * refusing after decoding one that is truncated (Java's JPEG reader only warns about a missing
 * end and fills the rest with gray). Every failure is an {@link ImageFileException} or {@link
 * ImageTooLargeException} naming the file.
 *
 * <p>Grayscale images of any bit depth (16-bit PNGs included) become 8-bit grayscale by scaling
 * their samples; every other colour model (palette, alpha, CMYK, 16-bit RGB) is converted to RGB
 * by DJL through Java's colour conversion, alpha dropped.
 */
final class ImageFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);
    private static final int HEAD_BYTES = 16;

    private ImageFiles() {}

    /**
     * Reads one image file.
     *
     * @param file the file
     * @param limits the largest size the file may declare
     * @return the decoded image
     * @throws ImageFileException when the file cannot be decoded, naming it and why
     * @throws ImageTooLargeException when it declares more pixels than {@code limits} allow
     */
    static Image read(Path file, ImageLimits limits) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageFileException(file, "the file does not exist", e);
        } catch (IOException e) {
            throw new ImageFileException(file, "the file cannot be read (" + describe(e) + ")", e);
        }
        if (size == 0) {
            throw new ImageFileException(file, "the file is empty (0 bytes)", null);
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFileException(file, unrecognised(file), null);
            }
            ImageReader reader = readers.next();
            try {
                return ImageFactory.getInstance().fromImage(toStandard(decode(file, reader, in, limits)));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageFileException(file, "the file cannot be read (" + describe(e) + ")", e);
        }
    }

    private static BufferedImage decode(Path file, ImageReader reader, ImageInputStream in, ImageLimits limits) {
        reader.setInput(in, true, true);
        String format = formatName(reader);
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(
                    file,
                    "its " + format + " header cannot be read (" + describe(e) + "): the file is truncated or corrupt",
                    e);
        }
        if (width <= 0 || height <= 0) {
            throw new ImageFileException(
                    file, "its " + format + " header declares " + width + " x " + height + " pixels", null);
        }
        limits.check("Image file " + file, width, height);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image;
        try {
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageFileException(
                    file,
                    "the pixel data of this " + width + " x " + height + " " + format + " image cannot be decoded ("
                            + describe(e) + "): the file is truncated or corrupt",
                    e);
        }
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("missing eoi")) {
                throw new ImageFileException(
                        file,
                        "this " + width + " x " + height + " " + format
                                + " image is truncated (the decoder reports: " + String.join("; ", warnings)
                                + "); its missing part would be filled with gray",
                        null);
            }
            LOG.warn("Image file {}: the {} decoder warns: {}", file, format, warning);
        }
        return image;
    }

    /**
     * Makes a grayscale image of any bit depth 8-bit grayscale, which DJL reads as its raw values;
     * any other image is returned as is for DJL's RGB conversion.
     */
    private static BufferedImage toStandard(BufferedImage image) {
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (!gray || image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        Raster source = image.getRaster();
        double scale = 255.0 / ((1L << image.getColorModel().getComponentSize(0)) - 1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster target = out.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            source.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                row[x] = (int) Math.round(row[x] * scale);
            }
            target.setSamples(0, y, width, 1, 0, row);
        }
        return out;
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    /** Says what a file no reader recognises looks like, from its first bytes. */
    private static String unrecognised(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        }
        String ascii = new String(head, StandardCharsets.ISO_8859_1);
        String known = knownFormat(ascii);
        String supported = String.join(
                ", ",
                new TreeSet<>(Arrays.stream(ImageIO.getReaderFormatNames())
                        .map(n -> n.toUpperCase(Locale.ROOT))
                        .toList()));
        String what = printable(head)
                ? "it looks like text: \"" + ascii.replaceAll("\\s+", " ").trim() + "...\""
                : "it starts with bytes " + hex(head);
        String found = known != null
                ? "it is a " + known + " file, which Java cannot decode; convert it to PNG or JPEG"
                : "its content is not an image (" + what + ")";
        return found + ". Readable formats: " + supported;
    }

    private static String knownFormat(String head) {
        if (head.startsWith("RIFF") && head.startsWith("WEBP", 8)) {
            return "WebP";
        }
        if (head.startsWith("ftyp", 4)) {
            String brand = head.length() >= 12 ? head.substring(8, 12) : "";
            return brand.startsWith("avi")
                    ? "AVIF"
                    : brand.startsWith("hei") || brand.startsWith("mif")
                            ? "HEIF/HEIC"
                            : "ISO media (" + brand.trim() + ")";
        }
        if (head.startsWith("%PDF")) {
            return "PDF";
        }
        if (head.startsWith("8BPS")) {
            return "Photoshop (PSD)";
        }
        if (head.startsWith("\u0000\u0000\u0000\u000cjP  ")) {
            return "JPEG 2000";
        }
        if (head.startsWith("\u00ff\n") || head.startsWith("\u0000\u0000\u0000\u000cJXL ")) {
            return "JPEG XL";
        }
        if (head.startsWith("PK\u0003\u0004")) {
            return "ZIP";
        }
        if (head.startsWith("<svg") || head.startsWith("<?xml")) {
            return "SVG/XML";
        }
        return null;
    }

    private static boolean printable(byte[] bytes) {
        for (byte b : bytes) {
            if ((b < 0x20 || b > 0x7e) && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return bytes.length > 0;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }

    /** The exception's message with its root cause, e.g. "Error reading PNG image data: EOFException". */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e) {
            text += ", caused by " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        return text;
    }
}
