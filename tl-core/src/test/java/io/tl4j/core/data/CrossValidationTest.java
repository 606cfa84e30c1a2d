package io.tl4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    @Test
    void crossValidateScoresEveryFoldInOrder() {
        int[] labels = IntStream.range(0, 20).map(i -> i % 2).toArray();
        LabeledData<Integer> data =
                LabeledData.of(IntStream.range(0, 20).boxed().toList(), labels, List.of("even", "odd"));
        double[] scores = {0.9, 0.8, 0.7, 0.6, 1.0};
        List<Split<Integer>> seen = new ArrayList<>();

        CrossValidationResult result = CrossValidation.crossValidate(data, 5, 3, split -> {
            seen.add(split);
            return scores[seen.size() - 1];
        });

        assertThat(result.foldScores()).containsExactly(scores);
        Set<Integer> validated = new HashSet<>();
        seen.forEach(split -> validated.addAll(split.validation().inputs()));
        assertThat(validated).hasSize(20);
        assertThat(seen.get(0).validation().inputs())
                .isEqualTo(data.kFold(5, 3).get(0).validation().inputs());
    }

    @Test
    void meanAndSampleStandardDeviation() {
        CrossValidationResult result = new CrossValidationResult(new double[] {0.9, 0.8, 0.7, 0.6, 1.0});

        assertThat(result.mean()).isCloseTo(0.8, within(1e-12));
        assertThat(result.standardDeviation()).isCloseTo(Math.sqrt(0.1 / 4), within(1e-12));
        assertThat(result).hasToString("0.800 ± 0.158 over 5 folds [0.900, 0.800, 0.700, 0.600, 1.000]");
    }

    @Test
    void resultIsAValueWithAtLeastTwoScores() {
        double[] scores = {0.5, 0.7};
        CrossValidationResult result = new CrossValidationResult(scores);
        scores[0] = 0;
        result.foldScores()[1] = 0;

        assertThat(result.foldScores()).containsExactly(0.5, 0.7);
        assertThat(result).isEqualTo(new CrossValidationResult(new double[] {0.5, 0.7}));
        assertThat(result.hashCode()).isEqualTo(new CrossValidationResult(new double[] {0.5, 0.7}).hashCode());
        assertThat(result.standardDeviation()).isCloseTo(Math.sqrt(0.02), within(1e-12));
        assertThatThrownBy(() -> new CrossValidationResult(new double[] {0.5}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
