package io.tl4j.speech.wav2vec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A toy "language" for training tests: each character is a tone of its own pitch, 100 samples long,
 * characters separated by 40 samples of faint noise. Transcripts are 1 to 3 characters.
 */
final class ToySpeech {

    static final String ALPHABET = "abc";
    private static final double[] PITCH = {0.2, 0.55, 1.2};
    private static final int TONE = 100;
    private static final int GAP = 40;

    /** One utterance. */
    record Utterance(String text, float[] samples) {}

    private ToySpeech() {}

    /** The tiny layer-norm, pre-LN encoder the training tests use (no dropout). */
    static Wav2Vec2Config tinyConfig() {
        return Wav2Vec2Config.builder()
                .conv(new int[] {32, 32, 32}, new int[] {10, 3, 2}, new int[] {5, 2, 2})
                .hiddenSize(32)
                .numHiddenLayers(2)
                .numAttentionHeads(4)
                .intermediateSize(64)
                .numConvPosEmbeddings(16)
                .numConvPosEmbeddingGroups(4)
                .allDropouts(0f)
                .featExtractNorm(Wav2Vec2Config.FeatureNorm.LAYER)
                .doStableLayerNorm(true)
                .build();
    }

    static List<Utterance> utterances(int count, long seed) {
        Random random = new Random(seed);
        List<Utterance> list = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            int length = 1 + random.nextInt(3);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            list.add(new Utterance(text.toString(), speak(text.toString(), random)));
        }
        return list;
    }

    /**
     * Single "words" of random duration (60 to 140 samples of tone), for classification.
     *
     * @param count how many
     * @param seed the random seed
     * @return utterances whose text is one character
     */
    static List<Utterance> words(int count, long seed) {
        Random random = new Random(seed);
        List<Utterance> list = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            String text = String.valueOf(ALPHABET.charAt(n % ALPHABET.length()));
            list.add(new Utterance(text, speak(text, 60 + random.nextInt(81), random)));
        }
        return list;
    }

    static float[] speak(String text, Random random) {
        return speak(text, TONE, random);
    }

    static float[] speak(String text, int tone, Random random) {
        int total = GAP + text.length() * (tone + GAP);
        float[] samples = new float[total];
        for (int i = 0; i < total; i++) {
            samples[i] = (float) (0.02 * random.nextGaussian());
        }
        double phase = random.nextDouble() * Math.PI;
        for (int c = 0; c < text.length(); c++) {
            double pitch = PITCH[ALPHABET.indexOf(text.charAt(c))] * (0.95 + 0.1 * random.nextDouble());
            int start = GAP + c * (tone + GAP);
            for (int i = 0; i < tone; i++) {
                samples[start + i] += (float) (0.5 * Math.sin(pitch * i + phase));
            }
        }
        return samples;
    }

    static int maxSamples() {
        return GAP + 3 * (TONE + GAP);
    }
}
