package io.tl4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where pretrained weights came from: a source (file, URL, model-zoo id), the sha256 of the file
 * that was read, its licence, and a free-form note.
 *
 * @param source where the weights came from
 * @param sha256 the hex sha256 of the weights file, or empty when there was no file
 * @param licence the licence of the weights, or "unknown"
 * @param note anything else worth recording (training data, recipe)
 */
public record Provenance(String source, String sha256, String licence, String note) {

    /** Normalises nulls to empty strings or "unknown". */
    public Provenance {
        source = source == null ? "unknown" : source;
        sha256 = sha256 == null ? "" : sha256;
        licence = licence == null ? "unknown" : licence;
        note = note == null ? "" : note;
    }

    /** Returns provenance for weights of unknown origin (random initialization, a user's block). */
    public static Provenance unknown() {
        return new Provenance("unknown", "", "unknown", "");
    }

    /**
     * Provenance of a weights file, with its sha256 computed now.
     *
     * @param file the weights file
     * @param licence its licence
     * @param note a note
     * @return the provenance
     */
    public static Provenance ofFile(Path file, String licence, String note) {
        return new Provenance(file.toAbsolutePath().toString(), sha256(file), licence, note);
    }

    /**
     * Returns a copy with another note.
     *
     * @param note a note to use instead of the current one
     * @return a copy with that note
     */
    public Provenance withNote(String note) {
        return new Provenance(source, sha256, licence, note);
    }

    /**
     * Computes a file's sha256 as lower-case hex.
     *
     * @param file a file
     * @return its sha256 as lower-case hex
     */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " to hash it", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
