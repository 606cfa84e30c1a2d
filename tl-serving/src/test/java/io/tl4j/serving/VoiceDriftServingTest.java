package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.gauge;
import static io.tl4j.serving.ServingFixtures.postFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.serving.ServingFixtures.Part;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speech shift through the server: tl-speech's keyword encoder (frozen) and a linear head learn five words from
 * the 100 espeak training clips, validated on the 18 held-out espeak voices' first pass over the words (90 clips,
 * {@code AdaptationWords.heldOutPass(0)}), so the saved model carries a fit-time profile of 90 examples with its 128
 * head features; it is served (no batch wait, one client: requests reach the monitor in the order sent), and WAV
 * uploads, one clip per request, come first from the voices' second pass (the other 90 clips: same voices, other
 * speed, pitch and dialect), drawn at random with replacement, then from the 100 flite clips, an unseen synthesizer
 * and accent, in steps of 50 requests (the monitor's evaluation interval) until the first alert.
 *
 * <p>What resampling from 90 clips means: the in-distribution requests repeat 90 recordings, so they are not that
 * many independent draws of espeak speech: the window differs from the profile by the sampling noise of both 90-clip
 * sets (which no number of requests averages away), about twice what live traffic would show against a 90-example
 * profile. Over a profile of 90 examples the monitor compares the confidence in 2 bins (above or below the profile's
 * median) and raises the class PSI threshold to 0.245 and the feature shift's to 0.377 (see {@code DriftMonitor}).
 */
class VoiceDriftServingTest {

    private static final String MODEL = "keywords";
    private static final int FLITE_PER_WORD = 20;

    /**
     * Flite requests within which the alert must come: 400, the most {@code VoiceDriftSplitsTest} measured over 50
     * random profile/traffic splits of the held-out clips (median 350).
     */
    private static final int DETECTED_WITHIN = 400;

    @TempDir
    Path dir;

    @Test
    void quietOverAThousandEspeakRequestsThenAlertsOnTheFliteVoices() {
        check(run(1000));
    }

    @Test
    @Tag("slow")
    void quietOverFiveThousandEspeakRequestsThenAlertsOnTheFliteVoices() {
        check(run(5000));
    }

    private static void check(Outcome outcome) {
        assertThat(outcome.falseAlarms())
                .as("alerts over %d espeak requests", outcome.inDistribution())
                .isZero();
        DriftMonitor.Thresholds t = outcome.thresholds();
        assertThat(outcome.quiet()).as("last espeak window").satisfies(q -> {
            assertThat(q[0]).isLessThan(t.classPsi());
            assertThat(q[1]).isLessThan(t.confidencePsi());
            assertThat(q[2]).isLessThan(t.featureShift());
        });
        assertThat(outcome.detectedAfter())
                .as("flite requests before the alert (-1: none)")
                .isBetween(1, DETECTED_WITHIN);
        double[] s = outcome.shifted();
        assertThat(s[0] > t.classPsi() || s[1] > t.confidencePsi() || s[2] > t.featureShift())
                .as("a statistic over its threshold on flite voices")
                .isTrue();
    }

    /**
     * What one run saw: the served monitor's thresholds, the alerts over the espeak requests, the flite requests
     * until the first alert after them (-1: none within a window), and the gauges (class PSI, confidence PSI,
     * feature shift) after each phase.
     */
    private record Outcome(
            DriftMonitor.Thresholds thresholds,
            int inDistribution,
            int falseAlarms,
            int detectedAfter,
            double[] quiet,
            double[] shifted) {}

    private Outcome run(int inDistribution) {
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> train = AudioFolder.at(words.train()).load();
        List<Path> profiled = words.heldOutPass(0);
        List<Path> espeak = words.heldOutPass(1);
        Path modelDir = dir.resolve(MODEL);
        DriftMonitor.Thresholds thresholds;
        try (TransferModel<Audio> model = KeywordEncoder.newWordsLearner()
                .validationData(labelled(profiled, train.classNames()))
                .fit(train)) {
            ReferenceProfile profile = model.referenceProfile().orElseThrow();
            assertThat(profile.examples()).isEqualTo(profiled.size());
            assertThat(profile.featureSize()).isEqualTo(128);
            thresholds = new DriftMonitor(profile).thresholds();
            model.save(modelDir);
        }
        List<byte[]> flite = bytes(AdaptationWords.firstClips(words.flite(), FLITE_PER_WORD));
        // one client, no batch wait: requests reach the monitor in the order drawn
        try (ModelServer server = ModelServer.builder()
                .model(MODEL, modelDir)
                .port(0)
                .maxWaitMillis(0)
                .build()
                .start()) {
            assertThat(new double[] {
                        threshold(server, "class_psi"),
                        threshold(server, "confidence_psi"),
                        threshold(server, "feature_shift")
                    })
                    .as("the served thresholds")
                    .containsExactly(
                            new double[] {thresholds.classPsi(), thresholds.confidencePsi(), thresholds.featureShift()},
                            within(1e-9));
            Random random = new Random(2);
            send(server, bytes(espeak), inDistribution, random);
            double[] quiet = statistics(server);
            int falseAlarms = (int) gauge(server, MODEL, "tl4j_drift_alerts");
            int sent = 0;
            while (sent < DriftMonitor.DEFAULT_WINDOW && gauge(server, MODEL, "tl4j_drift_alerts") <= falseAlarms) {
                send(server, flite, DriftMonitor.DEFAULT_EVALUATE_EVERY, random);
                sent += DriftMonitor.DEFAULT_EVALUATE_EVERY;
            }
            int detectedAfter = gauge(server, MODEL, "tl4j_drift_alerts") > falseAlarms ? sent : -1;
            double[] shifted = statistics(server);
            System.out.printf(
                    Locale.ROOT,
                    "served speech drift (thresholds %s): %d espeak requests, %d alerts, last window class PSI %.3f,"
                            + " confidence PSI %.3f, feature shift %.3f; flite: alert after %d requests, class PSI"
                            + " %.3f, confidence PSI %.3f, feature shift %.3f%n",
                    thresholds,
                    inDistribution,
                    falseAlarms,
                    quiet[0],
                    quiet[1],
                    quiet[2],
                    detectedAfter,
                    shifted[0],
                    shifted[1],
                    shifted[2]);
            return new Outcome(thresholds, inDistribution, falseAlarms, detectedAfter, quiet, shifted);
        }
    }

    /** Posts {@code count} clips drawn at random with replacement, one multipart upload each, each answered 200. */
    private static void send(ModelServer server, List<byte[]> clips, int count, Random random) {
        for (int r = 0; r < count; r++) {
            byte[] clip = clips.get(random.nextInt(clips.size()));
            HttpResponse<String> response =
                    postFiles(server, "/v1/models/" + MODEL + ":predict", new Part("clip", "clip.wav", clip));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private static double[] statistics(ModelServer server) {
        return new double[] {
            gauge(server, MODEL, "tl4j_drift_class_psi"),
            gauge(server, MODEL, "tl4j_drift_confidence_psi"),
            gauge(server, MODEL, "tl4j_drift_feature_shift")
        };
    }

    /** Reads the served model's {@code tl4j_drift_threshold} of one statistic. */
    private static double threshold(ModelServer server, String statistic) {
        Matcher m = Pattern.compile("(?m)^tl4j_drift_threshold\\{model=\"" + MODEL + "\",statistic=\"" + statistic
                        + "\"\\} (\\S+)$")
                .matcher(ServingFixtures.get(server, "/metrics").body());
        assertThat(m.find())
                .as("tl4j_drift_threshold of %s in /metrics", statistic)
                .isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Reads the clips, each labelled by its word's folder. */
    private static LabeledData<Audio> labelled(List<Path> clips, List<String> classNames) {
        int[] labels = new int[clips.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] =
                    classNames.indexOf(clips.get(i).getParent().getFileName().toString());
        }
        return LabeledData.of(clips.stream().map(Wav::read).toList(), labels, classNames);
    }

    private static List<byte[]> bytes(List<Path> files) {
        List<byte[]> all = new ArrayList<>();
        for (Path file : files) {
            try {
                all.add(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }
}
