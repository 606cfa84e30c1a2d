package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The speech quick start's claim, over three seeds: with 3 clips per new word, the pretrained
 * keyword encoder (the better of feature extraction and fine-tuning) beats the same network trained
 * from scratch with the same augmentation and the same number of steps by at least 3 points on
 * voices held out of training.
 */
class SpeechQuickStartTest {

    @Test
    void transferBeatsScratchWithThreeClipsPerWord() {
        try (SpeechQuickStart.Experiment experiment = new SpeechQuickStart.Experiment()) {
            SpeechQuickStart.Scores[] runs = Arrays.stream(SpeechQuickStart.SEEDS)
                    .mapToObj(seed -> experiment.run(3, seed))
                    .toArray(SpeechQuickStart.Scores[]::new);
            double features = Arrays.stream(runs)
                    .mapToDouble(SpeechQuickStart.Scores::features)
                    .average()
                    .orElseThrow();
            double fineTune = Arrays.stream(runs)
                    .mapToDouble(SpeechQuickStart.Scores::fineTune)
                    .average()
                    .orElseThrow();
            double scratch = Arrays.stream(runs)
                    .mapToDouble(SpeechQuickStart.Scores::scratch)
                    .average()
                    .orElseThrow();
            System.out.printf(
                    "3 per class: features %.3f, fine-tuning %.3f, scratch %.3f%n", features, fineTune, scratch);
            assertThat(Math.max(features, fineTune)).isGreaterThanOrEqualTo(scratch + 0.03);
            assertThat(scratch)
                    .as("the scratch baseline learns something (5 classes: chance is 0.2)")
                    .isGreaterThan(0.3);
        }
    }
}
