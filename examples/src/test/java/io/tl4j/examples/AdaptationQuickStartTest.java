package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.examples.adaptation.CaseResult;
import io.tl4j.examples.adaptation.SpamCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The goals of issue 14, over three seeds: the best adaptation beats no adaptation by at least 5 points on the
 * flite voices and on the new camera (at 10 labelled camera images per class); zero-shot spam reaches 75 %; spam
 * self-training of a head on frozen e5-small-v2 embeddings (equal pseudo-labels per class, the calibrated zero-shot
 * classifier as co-teacher) beats the same head fitted on the 8 labels per class alone by at least 3 points on the
 * mean and loses at no seed (measured: 0.838 -> 0.925; 0.898/0.860/0.756 -> 0.934/0.920/0.922). Same data and methods
 * as {@link AdaptationQuickStart}.
 */
class AdaptationQuickStartTest {

    @Test
    @Tag("slow")
    void theBestAdaptationBeatsNoAdaptationByFivePointsOnFliteAndCamera() {
        List<List<CaseResult>> runs = new ArrayList<>();
        SpamCase spam = new SpamCase();
        for (long seed = 1; seed <= 3; seed++) {
            runs.add(AdaptationQuickStart.run(seed, spam));
        }
        Map<String, Map<String, double[]>> table = AdaptationQuickStart.table(runs);
        String speech = runs.get(0).get(0).name();
        String camera = runs.get(0).get(2).name();
        assertThat(AdaptationQuickStart.gain(table.get(speech)))
                .as("flite voices: %s", describe(table.get(speech)))
                .isGreaterThanOrEqualTo(0.05);
        assertThat(AdaptationQuickStart.gain(table.get(camera)))
                .as("new camera: %s", describe(table.get(camera)))
                .isGreaterThanOrEqualTo(0.05);
    }

    @Test
    @Tag("slow")
    void zeroShotSpamReaches75PercentAndSelfTrainingBeatsTheSameHeadWithoutThePoolAt8LabelsAtEverySeed() {
        SpamCase spam = new SpamCase();
        double[] zeroShot = new double[3];
        List<List<CaseResult>> runs = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            zeroShot[s] = spam.zeroShot(s + 1);
            runs.add(List.of(spam.selfTraining(s + 1)));
        }
        assertThat(AdaptationQuickStart.mean(zeroShot))
                .as("zero-shot accuracy per seed %s", java.util.Arrays.toString(zeroShot))
                .isGreaterThanOrEqualTo(0.75);
        Map<String, double[]> selfTraining =
                AdaptationQuickStart.table(runs).get(runs.get(0).get(0).name());
        assertThat(AdaptationQuickStart.mean(selfTraining.get("self-training")))
                .as("spam at %d labels per class: %s", SpamCase.LABELS, describe(selfTraining))
                .isGreaterThanOrEqualTo(AdaptationQuickStart.mean(selfTraining.get(CaseResult.NONE)) + 0.03);
        for (int s = 0; s < 3; s++) {
            assertThat(selfTraining.get("self-training")[s])
                    .as("spam, seed %d: %s", s + 1, describe(selfTraining))
                    .isGreaterThanOrEqualTo(selfTraining.get(CaseResult.NONE)[s]);
        }
    }

    @Test
    void theGainIsTheBestMethodsMeanAccuracyMinusNoAdaptations() {
        List<List<CaseResult>> runs = List.of(
                List.of(new CaseResult("c", Map.of(CaseResult.NONE, 0.5, "AdaBN", 0.7, "CORAL", 0.4))),
                List.of(new CaseResult("c", Map.of(CaseResult.NONE, 0.3, "AdaBN", 0.5, "CORAL", 0.9))));
        Map<String, double[]> methods = AdaptationQuickStart.table(runs).get("c");
        assertThat(methods.get("AdaBN")).containsExactly(0.7, 0.5);
        assertThat(AdaptationQuickStart.gain(methods)).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(runs.get(0).get(0).best()).isEqualTo("AdaBN");
        assertThat(runs.get(1).get(0).gain()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
    }

    private static String describe(Map<String, double[]> methods) {
        StringBuilder text = new StringBuilder();
        methods.forEach((method, values) -> text.append(method)
                .append(' ')
                .append(AdaptationQuickStart.meanSd(values))
                .append("; "));
        return text.toString();
    }
}
