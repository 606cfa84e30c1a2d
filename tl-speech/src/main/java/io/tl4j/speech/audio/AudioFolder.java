package io.tl4j.speech.audio;

import io.tl4j.core.data.LabeledData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled audio data set on disk: one subfolder per class, named after it, holding that class's
 * WAV files ({@code root/yes/clip1.wav}, {@code root/no/clip7.wav}, ...). Classes are the sorted
 * subfolder names; files are read in sorted order, each within the folder's {@link AudioLimits}
 * (the defaults unless {@link #withLimits} says otherwise).
 *
 * <p>Hidden entries, those whose name starts with a dot ({@code .ipynb_checkpoints}, {@code
 * .DS_Store}, {@code ._clip.wav}), are ignored at both levels: a hidden folder is never a class and
 * a hidden file never a clip. Their number is logged. Files whose name does not end in {@code .wav}
 * (any case) are ignored too.
 *
 * <pre>{@code
 * LabeledData<Audio> data = AudioFolder.at(Path.of("keywords")).load();
 * }</pre>
 */
public final class AudioFolder {

    private static final Logger LOG = LoggerFactory.getLogger(AudioFolder.class);

    private final Path root;
    private final AudioLimits limits;

    private AudioFolder(Path root, AudioLimits limits) {
        this.root = root;
        this.limits = limits;
    }

    /**
     * Creates an audio folder reader within the default {@link AudioLimits}; nothing is read yet.
     *
     * @param root the folder holding one subfolder per class
     * @return the audio folder, reading within the default {@link AudioLimits} (nothing is read yet)
     */
    public static AudioFolder at(Path root) {
        return new AudioFolder(root, AudioLimits.defaults());
    }

    /**
     * Returns this folder, reading within other limits.
     *
     * @param limits the sample rates and durations accepted, e.g. {@code
     *     AudioLimits.defaults().withMaxSeconds(3600)} for hour-long recordings
     * @return this folder, reading within those limits
     */
    public AudioFolder withLimits(AudioLimits limits) {
        return new AudioFolder(root, Objects.requireNonNull(limits, "limits"));
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
     * Reads every WAV file, skipping (and logging) those that cannot be decoded or read.
     *
     * @return the recordings and the skipped files with the reason for each
     */
    public Loaded loadSkippingUnreadable() {
        Loaded loaded = read(true);
        if (!loaded.skipped().isEmpty()) {
            LOG.warn(
                    "Skipped {} unreadable file(s) under {}: {}",
                    loaded.skipped().size(),
                    root,
                    loaded.skipped());
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
        List<Path> hidden = new ArrayList<>();
        List<Path> classDirs =
                visible(list(root), hidden).stream().filter(Files::isDirectory).collect(Collectors.toList());
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("Audio folder " + root
                    + " has no class subfolders (hidden ones, named with a leading dot, are ignored)");
        }
        List<Audio> inputs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path classDir : classDirs) {
            String label = classDir.getFileName().toString();
            List<Path> files = visible(list(classDir), hidden).stream()
                    .filter(p ->
                            p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .collect(Collectors.toList());
            if (files.isEmpty()) {
                throw new IllegalArgumentException("Class folder " + classDir
                        + " has no .wav files (hidden ones, named with a leading dot, are ignored)");
            }
            for (Path file : files) {
                try {
                    inputs.add(Wav.read(file, limits));
                    labels.add(label);
                } catch (AudioFormatException | UncheckedIOException e) {
                    if (!skipUnreadable) {
                        throw e;
                    }
                    skipped.add(e.getMessage());
                }
            }
        }
        if (!hidden.isEmpty()) {
            LOG.info(
                    "Ignored {} hidden entr{} under {}: {}",
                    hidden.size(),
                    hidden.size() == 1 ? "y" : "ies",
                    root,
                    hidden.stream().map(p -> root.relativize(p).toString()).collect(Collectors.toList()));
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("No readable WAV file under " + root + "; skipped: " + skipped);
        }
        return new Loaded(LabeledData.ofNamedLabels(inputs, labels), List.copyOf(skipped));
    }

    /** Returns the entries whose name does not start with a dot, adding the others to {@code hidden}. */
    private static List<Path> visible(List<Path> entries, List<Path> hidden) {
        List<Path> visible = new ArrayList<>();
        for (Path entry : entries) {
            (entry.getFileName().toString().startsWith(".") ? hidden : visible).add(entry);
        }
        return visible;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
