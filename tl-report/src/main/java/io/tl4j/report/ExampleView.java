package io.tl4j.report;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Shows one input in the report's worst-classified examples, as an HTML fragment: the extension point
 * a domain implements (a text snippet, an image thumbnail, a log-mel picture of audio).
 *
 * @param <I> the raw input type
 */
@FunctionalInterface
public interface ExampleView<I> {

    /**
     * Returns an HTML fragment that shows an input; it must be self-contained (no external resource).
     *
     * @param input the input
     * @return the fragment
     */
    String toHtml(I input);

    /**
     * Shows text as an escaped snippet of at most {@code maxChars} characters, with an ellipsis when cut.
     *
     * @param maxChars the longest snippet
     * @return the view
     * @throws IllegalArgumentException when {@code maxChars} is not positive
     */
    static ExampleView<String> text(int maxChars) {
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive, got " + maxChars);
        }
        return input -> {
            String snippet = input.length() > maxChars ? input.substring(0, maxChars) + "\u2026" : input;
            return "<q>" + Html.escape(snippet) + "</q>";
        };
    }

    /**
     * Shows an image as an inlined PNG thumbnail that fits a square of {@code size} pixels.
     *
     * @param toImage turns an input into a picture (for audio, e.g., its log-mel spectrogram)
     * @param size the thumbnail's largest side in pixels
     * @param <I> the raw input type
     * @return the view
     * @throws IllegalArgumentException when {@code size} is not positive
     */
    static <I> ExampleView<I> image(Function<I, BufferedImage> toImage, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        return input -> {
            BufferedImage image = toImage.apply(input);
            double scale = (double) size / Math.max(image.getWidth(), image.getHeight());
            int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
            int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
            BufferedImage thumbnail = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            thumbnail
                    .createGraphics()
                    .drawImage(image.getScaledInstance(width, height, Image.SCALE_SMOOTH), 0, 0, null);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            try {
                ImageIO.write(thumbnail, "png", png);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot encode a thumbnail", e);
            }
            return "<img class=\"example\" width=\"" + width + "\" height=\"" + height + "\" alt=\"example\""
                    + " src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
        };
    }
}
