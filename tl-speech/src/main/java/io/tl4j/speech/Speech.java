package io.tl4j.speech;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.nio.file.Path;

/**
 * The front door of tl-speech: read recordings, load a folder of labelled clips, get the pretrained
 * keyword encoder.
 *
 * <pre>{@code
 * LabeledData<Audio> data = Speech.audioFolder(Path.of("my-words"));       // my-words/<word>/*.wav
 * TransferModel<Audio> model = TransferLearner.from(Speech.keywordEncoder())
 *         .freezeAll().epochs(30).fit(data);
 * model.classify(Speech.read(Path.of("clip.wav")));
 * }</pre>
 */
public final class Speech {

    private Speech() {}

    /**
     * Reads a WAV file within the default {@link io.tl4j.speech.audio.AudioLimits} (1,000..384,000 Hz, ten
     * minutes); {@link Wav#read(Path, io.tl4j.speech.audio.AudioLimits)} takes others.
     *
     * @param wav a WAV file (PCM 8/16/24/32-bit or float, any channel count)
     * @return its samples, mixed down to mono, at the file's sample rate
     */
    public static Audio read(Path wav) {
        return Wav.read(wav);
    }

    /**
     * Loads a folder of labelled clips, ignoring hidden entries (names starting with a dot), see {@link
     * AudioFolder}.
     *
     * @param root a folder with one subfolder of WAV files per class
     * @return the labelled recordings
     */
    public static LabeledData<Audio> audioFolder(Path root) {
        return AudioFolder.at(root).load();
    }

    /** Returns the pretrained keyword encoder tl4j ships, with its plain input pipeline. */
    public static Backbone<Audio> keywordEncoder() {
        return KeywordEncoder.pretrained();
    }

    /** Returns a builder of audio input pipelines (log-mel or MFCC, crop/pad, SpecAugment). */
    public static AudioPipeline.Builder pipeline() {
        return AudioPipeline.builder();
    }
}
