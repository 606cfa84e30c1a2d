package io.tl4j.nlp.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.baseline.LogisticRegression;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotPriorTest {

    private static final ClassDescriptions CLASSES = ClassDescriptions.builder()
            .add("ham", "project meeting")
            .add("spam", "cheap money")
            .build();

    @Test
    void withTwoLabelsPerClassTheHeadKeepsWhatTheZeroShotClassifierKnew() {
        ZeroShotClassifier zeroShot =
                ZeroShotClassifier.create(new WordCountEmbedder(), CLASSES, EncoderPrefixes.none());
        // Two labelled texts per class that only mention "email" and one class word each: a plain
        // logistic regression learns nothing about "meeting" or "money"; the prior knows them.
        List<String> train = List.of("email project", "email project email", "email cheap", "cheap email email");
        LabeledData<float[]> embedded =
                LabeledData.of(Arrays.asList(zeroShot.embed(train)), new int[] {0, 0, 1, 1}, List.of("ham", "spam"));
        LogisticRegression withPrior = ZeroShotPrior.fit(zeroShot, embedded, 1);
        LogisticRegression plain = LogisticRegression.fitCrossValidated(embedded, ZeroShotPrior.C_CANDIDATES, 5, 1);
        float[][] unseen = zeroShot.embed(List.of("meeting", "money"));
        assertThat(withPrior.predict(unseen[0])).isZero();
        assertThat(withPrior.predict(unseen[1])).isEqualTo(1);
        assertThat(plain.predict(unseen[0]))
                .as("without the prior, unseen words are a coin toss")
                .isEqualTo(plain.predict(unseen[1]));
    }

    @Test
    void labelsForOtherClassesAreRefused() {
        ZeroShotClassifier zeroShot =
                ZeroShotClassifier.create(new WordCountEmbedder(), CLASSES, EncoderPrefixes.none());
        LabeledData<float[]> embedded = LabeledData.of(
                List.of(new float[7], new float[7], new float[7], new float[7]),
                new int[] {0, 0, 1, 1},
                List.of("spam", "ham"));
        assertThatThrownBy(() -> ZeroShotPrior.fit(zeroShot, embedded, 1)).hasMessageContaining("Class names differ");
    }
}
