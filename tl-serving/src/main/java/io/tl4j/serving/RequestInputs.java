package io.tl4j.serving;

import io.javalin.http.Context;
import io.tl4j.core.ArrayInput;
import io.tl4j.core.FileInput;
import io.tl4j.core.InputPipeline;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Holds the inputs of one predict request with the request field each came from, and the uploaded files they may
 * still refer to; closing it deletes those files.
 *
 * <p>A JSON body gives strings and float arrays ({@link InputParser}), named {@code inputs[i]}. A multipart body gives
 * one input per uploaded file, in the order of the form's fields, read through the model's own pipeline when it
 * implements {@link FileInput} (tl-vision's image and array-image pipelines, tl-speech's audio and wav2vec2 waveform
 * pipelines do); each is named by its form
 * field, with {@code [k]} appended when a field holds several files. The uploads are copied into the server's upload
 * directory under random names: no name from the request reaches the file system.
 *
 * @param inputs the inputs, in request order
 * @param fields the request field of each input, for error messages
 * @param files the uploaded files to delete once the request is answered
 */
record RequestInputs(List<Object> inputs, List<String> fields, List<Path> files) implements AutoCloseable {

    /** Returns the inputs of a JSON body, named {@code inputs[i]}. */
    static RequestInputs json(String body) {
        List<Object> inputs = InputParser.parse(body);
        List<String> fields = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            fields.add("inputs[" + i + "]");
        }
        return new RequestInputs(inputs, fields, List.of());
    }

    /**
     * Refuses, before anything is queued, a JSON input that a model whose pipeline takes float arrays (an
     * {@link ArrayInput}: tl-core's feature vectors, tl-vision's array images, tl-speech's wav2vec2 waveforms) cannot
     * take: text, or an array of a length the pipeline refuses. A 400 names the input ({@code inputs[i]}) and the
     * arrays the model takes; checking here keeps one bad input from failing its whole batch, which would then be run
     * again one input at a time.
     */
    RequestInputs checkedFor(String model, InputPipeline<?> pipeline) {
        if (!(pipeline instanceof ArrayInput arrays)) {
            return this;
        }
        for (int i = 0; i < inputs.size(); i++) {
            Object input = inputs.get(i);
            if (!(input instanceof float[] numbers)) {
                throw new ApiException(
                        400,
                        "bad_input",
                        fields.get(i) + " is text; model '" + model + "' takes " + arrays.acceptedArrays(),
                        fields.get(i));
            }
            if (!arrays.acceptsLength(numbers.length)) {
                throw new ApiException(
                        400,
                        "bad_input",
                        fields.get(i) + " has " + numbers.length + " numbers; model '" + model + "' takes "
                                + arrays.acceptedArrays(),
                        fields.get(i));
            }
        }
        return this;
    }

    /**
     * Returns the files of a multipart body read through {@code pipeline}; a 400 names the field of a file the
     * pipeline cannot decode, or says that the model takes no files.
     */
    static RequestInputs multipart(
            Context ctx, String model, InputPipeline<?> pipeline, Path directory, long maxBytes) {
        List<Part> uploads;
        try {
            ctx.uploadedFileMap(); // parses the body under Javalin's multipart caps
            // the servlet's parts keep the body's order; Javalin's map (a HashMap) loses it between fields
            uploads = ctx.req().getParts().stream()
                    .filter(part -> part.getSubmittedFileName() != null)
                    .toList();
        } catch (Exception e) { // Jetty's ServletException is thrown undeclared
            throw unreadable(e, maxBytes);
        }
        if (uploads.isEmpty()) {
            throw new ApiException(400, "bad_input", "The multipart body holds no file", "inputs");
        }
        if (!(pipeline instanceof FileInput<?> reader)) {
            throw new ApiException(
                    400,
                    "bad_input",
                    "Model '" + model + "' takes no files: its input pipeline '" + pipeline.id()
                            + "' reads no file format; send JSON {\"inputs\": [...]}",
                    uploads.get(0).getName());
        }
        Map<String, Long> perField =
                uploads.stream().collect(Collectors.groupingBy(Part::getName, Collectors.counting()));
        Map<String, Integer> seen = new HashMap<>();
        RequestInputs request = new RequestInputs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try {
            for (Part upload : uploads) {
                String field = upload.getName();
                int k = seen.merge(field, 1, Integer::sum) - 1;
                String name = perField.get(field) == 1 ? field : field + "[" + k + "]";
                request.add(name, reader, copy(upload, directory));
            }
        } catch (RuntimeException e) {
            request.close();
            throw e;
        }
        return request;
    }

    /**
     * Returns the answer to a multipart body Jetty could not read: 413 when it stopped at the cap (a body sent without
     * Content-Length; Jetty 12.1 says "max length exceeded"), 400 naming the root cause otherwise.
     */
    private static ApiException unreadable(Exception failure, long maxBytes) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof IllegalStateException
                    && String.valueOf(t.getMessage()).contains("exceeded")) {
                return new ApiException(
                        413, "too_large", "The multipart body is over the cap of " + maxBytes + " bytes", null);
            }
        }
        return new ApiException(400, "bad_input", "The multipart body cannot be read: " + root.getMessage(), null);
    }

    private void add(String field, FileInput<?> reader, Path file) {
        files.add(file);
        try {
            inputs.add(reader.readFile(file));
        } catch (IllegalArgumentException e) {
            // the pipeline's message names the temporary file: name the request field instead
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ApiException(
                    400,
                    "undecodable_file",
                    field + " cannot be decoded: " + reason.replace(file.toString(), field),
                    field);
        }
        fields.add(field);
    }

    private static Path copy(Part upload, Path directory) {
        Path file = directory.resolve(UUID.randomUUID().toString());
        try (InputStream in = upload.getInputStream()) {
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store an upload in " + directory, e);
        }
    }

    /** Deletes the uploaded files. */
    @Override
    public void close() {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete the upload " + file, e);
            }
        }
    }
}
