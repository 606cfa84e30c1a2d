package io.tl4j.examples.catalog;

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
 * Lists the keyword encoders tl4j pretrained itself, all the same 4-block CNN on 40-band log-mel,
 * made by {@link io.tl4j.examples.SpeechPretrain} on the synthesized 40-word corpus: the one
 * tl-speech ships (4 epochs on 5,400 clips) and two variants with less pretraining, kept as
 * resources of this package (385 KB each) with their training cards. Recipes, after {@code
 * synthesize_keywords.py --corpus source --out /tmp/tl4j-keywords}:
 *
 * <pre>
 * java -Dtl4j.epochs=1 ... SpeechPretrain /tmp/tl4j-keywords/source .../catalog/keyword-encoder-1-epoch
 * java -Dtl4j.epochs=2 -Dtl4j.perWord=40 ... SpeechPretrain /tmp/tl4j-keywords/source .../catalog/keyword-encoder-40-per-word
 * </pre>
 */
public enum SpeechBackbones {
    /** The encoder tl-speech ships: 4 epochs on 5,400 clips. */
    SHIPPED("keyword encoder", null),
    /** The same recipe stopped after 1 epoch. */
    ONE_EPOCH("keyword encoder, 1 epoch", "keyword-encoder-1-epoch"),
    /** The same recipe on 40 clips per word (1,440 clips), 2 epochs. */
    FORTY_PER_WORD("keyword encoder, 40 clips/word", "keyword-encoder-40-per-word");

    private final String displayName;
    private final String resourceDirectory;

    SpeechBackbones(String displayName, String resourceDirectory) {
        this.displayName = displayName;
        this.resourceDirectory = resourceDirectory;
    }

    /** Returns the name shown in reports. */
    public String displayName() {
        return displayName;
    }

    /** Returns where the weights come from: source, sha256, licence and the training run. */
    public Provenance provenance() {
        if (resourceDirectory == null) {
            return KeywordEncoder.provenance();
        }
        try (InputStream in = resource("keyword-encoder.json")) {
            JsonObject card = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return new Provenance(
                    card.get("source").getAsString(),
                    card.get("sha256").getAsString(),
                    card.get("licence").getAsString(),
                    card.get("note").getAsString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the card of " + displayName, e);
        }
    }

    /**
     * Loads the encoder with a given input pipeline.
     *
     * @param pipeline the input pipeline (with augmentation, say); its sample shape must be {@link
     *     KeywordEncoder#pipeline()}'s
     * @return the backbone; close it when done
     */
    public Backbone<Audio> backbone(AudioPipeline pipeline) {
        if (resourceDirectory == null) {
            return KeywordEncoder.pretrained(pipeline);
        }
        Path file = null;
        try (InputStream in = resource("keyword-encoder.safetensors")) {
            file = Files.createTempFile("tl4j-" + resourceDirectory, ".safetensors");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            Provenance provenance = provenance();
            return Backbone.<Audio>builder()
                    .setArchitecture(KeywordEncoder.architecture())
                    .setPipeline(pipeline)
                    .optWeights(file, provenance.licence())
                    .optProvenance(provenance)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the weights of " + displayName, e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    private InputStream resource(String name) {
        String path = resourceDirectory + "/" + name;
        InputStream in = SpeechBackbones.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(
                    "Resource " + path + " is missing from the examples jar (io/tl4j/examples/catalog/)");
        }
        return in;
    }
}
