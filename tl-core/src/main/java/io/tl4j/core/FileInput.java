package io.tl4j.core;

import java.nio.file.Path;

/**
 * Reads one raw input of an {@link InputPipeline} from a file, for callers that hold files rather than the pipeline's
 * input type, such as a model server's uploads. Pipelines whose inputs come from files (images, recordings) implement
 * it beside {@link InputPipeline}, so that such a caller needs to know neither the input type nor the domain module.
 *
 * @param <I> the pipeline's raw input type
 */
public interface FileInput<I> {

    /**
     * Reads one input from a file, decoding as much of it as needed to refuse a file the pipeline cannot use. The
     * input returned may still refer to the file (an image pipeline over paths returns the path), so keep the file
     * until the input has been used.
     *
     * @param file a file in the format the pipeline reads
     * @return the raw input, ready for {@link InputPipeline#batch}
     * @throws IllegalArgumentException naming the file when it cannot be decoded or exceeds the pipeline's limits
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    I readFile(Path file);
}
