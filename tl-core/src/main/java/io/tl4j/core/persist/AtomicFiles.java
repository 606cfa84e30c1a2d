package io.tl4j.core.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the files of saved models, checkpoints and weight files: atomically (a temporary file in
 * the same directory, forced to disk, then moved over the target, and the directory forced), and
 * with one fixed mode whatever the process's umask.
 *
 * <p><b>Modes.</b> On POSIX file systems every file written here gets mode {@code 0644}
 * ({@code rw-r--r--}) and every directory created here {@code 0755} ({@code rwxr-xr-x}), set
 * explicitly after creation so that the umask plays no part: a model saved by one user can be
 * loaded by a service running as another. On file systems without POSIX permissions the modes are
 * left to the platform. Directories that already exist keep their mode.
 *
 * <p><b>Temporary files</b> are named {@code .<target name>.<random>.tmp}. A process killed
 * mid-write leaves one behind; {@link #pruneTemporaries} deletes them.
 */
public final class AtomicFiles {

    /** The mode of every file written, on POSIX file systems: {@code rw-r--r--}. */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    /** The mode of every directory created, on POSIX file systems: {@code rwxr-xr-x}. */
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-z]{1,13}\\.tmp");

    private AtomicFiles() {}

    /** Writes a file's content to an open channel. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the content.
         *
         * @param channel the temporary file, positioned at its start
         * @throws IOException when writing fails
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes a file atomically with mode {@code 0644}: readers see the old file or the complete new
     * one, never a part. The directory must exist. On failure the temporary file is deleted and
     * {@code target} is unchanged.
     *
     * @param target the file to create or replace
     * @param content writes the bytes
     * @throws IOException when the file system fails
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                setMode(temp, FILE_MODE);
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forceDirectory(absolute.getParent());
    }

    /**
     * Writes a text file atomically in UTF-8 with mode {@code 0644}; see {@link #write(Path, Content)}.
     *
     * @param target the file to create or replace
     * @param text its content
     * @throws IOException when the file system fails
     */
    public static void writeString(Path target, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        write(target, channel -> {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        });
    }

    /**
     * Creates a directory and its missing parents, each with mode {@code 0755}; existing ones are
     * left as they are.
     *
     * @param directory the directory
     * @throws IOException when one cannot be created
     */
    public static void createDirectories(Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = directory.toAbsolutePath(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        for (Path d : missing) {
            Files.createDirectory(d);
            setMode(d, DIRECTORY_MODE);
        }
    }

    /**
     * Tells whether a file name is that of a temporary file left by {@link #write}.
     *
     * @param name a file name
     * @return true for {@code .<name>.<random>.tmp}
     */
    public static boolean isTemporary(String name) {
        return TEMPORARY.matcher(name).matches();
    }

    /**
     * Deletes the temporary files that killed writes left in a directory. Only one process may
     * write into the directory at a time: another's write in progress would lose its file.
     *
     * @param directory the directory; nothing happens when it does not exist
     * @return the files deleted
     * @throws IOException when the directory cannot be listed or a file deleted
     */
    public static List<Path> pruneTemporaries(Path directory) throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return deleted;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (isTemporary(file.getFileName().toString()) && Files.isRegularFile(file)) {
                    Files.deleteIfExists(file);
                    deleted.add(file);
                }
            }
        }
        return deleted;
    }

    private static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(mode);
        }
    }

    /** Forces a directory's entries (the rename) to disk, on POSIX file systems. */
    private static void forceDirectory(Path directory) throws IOException {
        if (Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}
