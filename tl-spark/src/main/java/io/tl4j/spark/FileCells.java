package io.tl4j.spark;

import io.tl4j.core.FileInput;
import io.tl4j.core.InputPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the file cells of one batch through the model's own file reader: a path cell, and a binary cell holding a
 * file's bytes, reach a model whose pipeline reads files (tl-vision's images, tl-speech's recordings) as that
 * pipeline's input, so a file it cannot decode fails only its own row. A binary cell is written to a temporary file
 * first, because a pipeline over files may return the path itself and read it again in the forward pass; the
 * temporary files live until {@link #close()}, when the batch has been scored.
 */
final class FileCells implements AutoCloseable {

    private final Supplier<InputPipeline<Object>> pipeline;
    private final List<Path> temporary = new ArrayList<>();

    /**
     * Creates the reader of one batch.
     *
     * @param pipeline the model's input pipeline, asked for only when the batch holds a file cell
     */
    FileCells(Supplier<InputPipeline<Object>> pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Returns a cell's input as the model takes it: a path through the pipeline's file reader when it has one, a
     * binary cell likewise through a temporary file, and anything else as it is.
     *
     * @param cell the raw cell, from {@link InputValues#read}
     * @return the model's input
     * @throws IllegalArgumentException when the file cannot be decoded (naming it), or when a binary cell meets a
     *     model whose pipeline reads no files
     * @throws UncheckedIOException when a file cannot be read or a binary cell cannot be written out
     */
    Object read(Object cell) {
        if (!(cell instanceof Path) && !(cell instanceof byte[])) {
            return cell;
        }
        InputPipeline<Object> model = pipeline.get();
        if (!(model instanceof FileInput<?> files)) {
            if (cell instanceof byte[]) {
                throw new IllegalArgumentException(
                        "the input is binary, but the model's pipeline '" + model.id() + "' reads no file format");
            }
            return cell;
        }
        if (cell instanceof Path file) {
            return files.readFile(file);
        }
        byte[] bytes = (byte[]) cell;
        Path file = write(bytes);
        try {
            return files.readFile(file);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException(
                    "the binary input (" + bytes.length + " bytes) cannot be decoded: "
                            + reason.replace(file.toString(), "(binary input)"),
                    e);
        }
    }

    private Path write(byte[] bytes) {
        try {
            Path file = Files.createTempFile("tl4j-spark-cell", ".bin");
            temporary.add(file);
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a binary input to a temporary file", e);
        }
    }

    /** Deletes the temporary files of the batch's binary cells. */
    @Override
    public void close() {
        for (Path file : temporary) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete the temporary file " + file, e);
            }
        }
        temporary.clear();
    }
}
