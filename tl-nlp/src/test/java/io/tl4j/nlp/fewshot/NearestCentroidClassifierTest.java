package io.tl4j.nlp.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Prediction;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.nlp.bert.MiniLm;
import java.util.List;
import org.junit.jupiter.api.Test;

class NearestCentroidClassifierTest {

    @Test
    void centroidsAreNormalisedMeansOfNormalisedEmbeddings() {
        float[][] x = {{3, 0}, {0, 1}, {0, 2}, {-1, 0}};
        NearestCentroidClassifier classifier =
                NearestCentroidClassifier.fit(x, new int[] {0, 0, 1, 1}, List.of("a", "b"));
        // class a: mean of (1,0) and (0,1) = (0.5,0.5) -> (0.7071, 0.7071); class b: mean of (0,1), (-1,0)
        float r = (float) Math.sqrt(0.5);
        assertThat(classifier.centroids()[0]).containsExactly(new float[] {r, r}, within(1e-6f));
        assertThat(classifier.centroids()[1]).containsExactly(new float[] {-r, r}, within(1e-6f));
        assertThat(classifier.similarities(new float[] {10, 0})).containsExactly(new float[] {r, -r}, within(1e-6f));
        assertThat(classifier.predict(new float[] {0.2f, 1})).isEqualTo(0);
        assertThat(classifier.predict(new float[] {-0.2f, 1})).isEqualTo(1);
        assertThat(classifier.predict(new float[] {-20f, 100}))
                .as("scale does not matter")
                .isEqualTo(1);
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() ->
                        NearestCentroidClassifier.fit(new float[][] {{1, 0}}, new int[] {0}, List.of("a", "b")))
                .hasMessage("class 'b' has no examples");
        assertThatThrownBy(() ->
                        NearestCentroidClassifier.fit(new float[][] {{1, 0}, {1}}, new int[] {0, 1}, List.of("a", "b")))
                .hasMessage("embedding 1 has 1 values, the first has 2");
        NearestCentroidClassifier fromVectors =
                NearestCentroidClassifier.fit(new float[][] {{1, 0}, {0, 1}}, new int[] {0, 1}, List.of("a", "b"));
        assertThatThrownBy(() -> fromVectors.predict(List.of("text"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fromVectors.predict(new float[] {1, 2, 3}))
                .hasMessage("embedding has 3 values, centroids have 2");
    }

    @Test
    void fewShotTopicsWithMiniLmNeedNoTraining() {
        NearestCentroidClassifier classifier = NearestCentroidClassifier.fit(MiniLm.train(), MiniLm.encoder()::embed);
        ClassificationReport report = classifier.evaluate(MiniLm.test());
        assertThat(report.accuracy()).isEqualTo(1.0);
        List<Prediction> ranked = classifier.classify("My hamster escaped from its cage.");
        assertThat(ranked.get(0).label()).isEqualTo("animals");
        assertThat(ranked.get(0).probability() + ranked.get(1).probability()).isCloseTo(1f, within(1e-6f));
    }
}
