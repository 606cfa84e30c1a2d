package io.tl4j.vision.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The 1000 ImageNet-1k class names in torchvision's order (from torchvision 0.14.1's {@code
 * _IMAGENET_CATEGORIES}, BSD 3-Clause; see {@code imagenet_categories.LICENSE.txt} beside the
 * list).
 */
public final class ImageNetLabels {

    private static final List<String> LABELS = read();

    private ImageNetLabels() {}

    /** Returns the 1000 ImageNet class names; index {@code i} names logit {@code i}. */
    public static List<String> all() {
        return LABELS;
    }

    private static List<String> read() {
        try (InputStream in = ImageNetLabels.class.getResourceAsStream("imagenet_categories.txt")) {
            if (in == null) {
                throw new IllegalStateException("imagenet_categories.txt is missing from the class path");
            }
            List<String> labels = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.toUnmodifiableList());
            if (labels.size() != 1000) {
                throw new IllegalStateException("Expected 1000 ImageNet labels, found " + labels.size());
            }
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
