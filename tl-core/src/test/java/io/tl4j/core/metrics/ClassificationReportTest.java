package io.tl4j.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {

    private static final double EPS = 1e-9;

    /*
     * Confusion matrix (rows = truth, columns = predicted):
     *   cat  [2 1 1]   support 4, predicted 3
     *   dog  [1 2 0]   support 3, predicted 4
     *   bird [0 1 2]   support 3, predicted 3
     */
    private static final ClassificationReport REPORT = ClassificationReport.of(
            new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2},
            new int[] {0, 0, 1, 2, 1, 1, 0, 2, 2, 1},
            List.of("cat", "dog", "bird"));

    @Test
    void matchesAHandComputedThreeClassExample() {
        assertThat(REPORT.size()).isEqualTo(10);
        assertThat(REPORT.classNames()).containsExactly("cat", "dog", "bird");
        assertThat(REPORT.confusionMatrix()).isDeepEqualTo(new int[][] {{2, 1, 1}, {1, 2, 0}, {0, 1, 2}});
        assertThat(REPORT.accuracy()).isCloseTo(0.6, within(EPS));

        assertThat(REPORT.precision(0)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(REPORT.precision(1)).isCloseTo(0.5, within(EPS));
        assertThat(REPORT.precision(2)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(REPORT.recall(0)).isCloseTo(0.5, within(EPS));
        assertThat(REPORT.recall(1)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(REPORT.recall(2)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(REPORT.f1(0)).isCloseTo(4.0 / 7, within(EPS));
        assertThat(REPORT.f1(1)).isCloseTo(4.0 / 7, within(EPS));
        assertThat(REPORT.f1(2)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(REPORT.macroF1()).isCloseTo(38.0 / 63, within(EPS));
        assertThat(REPORT.support(0)).isEqualTo(4);
        assertThat(REPORT.support(1)).isEqualTo(3);
        assertThat(REPORT.support(2)).isEqualTo(3);
    }

    @Test
    void undefinedRatiosAreZero() {
        ClassificationReport report =
                ClassificationReport.of(new int[] {0, 0, 1}, new int[] {0, 1, 1}, List.of("a", "b", "c"));

        assertThat(report.precision(2)).isZero();
        assertThat(report.recall(2)).isZero();
        assertThat(report.f1(2)).isZero();
        assertThat(report.macroF1()).isCloseTo((2.0 / 3 + 2.0 / 3 + 0) / 3, within(EPS));
    }

    @Test
    void confusionMatrixIsACopy() {
        REPORT.confusionMatrix()[0][0] = 99;

        assertThat(REPORT.confusionMatrix()[0][0]).isEqualTo(2);
    }

    @Test
    void toStringIsATable() {
        assertThat(REPORT.toString())
                .isEqualTo(String.join(
                        System.lineSeparator(),
                        "class    precision    recall        f1   support",
                        "cat         0.6667    0.5000    0.5714         4",
                        "dog         0.5000    0.6667    0.5714         3",
                        "bird        0.6667    0.6667    0.6667         3",
                        "accuracy                        0.6000        10",
                        "macro-F1                        0.6032        10",
                        "",
                        "confusion matrix (rows = true class, columns = predicted class)",
                        "              cat      dog     bird",
                        "cat             2        1        1",
                        "dog             1        2        0",
                        "bird            0        1        2",
                        ""));
    }

    @Test
    void toJsonHoldsTheMetrics() {
        JsonObject json = JsonParser.parseString(REPORT.toJson()).getAsJsonObject();

        assertThat(json.get("size").getAsInt()).isEqualTo(10);
        assertThat(json.get("accuracy").getAsDouble()).isCloseTo(0.6, within(EPS));
        assertThat(json.get("macroF1").getAsDouble()).isCloseTo(38.0 / 63, within(EPS));
        JsonObject dog = json.getAsJsonArray("classes").get(1).getAsJsonObject();
        assertThat(dog.get("name").getAsString()).isEqualTo("dog");
        assertThat(dog.get("precision").getAsDouble()).isCloseTo(0.5, within(EPS));
        assertThat(dog.get("support").getAsInt()).isEqualTo(3);
        assertThat(json.getAsJsonArray("confusionMatrix").get(2).toString()).isEqualTo("[0,1,2]");
    }

    @Test
    void rejectsInvalidInput() {
        List<String> names = List.of("a", "b");
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0}, new int[] {0, 1}, names))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClassificationReport.of(new int[0], new int[0], names))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0, 1}, new int[] {0, 2}, names))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predicted label 2 of example 1");
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0}, new int[] {0}, List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
