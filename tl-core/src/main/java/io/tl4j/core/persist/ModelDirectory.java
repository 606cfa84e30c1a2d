package io.tl4j.core.persist;

import io.tl4j.core.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A directory of saved files that must be self-contained: every file name read from its
 * descriptor resolves inside it, and every file it lists has the sha256 recorded at save time.
 * A name that is absolute, climbs out with {@code ..} or is a symbolic link leading outside is
 * refused with an error naming the descriptor, the field and the name.
 */
public final class ModelDirectory {

    private final Path directory;
    private final Path descriptor;

    /**
     * Opens a model directory whose descriptor file names the other files.
     *
     * @param directory the directory
     * @param descriptor the file inside it whose fields name the other files, named in errors
     */
    public ModelDirectory(Path directory, Path descriptor) {
        this.directory = directory.toAbsolutePath().normalize();
        this.descriptor = descriptor;
    }

    /** Returns the directory, absolute and normalized. */
    public Path directory() {
        return directory;
    }

    /**
     * Resolves a file name read from the descriptor inside the directory.
     *
     * @param field the descriptor field the name came from, named in errors
     * @param name a path relative to the directory
     * @return the file, inside the directory (it may not exist)
     * @throws ModelFormatException when the name is absolute or empty, leaves the directory through
     *     {@code ..}, or is (or passes through) a symbolic link that leads outside it
     */
    public Path resolve(String field, String name) {
        Path relative;
        try {
            relative = Path.of(name);
        } catch (InvalidPathException e) {
            throw refuse(field, name, "is not a valid file name: " + e.getMessage());
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw refuse(field, name, "is an absolute path");
        }
        Path normalized = relative.normalize();
        if (normalized.toString().isEmpty() || normalized.startsWith("..")) {
            throw refuse(field, name, "leaves it through '..'");
        }
        Path file = directory.resolve(normalized);
        if (Files.exists(file)) {
            try {
                Path real = file.toRealPath();
                if (!real.startsWith(directory.toRealPath())) {
                    throw refuse(field, name, "is a symbolic link to " + real);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot resolve " + file + " named by " + descriptor, e);
            }
        }
        return file;
    }

    /**
     * Checks that a file named by the descriptor exists and still has the sha256 recorded for it.
     *
     * @param field the descriptor field recording the hash, named in errors
     * @param file a file inside the directory, from {@link #resolve}
     * @param expected the recorded sha256, lower-case hex
     * @param remedy what the caller can do about a mismatch, appended to its message
     * @throws ModelFormatException when the file is missing
     * @throws ModelFileModifiedException when its hash differs
     */
    public void verify(String field, Path file, String expected, String remedy) {
        requireFile(field, file);
        String actual = Provenance.sha256(file);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ModelFileModifiedException(file, field, descriptor, expected, actual, remedy);
        }
    }

    /**
     * Checks that a file the descriptor relies on is there.
     *
     * @param field the descriptor field that names or lists it
     * @param file the file
     * @throws ModelFormatException when it is missing or not a regular file
     */
    public void requireFile(String field, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(
                    descriptor,
                    field,
                    "names " + directory.relativize(file) + ", which is missing from " + directory
                            + " (was the directory copied only in part?)",
                    null);
        }
    }

    private ModelFormatException refuse(String field, String name, String why) {
        return new ModelFormatException(
                descriptor,
                field,
                "names " + name + ", outside the model directory "
                        + directory + " (it " + why + "). A model directory must be self-contained: copy the file "
                        + "into it and name it relative to the directory",
                null);
    }
}
