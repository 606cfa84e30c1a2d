package io.tl4j.speech.keyword;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.tl4j.core.Architecture;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.TransferLearner;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.features.MelSpectrogram;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A compact convolutional keyword encoder for 1 s clips at 16 kHz seen as a 40-band log-mel
 * spectrogram with 40 ms windows every 20 ms (1 x 40 x 51): four blocks of 3x3 convolution,
 * BatchNorm, ReLU and 2x2 max pooling ({@code block1}..{@code block4}, 16, 32, 64 and 128
 * channels), then {@code pool}, a global average over time and frequency: a 128-feature embedding,
 * about 98k parameters.
 *
 * <p>{@link #pretrained()} carries the weights tl4j ships: trained by {@code
 * io.tl4j.examples.SpeechPretrain} on 40 English words synthesized by espeak-ng with many voices,
 * accents, speeds, pitches and noise ({@code tl-speech/scripts/synthesize_keywords.py}); see {@link
 * #provenance()} and {@code tl-speech/README.md}.
 *
 * <pre>{@code
 * Backbone<Audio> encoder = KeywordEncoder.pretrained();
 * TransferModel<Audio> model = TransferLearner.from(encoder).freezeUntil("block4").fit(myWords);
 * }</pre>
 */
public final class KeywordEncoder {

    /** The channels of the four convolution blocks. */
    static final int[] CHANNELS = {16, 32, 64, 128};

    /** Resource holding the shipped weights. */
    static final String WEIGHTS = "keyword-encoder.safetensors";
    /** Resource holding the shipped weights' provenance and training record. */
    static final String CARD = "keyword-encoder.json";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private KeywordEncoder() {}

    /** Returns the encoder's architecture (tl-core's {@link Architectures#convNet} with this encoder's widths). */
    public static Architecture architecture() {
        return Architectures.convNet(CHANNELS);
    }

    /** Returns the input pipeline the encoder was trained with, without augmentation. */
    public static AudioPipeline pipeline() {
        return AudioPipeline.builder()
                .optMelSpectrogram(MelSpectrogram.builder()
                        .optFftSize(640)
                        .optHopLength(320)
                        .optMels(40)
                        .build())
                .build();
    }

    /**
     * Builds a randomly initialised encoder, for training from scratch.
     *
     * @param pipeline the input pipeline; its sample shape must be (1, 40, 51) to use the shipped weights
     * @return a randomly initialised encoder (for training from scratch)
     */
    public static Backbone<Audio> untrained(AudioPipeline pipeline) {
        return Backbone.<Audio>builder()
                .setArchitecture(architecture())
                .setPipeline(pipeline)
                .build();
    }

    /** Loads the encoder with the shipped pretrained weights and the plain {@link #pipeline()}. */
    public static Backbone<Audio> pretrained() {
        return pretrained(pipeline());
    }

    /**
     * Returns a learner for new words: a linear head on the frozen {@link #pretrained()} encoder (feature
     * extraction), learning rate 0.01, batch 16, 20 epochs, seed 1, no progress bar. It fits 100 clips in about a
     * second, and tl4j's keyword serving, Spark and drift examples use it; change any setting as on any learner.
     *
     * <pre>{@code
     * TransferModel<Audio> model = KeywordEncoder.newWordsLearner().fit(AudioFolder.at(myWords).load());
     * }</pre>
     *
     * @return the learner
     */
    public static TransferLearner<Audio> newWordsLearner() {
        return TransferLearner.from(pretrained())
                .freezeAll()
                .learningRate(1e-2f)
                .batchSize(16)
                .epochs(20)
                .seed(1)
                .progressBar(false);
    }

    /**
     * Loads the encoder with the shipped pretrained weights and another input pipeline.
     *
     * @param pipeline the input pipeline to use (with augmentation, say); its sample shape must be
     *     the shipped one, (1, 40, 51)
     * @return the encoder with the shipped pretrained weights
     * @throws IllegalArgumentException when the pipeline's sample shape differs
     */
    public static Backbone<Audio> pretrained(AudioPipeline pipeline) {
        if (!pipeline.sampleShape().equals(pipeline().sampleShape())) {
            throw new IllegalArgumentException("The pretrained keyword encoder takes "
                    + pipeline().sampleShape() + " (1 s, 40-band log-mel at 16 kHz, 20 ms hop); the pipeline gives "
                    + pipeline.sampleShape());
        }
        Path file = extract(WEIGHTS);
        try {
            Provenance provenance = provenance();
            return Backbone.<Audio>builder()
                    .setArchitecture(architecture())
                    .setPipeline(pipeline)
                    .optWeights(file, provenance.licence())
                    .optProvenance(provenance)
                    .build();
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                file.toFile().deleteOnExit();
            }
        }
    }

    /** Returns where the shipped weights come from: source, sha256, licence and a note on the training run. */
    public static Provenance provenance() {
        JsonObject card = card();
        return new Provenance(
                card.get("source").getAsString(),
                card.get("sha256").getAsString(),
                card.get("licence").getAsString(),
                card.get("note").getAsString());
    }

    /** Returns the shipped weights' card: provenance plus the training record (corpus, epochs, accuracy). */
    public static JsonObject card() {
        try (InputStream in = resource(CARD)) {
            return GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), JsonObject.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the keyword encoder card " + CARD, e);
        }
    }

    /**
     * Writes a trained encoder in the shipped format: {@code keyword-encoder.safetensors} and {@code
     * keyword-encoder.json} (the given record plus the weights' sha256).
     *
     * @param encoder the trained encoder
     * @param directory where to write the two files
     * @param record provenance fields: at least source, licence and note; any training details
     * @return the weights file
     */
    public static Path save(Backbone<Audio> encoder, Path directory, Map<String, Object> record) {
        try {
            Files.createDirectories(directory);
            Path weights = directory.resolve(WEIGHTS);
            encoder.saveWeights(weights);
            JsonObject card = GSON.toJsonTree(record).getAsJsonObject();
            card.addProperty("sha256", Provenance.sha256(weights));
            Files.writeString(directory.resolve(CARD), GSON.toJson(card) + "\n");
            return weights;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the keyword encoder to " + directory, e);
        }
    }

    private static Path extract(String name) {
        try (InputStream in = resource(name)) {
            Path file = Files.createTempFile("tl4j-keyword-encoder", ".safetensors");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the keyword encoder weights " + name, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = KeywordEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(
                    "Resource " + name + " is missing from tl-speech's jar (io/tl4j/speech/keyword/)");
        }
        return in;
    }
}
