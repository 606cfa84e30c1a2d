package io.tl4j.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads the meta-trained keyword encoder: {@link KeywordEncoder}'s architecture with the weights
 * {@link SpeechMetaPretrain} wrote, kept as resources of this package ({@code
 * keyword-encoder-meta/}, with their training card), or read from another directory that recipe
 * wrote.
 */
final class SpeechMetaEncoder {

    /** The resource directory of the committed weights and card. */
    static final String RESOURCES = "keyword-encoder-meta";

    private SpeechMetaEncoder() {}

    /**
     * Loads the committed meta-trained encoder, or the one in the directory named by the system
     * property {@code tl4j.metaEncoder} when it is set.
     *
     * @param pipeline the input pipeline; its sample shape must be {@link KeywordEncoder#pipeline()}'s
     * @return the backbone; close it when done
     */
    static Backbone<Audio> load(AudioPipeline pipeline) {
        String directory = System.getProperty("tl4j.metaEncoder");
        try (InputStream weights = open(directory, "keyword-encoder.safetensors");
                InputStream card = open(directory, "keyword-encoder.json")) {
            JsonObject json = JsonParser.parseString(new String(card.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            Provenance provenance = new Provenance(
                    json.get("source").getAsString(),
                    json.get("sha256").getAsString(),
                    json.get("licence").getAsString(),
                    json.get("note").getAsString());
            Path file = Files.createTempFile("tl4j-keyword-encoder-meta", ".safetensors");
            try {
                Files.copy(weights, file, StandardCopyOption.REPLACE_EXISTING);
                return Backbone.<Audio>builder()
                        .setArchitecture(KeywordEncoder.architecture())
                        .setPipeline(pipeline)
                        .optWeights(file, provenance.licence())
                        .optProvenance(provenance)
                        .build();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the meta-trained keyword encoder", e);
        }
    }

    private static InputStream open(String directory, String name) throws IOException {
        if (directory != null) {
            return Files.newInputStream(Path.of(directory, name));
        }
        InputStream in = SpeechMetaEncoder.class.getResourceAsStream(RESOURCES + "/" + name);
        if (in == null) {
            throw new IllegalStateException("Resource " + RESOURCES + "/" + name
                    + " is missing from the examples jar (io/tl4j/examples/); make it with SpeechMetaPretrain");
        }
        return in;
    }
}
