package io.tl4j.nlp.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Prediction;
import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotClassifierTest {

    private static final ClassDescriptions CLASSES = ClassDescriptions.builder()
            .add("ham", "project meeting")
            .add("spam", "cheap money", "money offer")
            .build();

    @Test
    void aTextGoesToTheClassWhoseDescriptionsItResembles() {
        ZeroShotClassifier classifier =
                ZeroShotClassifier.create(new WordCountEmbedder(), CLASSES, EncoderPrefixes.none());
        assertThat(classifier.predict(List.of("cheap offer", "meeting about the project", "money money")))
                .containsExactly(1, 0, 1);
        List<Prediction> ranked = classifier.classify("a cheap offer");
        assertThat(ranked.get(0).label()).isEqualTo("spam");
        assertThat(ranked.get(0).probability() + ranked.get(1).probability()).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void aClassIsTheNormalisedMeanOfItsDescriptions() {
        ZeroShotClassifier classifier =
                ZeroShotClassifier.create(new WordCountEmbedder(), CLASSES, EncoderPrefixes.none());
        // spam = unit(unit(1,0,1,1,0,0,0) + unit(1,0,0,1,1,0,0)) = (2,0,1,2,1,0,0)/sqrt(10)
        float[] text = {0, 0, 0, 1, 0, 0, 0}; // "money" without the shared component
        double expected = 2 / Math.sqrt(10);
        assertThat(classifier.scores(text)[1]).isCloseTo(expected, within(1e-6));
    }

    @Test
    void centringOnUnlabelledTextsRemovesADescriptionsPullOnEveryText() {
        ClassDescriptions biased = ClassDescriptions.builder()
                .add("ham", "email email email project")
                .add("spam", "cheap money offer offer")
                .build();
        WordCountEmbedder embedder = new WordCountEmbedder();
        ZeroShotClassifier raw = ZeroShotClassifier.create(embedder, biased, EncoderPrefixes.none());
        List<String> texts = new ArrayList<>();
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            texts.add(i % 2 == 0 ? "project" : "cheap");
            labels[i] = i % 2;
        }
        LabeledData<String> data = LabeledData.of(texts, labels, List.of("ham", "spam"));
        assertThat(raw.evaluate(data).accuracy())
                .as("every text looks like 'email'")
                .isEqualTo(0.5);
        float[][] unlabelled = raw.embed(texts);
        ZeroShotClassifier centred = raw.centredOn(unlabelled);
        assertThat(centred.evaluate(data).accuracy()).isEqualTo(1.0);
        // ham = (4, 0, 0, 0, 1, 0, 0)/sqrt(17); "project" = (1, 0, 0, 0, 1, 0, 0)/sqrt(2), "cheap" alike
        double meanHam = (5 / Math.sqrt(34) + 4 / Math.sqrt(34)) / 2;
        assertThat(centred.offsets()[0]).isCloseTo(-meanHam, within(1e-6));
    }

    @Test
    void calibrationFindsTheTemperatureWithTheLeastCrossEntropyAndKeepsThePredictions() {
        WordCountEmbedder embedder = new WordCountEmbedder();
        ZeroShotClassifier classifier = ZeroShotClassifier.create(embedder, CLASSES, EncoderPrefixes.none());
        List<String> texts = List.of("cheap", "project", "money offer", "meeting", "cheap project", "email money");
        int[] labels = {1, 0, 1, 0, 0, 1};
        float[][] embedded = classifier.embed(texts);
        ZeroShotClassifier calibrated = classifier.calibrated(embedded, labels);
        double[][] scores = new double[texts.size()][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = classifier.scores(embedded[i]);
        }
        double best = Double.MAX_VALUE;
        double bestT = 0;
        for (double logT = Math.log(1e-3); logT <= Math.log(10); logT += 1e-4) {
            double loss = Temperature.loss(scores, labels, Math.exp(logT));
            if (loss < best) {
                best = loss;
                bestT = Math.exp(logT);
            }
        }
        assertThat(calibrated.temperature()).isCloseTo(bestT, within(bestT * 1e-3));
        assertThat(Temperature.loss(scores, labels, calibrated.temperature()))
                .isLessThan(Temperature.loss(scores, labels, ZeroShotClassifier.DEFAULT_TEMPERATURE));
        for (float[] e : embedded) {
            assertThat(calibrated.predict(e)).isEqualTo(classifier.predict(e));
        }
    }

    @Test
    void thePriorWeightsReproduceTheClassifiersProbabilities() {
        WordCountEmbedder embedder = new WordCountEmbedder();
        ZeroShotClassifier classifier = ZeroShotClassifier.create(embedder, CLASSES, EncoderPrefixes.none())
                .withTemperature(0.2);
        ZeroShotClassifier centred = classifier.centredOn(classifier.embed(List.of("email", "cheap money")));
        float[] text = centred.embed(List.of("a cheap project"))[0];
        double[][] w = centred.priorWeights();
        double[] b = centred.priorIntercepts();
        double[] logits = new double[2];
        for (int c = 0; c < 2; c++) {
            logits[c] = b[c];
            for (int d = 0; d < text.length; d++) {
                logits[c] += w[c][d] * text[d];
            }
        }
        assertThat(Temperature.softmax(logits, 1)).containsExactly(centred.probabilities(text), within(1e-6));
    }

    @Test
    void theEncoderSeesItsPrefixes() {
        WordCountEmbedder embedder = new WordCountEmbedder();
        ZeroShotClassifier classifier = ZeroShotClassifier.create(embedder, CLASSES, EncoderPrefixes.e5());
        classifier.predict(List.of("cheap"));
        assertThat(embedder.seen)
                .containsExactly("query: project meeting", "query: cheap money", "query: money offer", "query: cheap");
    }

    @Test
    void badDescriptionsAreRefusedByName() {
        assertThatThrownBy(() -> ClassDescriptions.builder()
                        .add("ham", "a normal e-mail")
                        .add("spam", "junk", "A normal e-mail")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'A normal e-mail'")
                .hasMessageContaining("both 'ham' and 'spam'");
        assertThatThrownBy(() -> ClassDescriptions.builder().add("ham", "x").add("spam", " "))
                .hasMessageContaining("Description 0 of class 'spam' is empty");
        assertThatThrownBy(() -> ClassDescriptions.builder().add("ham", "x").add("ham", "y"))
                .hasMessageContaining("Class 'ham' is given twice");
        assertThatThrownBy(() -> ClassDescriptions.builder().add("ham", "x").build())
                .hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> ClassDescriptions.ofNames(List.of("a", ""))).hasMessageContaining("blank");
        assertThatThrownBy(() -> ClassDescriptions.builder().add("ham"))
                .hasMessageContaining("Class 'ham' has no description");
    }

    @Test
    void anEncoderThatReturnsZerosIsReportedWithTheDescription() {
        assertThatThrownBy(() ->
                        ZeroShotClassifier.create(texts -> new float[texts.size()][3], CLASSES, EncoderPrefixes.none()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("zero embedding for description 'project meeting'");
    }

    @Test
    void evaluationNeedsTheSameClasses() {
        ZeroShotClassifier classifier =
                ZeroShotClassifier.create(new WordCountEmbedder(), CLASSES, EncoderPrefixes.none());
        LabeledData<String> other = LabeledData.of(List.of("x"), new int[] {0}, List.of("spam", "ham"));
        assertThatThrownBy(() -> classifier.evaluate(other)).hasMessageContaining("Class names differ");
    }
}
