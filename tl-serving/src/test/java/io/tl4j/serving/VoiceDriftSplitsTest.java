package io.tl4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Why a speech profile of 90 clips false-alarms at the fixed thresholds, measured on the keyword model of {@link
 * VoiceDriftServingTest} without the server: the model's probabilities and head features of the 180 held-out espeak
 * clips and the 100 flite clips are computed once, then the held-out clips are split {@value #SPLITS} times at random
 * (half of each word profiles the model, the other half is the traffic), and each split's monitor gets 5,000 espeak
 * observations drawn with replacement and then flite ones. Counted per split: alerts (rising edges) as the monitor
 * was before its small-profile rule (PSI 0.2 over 10 confidence deciles, feature shift 0.25) and with it (for 90
 * examples: 2 confidence bins, class PSI 0.245, feature shift 0.377), for a window of 500 and of 2,000. Asserted at
 * 500: more than half the splits false-alarm before, none with the rule, and every split alerts on flite within 400
 * observations.
 */
class VoiceDriftSplitsTest {

    private static final int SPLITS = 50;
    private static final int IN_DISTRIBUTION = 5000;
    private static final int EVERY = DriftMonitor.DEFAULT_EVALUATE_EVERY;

    /** The probabilities and head features of a set of clips. */
    private record Rows(float[][] probabilities, float[][] features) {}

    /**
     * One split: its false alarms (by statistic: class PSI, confidence PSI, feature shift) and the flite observations
     * until the first alert (-1: none within two windows).
     */
    private record Run(int[] falseAlarmsBy, int detectedAfter) {

        int falseAlarms() {
            return falseAlarmsBy[0] + falseAlarmsBy[1] + falseAlarmsBy[2];
        }
    }

    @Test
    void aNinetyClipProfileFalseAlarmsAtTheFixedThresholdsAndNotWithTheSmallProfileRule() {
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> train = AudioFolder.at(words.train()).load();
        LabeledData<Audio> heldOut = AudioFolder.at(words.heldOutVoices()).load();
        LabeledData<Audio> flite = AudioFolder.at(words.flite()).load();
        Rows espeak;
        Rows shifted;
        try (TransferModel<Audio> model = KeywordEncoder.newWordsLearner().fit(train);
                FrozenFeatures<Audio> encoder = FrozenFeatures.of(KeywordEncoder.pretrained(), 1)) {
            espeak = new Rows(model.probabilities(heldOut.inputs()), encoder.extract(heldOut));
            shifted = new Rows(model.probabilities(flite.inputs()), encoder.extract(flite));
            // the rows are what the model's own profile reads: same statistics on the same traffic
            int[] half = range(0, 90);
            DriftMonitor own =
                    new DriftMonitor(model.profile(heldOut.subset(half).inputs()), 500, EVERY, 0.2, 0.25);
            DriftMonitor mine = new DriftMonitor(profile(espeak, half), 500, EVERY, 0.2, 0.25);
            List<Audio> repeated = new ArrayList<>();
            for (int repeat = 0; repeat < 6; repeat++) {
                repeated.addAll(heldOut.subset(range(90, 180)).inputs());
                for (int i = 90; i < 180; i++) {
                    mine.observe(espeak.probabilities()[i], espeak.features()[i]);
                }
            }
            model.probabilities(repeated, own);
            assertThat(mine.status().confidencePsi()).isCloseTo(own.status().confidencePsi(), within(1e-3));
            assertThat(mine.status().featureShift()).isCloseTo(own.status().featureShift(), within(1e-3));
        }
        System.out.println("| window | thresholds | splits with a false alarm | false alarms (class / confidence /"
                + " features) | flite: median / max observations to the alert | splits without an alert on flite |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int window : new int[] {500, 2000}) {
            for (boolean fixed : new boolean[] {true, false}) {
                List<Run> runs = new ArrayList<>();
                for (int s = 0; s < SPLITS; s++) {
                    runs.add(run(espeak, shifted, heldOut.labels(), window, fixed, s));
                }
                print(window, fixed, runs);
                if (window == DriftMonitor.DEFAULT_WINDOW) {
                    long falseAlarmed =
                            runs.stream().filter(r -> r.falseAlarms() > 0).count();
                    if (fixed) {
                        assertThat(falseAlarmed)
                                .as("splits false-alarming at 0.2 on 10 bins")
                                .isGreaterThan(SPLITS / 2);
                    } else {
                        assertThat(falseAlarmed)
                                .as("splits false-alarming with the noise rule")
                                .isZero();
                        assertThat(runs)
                                .as("flite observations to the alert")
                                .allSatisfy(r -> assertThat(r.detectedAfter()).isBetween(1, 400));
                    }
                }
            }
        }
    }

    private static Run run(Rows espeak, Rows flite, int[] labels, int window, boolean fixed, long seed) {
        Random random = new Random(seed);
        List<Integer> profiled = new ArrayList<>();
        List<Integer> traffic = new ArrayList<>();
        for (int word = 0; word < 5; word++) {
            List<Integer> clips = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == word) {
                    clips.add(i);
                }
            }
            Collections.shuffle(clips, random);
            profiled.addAll(clips.subList(0, clips.size() / 2));
            traffic.addAll(clips.subList(clips.size() / 2, clips.size()));
        }
        ReferenceProfile profile =
                profile(espeak, profiled.stream().mapToInt(Integer::intValue).toArray());
        // fixed: thresholds of 1 keep the 10 decile bins, and the rising edges are counted at 0.2 and 0.25 here
        DriftMonitor monitor = fixed
                ? new DriftMonitor(profile, window, EVERY, 1, 1)
                : new DriftMonitor(
                        profile,
                        window,
                        EVERY,
                        DriftMonitor.DEFAULT_PSI_THRESHOLD,
                        DriftMonitor.DEFAULT_FEATURE_THRESHOLD);
        DriftMonitor.Thresholds t = fixed
                ? new DriftMonitor.Thresholds(
                        DriftMonitor.DEFAULT_PSI_THRESHOLD,
                        DriftMonitor.DEFAULT_PSI_THRESHOLD,
                        DriftMonitor.DEFAULT_FEATURE_THRESHOLD,
                        ReferenceProfile.CONFIDENCE_BINS)
                : monitor.thresholds();
        boolean[] above = new boolean[3];
        int[] alarms = new int[3];
        for (int i = 1; i <= IN_DISTRIBUTION; i++) {
            int clip = traffic.get(random.nextInt(traffic.size()));
            monitor.observe(espeak.probabilities()[clip], espeak.features()[clip]);
            if (i >= window && (i - window) % EVERY == 0) {
                risen(monitor.status(), t, above, alarms);
            }
        }
        int[] detections = new int[3];
        for (int i = 1; i <= 2 * window; i++) {
            int clip = random.nextInt(flite.probabilities().length);
            monitor.observe(flite.probabilities()[clip], flite.features()[clip]);
            if (i % EVERY == 0 && risen(monitor.status(), t, above, detections) > 0) {
                return new Run(alarms, i);
            }
        }
        return new Run(alarms, -1);
    }

    /**
     * Counts the statistics that went from below their threshold to above it (into {@code counts}, by statistic), and
     * remembers where each is.
     */
    private static int risen(
            DriftMonitor.DriftStatus status, DriftMonitor.Thresholds t, boolean[] above, int[] counts) {
        double[] values = {status.classPsi(), status.confidencePsi(), status.featureShift()};
        double[] limits = {t.classPsi(), t.confidencePsi(), t.featureShift()};
        int risen = 0;
        for (int k = 0; k < 3; k++) {
            boolean now = values[k] > limits[k];
            if (now && !above[k]) {
                risen++;
                counts[k]++;
            }
            above[k] = now;
        }
        return risen;
    }

    private static ReferenceProfile profile(Rows rows, int[] indices) {
        float[][] p = new float[indices.length][];
        float[][] f = new float[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            p[i] = rows.probabilities()[indices[i]];
            f[i] = rows.features()[indices[i]];
        }
        return ReferenceProfile.of(p, f);
    }

    private static void print(int window, boolean fixed, List<Run> runs) {
        long falseAlarmed = runs.stream().filter(r -> r.falseAlarms() > 0).count();
        int[] by = new int[3];
        for (Run r : runs) {
            for (int k = 0; k < 3; k++) {
                by[k] += r.falseAlarmsBy()[k];
            }
        }
        int[] detected = runs.stream()
                .mapToInt(Run::detectedAfter)
                .filter(d -> d > 0)
                .sorted()
                .toArray();
        System.out.printf(
                Locale.ROOT,
                "| %d | %s | %d of %d | %d / %d / %d | %s | %d |%n",
                window,
                fixed ? "fixed (0.2, 0.25, 10 bins)" : "noise rule",
                falseAlarmed,
                runs.size(),
                by[0],
                by[1],
                by[2],
                detected.length == 0 ? "-" : detected[detected.length / 2] + " / " + detected[detected.length - 1],
                runs.size() - detected.length);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
