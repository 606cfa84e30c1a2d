package io.tl4j.speech.audio;

import io.tl4j.core.data.LabeledData;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A labelled audio data set on disk: one subfolder per class, named after it, holding that class's
 * WAV files ({@code root/yes/clip1.wav}, {@code root/no/clip7.wav}, ...). Classes are the sorted
 * subfolder names; files are read in sorted order.
 *
 * <pre>{@code
 * LabeledData<Audio> data = AudioFolder.at(Path.of("keywords")).load();
 * }</pre>
 */
public final class AudioFolder {

    private static final Logger LOG = LoggerFactory.getLogger(AudioFolder.class);

    private final Path root;

    private AudioFolder(Path root) {
        this.root = root;
    }

    /**
     * @param root the folder holding one subfolder per class
     * @return the audio folder (nothing is read yet)
     */
    public static AudioFolder at(Path root) {
        return new AudioFolder(root);
    }

    /**
     * Reads every WAV file; any file that cannot be decoded fails the whole load.
     *
     * @return the recordings, labelled by their subfolder
     * @throws AudioFormatException naming the first unreadable file
     * @throws IllegalArgumentException when the folder has no class subfolders or a class has no WAV file
     */
    public LabeledData<Audio> load() {
        return read(false).data();
    }

    /**
     * Reads every WAV file, skipping (and logging) those that cannot be decoded.
     *
     * @return the recordings and the skipped files with the reason for each
     */
    public Loaded loadSkippingUnreadable() {
        Loaded loaded = read(true);
        if (!loaded.skipped().isEmpty()) {
            LOG.warn("Skipped {} unreadable file(s) under {}: {}", loaded.skipped().size(), root, loaded.skipped());
        }
        return loaded;
    }

    /**
     * The result of {@link #loadSkippingUnreadable()}.
     *
     * @param data the recordings that could be read
     * @param skipped one line per skipped file: the file and why
     */
    public record Loaded(LabeledData<Audio> data, List<String> skipped) {}

    private Loaded read(boolean skipUnreadable) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("Audio folder " + root + " does not exist or is not a directory");
        }
        List<Path> classDirs = list(root).stream().filter(Files::isDirectory).collect(Collectors.toList());
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("Audio folder " + root + " has no class subfolders");
        }
        List<Audio> inputs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path classDir : classDirs) {
            String label = classDir.getFileName().toString();
            List<Path> files = list(classDir).stream()
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .collect(Collectors.toList());
            if (files.isEmpty()) {
                throw new IllegalArgumentException("Class folder " + classDir + " has no .wav files");
            }
            for (Path file : files) {
                try {
                    inputs.add(Wav.read(file));
                    labels.add(label);
                } catch (AudioFormatException e) {
                    if (!skipUnreadable) {
                        throw e;
                    }
                    skipped.add(e.getMessage());
                }
            }
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("No readable WAV file under " + root + "; skipped: " + skipped);
        }
        return new Loaded(LabeledData.ofNamedLabels(inputs, labels), List.copyOf(skipped));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
