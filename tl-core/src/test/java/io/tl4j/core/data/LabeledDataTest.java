package io.tl4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LabeledDataTest {

    private static final List<String> AB = List.of("a", "b");

    /** Inputs are the example indices; the first {@code counts[0]} have label 0, and so on. */
    private static LabeledData<Integer> withCounts(int... counts) {
        List<Integer> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            for (int j = 0; j < counts[c]; j++) {
                labels.add(c);
                inputs.add(inputs.size());
            }
        }
        List<String> names =
                IntStream.range(0, counts.length).mapToObj(c -> "class" + c).toList();
        return LabeledData.of(
                inputs, labels.stream().mapToInt(Integer::intValue).toArray(), names);
    }

    @Test
    void ofKeepsInputsLabelsAndClassNames() {
        LabeledData<String> data = LabeledData.of(List.of("x", "y", "z"), new int[] {1, 0, 1}, AB);

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.input(2)).isEqualTo("z");
        assertThat(data.label(0)).isEqualTo(1);
        assertThat(data.inputs()).containsExactly("x", "y", "z");
        assertThat(data.labels()).containsExactly(1, 0, 1);
        assertThat(data.classNames()).containsExactly("a", "b");
        assertThat(data.numClasses()).isEqualTo(2);
        assertThat(data.classCounts()).containsExactly(1, 2);
    }

    @Test
    void ofCopiesItsArguments() {
        List<String> inputs = new ArrayList<>(List.of("x", "y"));
        int[] labels = {0, 1};
        LabeledData<String> data = LabeledData.of(inputs, labels, AB);
        inputs.set(0, "changed");
        labels[0] = 1;
        data.labels()[1] = 0;

        assertThat(data.inputs()).containsExactly("x", "y");
        assertThat(data.labels()).containsExactly(0, 1);
        assertThatThrownBy(() -> data.inputs().add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void ofRejectsInvalidArguments() {
        assertThatThrownBy(() -> LabeledData.of(List.of("x"), new int[] {0, 1}, AB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 inputs but 2 labels");
        assertThatThrownBy(() -> LabeledData.of(Arrays.asList("x", null), new int[] {0, 1}, AB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1 is null");
        assertThatThrownBy(() -> LabeledData.of(List.of("x"), new int[] {2}, AB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 2 of example 0");
        assertThatThrownBy(() -> LabeledData.of(List.of("x"), new int[] {-1}, AB))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabeledData.of(List.of(), new int[0], List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> LabeledData.of(List.of("x"), new int[] {0}, List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate class name 'a'");
    }

    @Test
    void ofNamedLabelsSortsDistinctNames() {
        LabeledData<String> data =
                LabeledData.ofNamedLabels(List.of("1", "2", "3", "4"), List.of("dog", "cat", "dog", "bird"));

        assertThat(data.classNames()).containsExactly("bird", "cat", "dog");
        assertThat(data.labels()).containsExactly(2, 1, 2, 0);
    }

    @Test
    void subsetShuffledAndMap() {
        LabeledData<Integer> data = withCounts(3, 2);

        LabeledData<Integer> subset = data.subset(new int[] {4, 0, 4});
        assertThat(subset.inputs()).containsExactly(4, 0, 4);
        assertThat(subset.labels()).containsExactly(1, 0, 1);
        assertThat(subset.classNames()).isEqualTo(data.classNames());

        LabeledData<Integer> shuffled = data.shuffled(7);
        assertThat(shuffled.inputs()).containsExactlyInAnyOrderElementsOf(data.inputs());
        assertThat(shuffled.inputs()).isEqualTo(data.shuffled(7).inputs());
        for (int i = 0; i < shuffled.size(); i++) {
            assertThat(shuffled.label(i)).isEqualTo(data.label(shuffled.input(i)));
        }

        LabeledData<String> mapped = data.map(i -> "#" + i);
        assertThat(mapped.inputs()).containsExactly("#0", "#1", "#2", "#3", "#4");
        assertThat(mapped.labels()).containsExactly(data.labels());
        assertThatThrownBy(() -> data.map(i -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 0");
    }

    @Test
    void concatAppendsAndRequiresEqualClassNames() {
        LabeledData<String> a = LabeledData.of(List.of("x"), new int[] {0}, AB);
        LabeledData<String> b = LabeledData.of(List.of("y", "z"), new int[] {1, 1}, AB);
        LabeledData<String> other = LabeledData.of(List.of("w"), new int[] {0}, List.of("a", "c"));

        LabeledData<String> both = LabeledData.concat(a, b);
        assertThat(both.inputs()).containsExactly("x", "y", "z");
        assertThat(both.labels()).containsExactly(0, 1, 1);
        assertThatThrownBy(() -> LabeledData.concat(a, other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a, b]")
                .hasMessageContaining("[a, c]");
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        LabeledData<Integer> data = withCounts(100, 50);

        Split<Integer> split = data.stratifiedSplit(0.2, 42);

        assertThat(split.validation().classCounts()).containsExactly(20, 10);
        assertThat(split.train().classCounts()).containsExactly(80, 40);
        Set<Integer> all = new HashSet<>(split.train().inputs());
        all.addAll(split.validation().inputs());
        assertThat(all).hasSize(150);
        LabeledData<Integer> validation = split.validation();
        for (int i = 0; i < validation.size(); i++) {
            assertThat(validation.label(i)).isEqualTo(data.label(validation.input(i)));
        }
    }

    @Test
    void stratifiedSplitIsDeterministicPerSeed() {
        LabeledData<Integer> data = withCounts(100, 50);

        List<Integer> first = data.stratifiedSplit(0.2, 1).validation().inputs();
        List<Integer> again = data.stratifiedSplit(0.2, 1).validation().inputs();
        List<Integer> otherSeed = data.stratifiedSplit(0.2, 2).validation().inputs();

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void stratifiedSplitKeepsAnExampleOnEachSide() {
        LabeledData<Integer> data = withCounts(2, 10, 1);

        Split<Integer> small = data.stratifiedSplit(0.01, 3);
        Split<Integer> large = data.stratifiedSplit(0.99, 3);

        assertThat(small.validation().classCounts()).containsExactly(1, 1, 0);
        assertThat(small.train().classCounts()).containsExactly(1, 9, 1);
        assertThat(large.validation().classCounts()).containsExactly(1, 9, 0);
        assertThat(large.train().classCounts()).containsExactly(1, 1, 1);
    }

    @Test
    void stratifiedSplitRejectsEmptyClassAndBadFraction() {
        LabeledData<Integer> data = withCounts(5, 0);

        assertThatThrownBy(() -> data.stratifiedSplit(0.2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class1");
        assertThatThrownBy(() -> withCounts(5, 5).stratifiedSplit(1.0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withCounts(5, 5).stratifiedSplit(0.0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kFoldValidationFoldsPartitionTheDataAndAreStratified() {
        LabeledData<Integer> data = withCounts(100, 50);

        List<Split<Integer>> folds = data.kFold(5, 9);

        assertThat(folds).hasSize(5);
        int[] timesValidated = new int[data.size()];
        for (Split<Integer> fold : folds) {
            assertThat(fold.validation().classCounts()).containsExactly(20, 10);
            assertThat(fold.train().classCounts()).containsExactly(80, 40);
            Set<Integer> train = new HashSet<>(fold.train().inputs());
            fold.validation().inputs().forEach(i -> timesValidated[i]++);
            assertThat(train).doesNotContainAnyElementsOf(fold.validation().inputs());
            assertThat(train.size() + fold.validation().size()).isEqualTo(data.size());
        }
        assertThat(timesValidated).containsOnly(1);
        assertThat(data.kFold(5, 9).get(2).validation().inputs())
                .isEqualTo(folds.get(2).validation().inputs());
    }

    @Test
    void kFoldSpreadsUnevenClassesWithFoldSizesDifferingByAtMostOne() {
        LabeledData<Integer> data = withCounts(7, 4, 2);

        List<Split<Integer>> folds = data.kFold(3, 5);

        List<Integer> sizes = folds.stream().map(f -> f.validation().size()).collect(Collectors.toList());
        assertThat(sizes).containsExactlyInAnyOrder(5, 4, 4);
        for (Split<Integer> fold : folds) {
            int[] counts = fold.validation().classCounts();
            assertThat(counts[0]).isBetween(2, 3);
            assertThat(counts[1]).isBetween(1, 2);
            assertThat(counts[2]).isBetween(0, 1);
            assertThat(fold.train().classCounts()).doesNotContain(0);
        }
    }

    @Test
    void kFoldRejectsBadArguments() {
        LabeledData<Integer> data = withCounts(3, 3);

        assertThatThrownBy(() -> data.kFold(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> data.kFold(7, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withCounts(5, 1).kFold(2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class1");
    }

    @Test
    void classWeightsAreInverseFrequency() {
        assertThat(withCounts(100, 50).classWeights()).containsExactly(0.75f, 1.5f);
        assertThat(withCounts(4, 4, 4).classWeights()).containsExactly(1f, 1f, 1f);
    }

    @Test
    void classWeightsRejectAnEmptyClass() {
        assertThatThrownBy(() -> withCounts(3, 0, 2).classWeights())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty class")
                .hasMessageContaining("class1");
    }

    @Test
    void samplePerClassDrawsTheSameNumberFromEachClass() {
        LabeledData<Integer> data = withCounts(30, 8);

        LabeledData<Integer> sample = data.samplePerClass(5, 11);

        assertThat(sample.classCounts()).containsExactly(5, 5);
        assertThat(sample.inputs()).isSorted().doesNotHaveDuplicates();
        assertThat(data.samplePerClass(5, 11).inputs()).isEqualTo(sample.inputs());
        assertThatThrownBy(() -> data.samplePerClass(9, 11))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class1")
                .hasMessageContaining("8 examples");
    }
}
