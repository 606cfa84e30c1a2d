package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.curve.CurvePoint;
import io.tl4j.core.curve.LearningCurveResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning-curves example at a tiny size: vision at 2 counts, 1 seed, a few epochs and 300 test
 * digits (every method has a point per count, feature extraction is above chance, and the chart, JSON,
 * CSV and RESULT line come out); text at 2 counts, 1 seed, 1 epoch and 60 test e-mails, tagged slow:
 * loading MiniLM and instantiating it for every fit took 95-159 s at load 3-8; speech at 1 and 3 clips
 * per word, 1 seed and 20 optimizer steps per network, on the full held-out and flite test sets (35 s
 * and 43 s at load ~4).
 */
class LearningCurvesTest {

    @Test
    void drawsTheVisionCurveAtATinySize(@TempDir Path dir) throws IOException {
        LearningCurves.Plan tiny = new LearningCurves.Plan(new int[] {1, 4}, new long[] {1}, 20, 2, 2);
        LearningCurveResult result = LearningCurves.vision(tiny, 300);
        assertThat(result.methods())
                .containsExactly(LearningCurves.FEATURES, LearningCurves.FINETUNE, LearningCurves.SCRATCH);
        assertThat(result.testExamples()).isEqualTo(300);
        for (CurvePoint p : result.points()) {
            assertThat(p.accuracies()).hasSize(1);
            assertThat(p.mean()).isBetween(0.0, 1.0);
        }
        assertThat(result.point(LearningCurves.FEATURES, 4).mean())
                .as("feature extraction at 4 per class, above chance (0.1)\n%s", result.table())
                .isGreaterThan(0.2);

        Path png = LearningCurves.write(result, dir.resolve("out"), "curve");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(720);
        assertThat(image.getHeight()).isEqualTo(400);
        assertThat(Files.readString(dir.resolve("out/curve.csv"))).startsWith("method,labels_per_class,mean");
        assertThat(Files.readString(dir.resolve("out/curve.json"))).contains("\"feature extraction\"");
        assertThat(LearningCurves.resultLine("vision", result, 12, 20))
                .matches("RESULT learning-curve-vision labels_per_class=1,4 feature_extraction=[0-9.]+,[0-9.]+"
                        + " fine_tuning=[0-9.]+,[0-9.]+ scratch=[0-9.]+,[0-9.]+ transfer_wins_up_to=(0|1|4)"
                        + " seconds=12 cpu_seconds=20");
    }

    @Tag("slow")
    @Test
    void drawsTheTextCurveAtATinySize(@TempDir Path dir) throws IOException {
        TextLearningCurve.Plan tiny = new TextLearningCurve.Plan(new int[] {2, 3}, new long[] {1}, 60, 1, 1);
        LearningCurveResult result = TextLearningCurve.run(tiny);
        assertThat(result.methods())
                .containsExactly(
                        LearningCurves.FEATURES,
                        LearningCurves.FINETUNE,
                        TextLearningCurve.BAG_OF_WORDS,
                        LearningCurves.SCRATCH);
        assertThat(result.testExamples()).isEqualTo(60);
        assertThat(result.classNames()).containsExactly("ham", "spam");
        for (CurvePoint p : result.points()) {
            assertThat(p.accuracies()).hasSize(1);
            assertThat(p.mean()).isBetween(0.0, 1.0);
        }
        assertThat(result.point(LearningCurves.FEATURES, 3).mean())
                .as("frozen MiniLM features at 3 per class, above chance (0.5)\n%s", result.table())
                .isGreaterThan(0.6);

        LearningCurves.write(result, dir, "text");
        assertThat(Files.readString(dir.resolve("text.csv"))).contains("bag of words,3,");
        assertThat(LearningCurves.resultLine("text", result, 12, 20))
                .matches("RESULT learning-curve-text labels_per_class=2,3 feature_extraction=[0-9.]+,[0-9.]+"
                        + " fine_tuning=[0-9.]+,[0-9.]+ bag_of_words=[0-9.]+,[0-9.]+ scratch=[0-9.]+,[0-9.]+"
                        + " transfer_wins_up_to=(0|2|3) seconds=12 cpu_seconds=20");
    }

    @Test
    void drawsTheSpeechCurveAtATinySize(@TempDir Path dir) throws IOException {
        SpeechLearningCurve.Plan tiny = new SpeechLearningCurve.Plan(new int[] {1, 3}, new long[] {1}, 20);
        SpeechLearningCurve.Outcome outcome = SpeechLearningCurve.run(tiny);
        LearningCurveResult result = outcome.curve();
        assertThat(result.methods())
                .containsExactly(
                        LearningCurves.FEATURES,
                        LearningCurves.FINETUNE,
                        LearningCurves.SCRATCH,
                        SpeechLearningCurve.LOG_MEL);
        assertThat(result.testExamples()).isEqualTo(180);
        assertThat(result.classNames()).containsExactlyInAnyOrder("backward", "follow", "forward", "learn", "visual");
        for (CurvePoint p : result.points()) {
            assertThat(p.accuracies()).hasSize(1);
            assertThat(p.mean()).isBetween(0.0, 1.0);
        }
        assertThat(result.point(LearningCurves.FEATURES, 3).mean())
                .as("frozen keyword-encoder features at 3 per word, above chance (0.2)\n%s", result.table())
                .isGreaterThan(0.4);
        assertThat(outcome.fliteAtLargest()).containsOnlyKeys(result.methods());
        assertThat(outcome.fliteAtLargest().values())
                .allSatisfy(v -> assertThat(v)
                        .singleElement()
                        .satisfies(a -> assertThat(a).isBetween(0.0, 1.0)));
        assertThat(outcome.fliteNote())
                .matches(
                        "Flite voices \\(unseen synthesizer\\) at 3 per class: feature extraction [0-9.]+ \\([0-9.]+\\);"
                                + " fine-tuning [0-9.]+ \\([0-9.]+\\); scratch [0-9.]+ \\([0-9.]+\\);"
                                + " log-mel statistics [0-9.]+ \\([0-9.]+\\)");

        LearningCurves.write(result, dir, "speech");
        assertThat(Files.readString(dir.resolve("speech.csv"))).contains("log-mel statistics,3,");
        assertThat(LearningCurves.resultLine("speech", result, 12, 20))
                .matches("RESULT learning-curve-speech labels_per_class=1,3 feature_extraction=[0-9.]+,[0-9.]+"
                        + " fine_tuning=[0-9.]+,[0-9.]+ scratch=[0-9.]+,[0-9.]+ log_mel_statistics=[0-9.]+,[0-9.]+"
                        + " transfer_wins_up_to=(0|1|3) seconds=12 cpu_seconds=20");
    }
}
