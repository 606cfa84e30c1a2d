package io.tl4j.core.torchscript;

import io.tl4j.core.persist.AtomicFiles;
import io.tl4j.core.weights.WeightFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the TorchScript file to load: checks a local file, downloads a URL into a cache directory
 * once, and picks the {@code .pt} file of a DJL model-zoo model.
 */
final class TorchScriptFiles {

    private TorchScriptFiles() {}

    /**
     * Checks that {@code file} is a readable regular file.
     *
     * @throws WeightFileException naming the file when it is not
     */
    static void checkReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new WeightFileException(file, "no such TorchScript file");
        }
    }

    /**
     * Returns the cached copy of {@code url} in {@code cacheDir}, downloading it there first
     * (atomically, with mode 0644: see {@link AtomicFiles}) when it is missing. The cache entry is
     * keyed by the URL, so two URLs ending in the same file name do not share one.
     *
     * @throws UncheckedIOException when the download fails
     */
    static Path download(URL url, Path cacheDir) {
        String path = url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            name = "model.pt";
        }
        String key = HexFormat.of().formatHex(sha256(url.toString())).substring(0, 12);
        Path target = cacheDir.resolve(key + "-" + name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            AtomicFiles.createDirectories(cacheDir);
            try (InputStream in = url.openStream()) {
                AtomicFiles.write(target, channel -> in.transferTo(Channels.newOutputStream(channel)));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot download " + url + " into " + cacheDir, e);
        }
    }

    /**
     * Returns a zoo model's TorchScript file: {@code modelPath} itself when it is a file, else
     * {@code name.pt} in it, else its only {@code .pt} file.
     *
     * @throws IllegalArgumentException when the directory holds no single {@code .pt} file
     */
    static Path findInZooModel(Path modelPath, String name) throws IOException {
        if (Files.isRegularFile(modelPath)) {
            return modelPath;
        }
        Path named = modelPath.resolve(name + ".pt");
        if (Files.isRegularFile(named)) {
            return named;
        }
        try (Stream<Path> files = Files.list(modelPath)) {
            List<Path> pts = files.filter(f -> f.toString().endsWith(".pt")).collect(Collectors.toList());
            if (pts.size() != 1) {
                throw new IllegalArgumentException("Expected one .pt file in " + modelPath + ", found " + pts);
            }
            return pts.get(0);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
