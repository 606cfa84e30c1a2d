package io.tl4j.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Copies this module's resources out of its jar into temporary files and folders, which are deleted
 * when the JVM exits, so that readers that take a {@link Path} can open them.
 */
final class DemoResources {

    private DemoResources() {}

    /**
     * Copies the resource {@code name} (relative to this package) into a new temporary file.
     *
     * @throws UncheckedIOException when the resource cannot be copied
     */
    static Path copy(String name) {
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        try (InputStream in = open(name)) {
            Path file = Files.createTempFile("tl4j-demo-", "-" + fileName);
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the resource " + name + " out of tl-demo-data", e);
        }
    }

    /**
     * Extracts the zip resource {@code name} (relative to this package) into a new temporary folder.
     *
     * @throws UncheckedIOException when the resource cannot be extracted
     */
    static Path unzip(String name) {
        try {
            Path root = Files.createTempDirectory("tl4j-demo-");
            try (ZipInputStream zip = new ZipInputStream(open(name))) {
                extract(zip, root);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the resource " + name + " of tl-demo-data", e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = DemoResources.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("Resource " + name + " is missing from tl-demo-data's jar");
        }
        return in;
    }

    private static void extract(ZipInputStream zip, Path root) throws IOException {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            Path target = root.resolve(entry.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("Zip entry escapes the target folder: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(zip, target);
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
