package io.tl4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.awt.image.BufferedImage;

/**
 * A clip's log-mel spectrogram as the keyword encoder computes it ({@link KeywordEncoder#pipeline()}: 40 mel
 * bands, 40 ms windows every 20 ms) over the clip's own length, as a matrix for the log-mel baseline and as a
 * grey picture for the speech quick start's training report.
 */
final class LogMelSpectrogram {

    private LogMelSpectrogram() {}

    /**
     * Computes a clip's log-mel spectrogram.
     *
     * @param pipeline the pipeline whose features to compute
     * @param manager where the engine's arrays live while computing
     * @param clip the clip, resampled to the pipeline's rate
     * @return rows are bands, columns frames
     * @throws IllegalArgumentException naming a clip too short for two frames
     */
    static float[][] of(AudioPipeline pipeline, NDManager manager, Audio clip) {
        float[] samples = clip.resampledTo(pipeline.sampleRate()).samples();
        try (NDManager step = manager.newSubManager()) {
            NDArray wave = step.create(samples, new Shape(1, samples.length));
            NDArray mel = pipeline.features(wave);
            long bands = mel.getShape().get(1);
            long frames = mel.getShape().get(2);
            if (frames < 2) {
                throw new IllegalArgumentException("clip " + clip.source() + " has " + samples.length
                        + " samples: too short for a log-mel spectrogram (" + frames + " frame)");
            }
            float[] flat = mel.toFloatArray();
            float[][] logMel = new float[(int) bands][(int) frames];
            for (int b = 0; b < bands; b++) {
                System.arraycopy(flat, (int) (b * frames), logMel[b], 0, (int) frames);
            }
            return logMel;
        }
    }

    /**
     * Draws a clip's log-mel spectrogram (see {@link #picture}).
     *
     * @param clip the clip
     * @return the picture, a pixel per frame and band
     */
    static BufferedImage picture(Audio clip) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return picture(of(KeywordEncoder.pipeline(), manager, clip));
        }
    }

    /**
     * Draws a log-mel spectrogram as a grey picture: frames from left to right, the lowest band at the bottom, the
     * spectrogram's own range from black (quietest) to white (loudest).
     *
     * @param logMel rows are bands, columns frames
     * @return the picture, a pixel per frame and band
     */
    static BufferedImage picture(float[][] logMel) {
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (float[] band : logMel) {
            for (float v : band) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        float range = high > low ? high - low : 1;
        int bands = logMel.length;
        BufferedImage image = new BufferedImage(logMel[0].length, bands, BufferedImage.TYPE_BYTE_GRAY);
        for (int b = 0; b < bands; b++) {
            for (int f = 0; f < logMel[b].length; f++) {
                int level = Math.round((logMel[b][f] - low) / range * 255);
                image.getRaster().setSample(f, bands - 1 - b, 0, level);
            }
        }
        return image;
    }
}
