package io.tl4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.data.CleaningReport.Issue;
import io.tl4j.core.data.CleaningReport.Issue.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCleanerTest {

    @Test
    void removesDuplicatesConflictsAndInvalidVectors() {
        List<float[]> inputs = List.of(
                new float[] {1, 2},
                new float[] {1, 2},
                new float[] {3, 4},
                new float[] {5, Float.NaN},
                new float[] {7, 8},
                new float[] {7, 8},
                new float[] {1, 2, 3},
                new float[] {1, 2});
        LabeledData<float[]> data = LabeledData.of(inputs, new int[] {0, 0, 1, 0, 0, 1, 1, 0}, List.of("a", "b"));

        CleaningReport<float[]> report = DataCleaner.<float[]>create()
                .validator(DataCleaner.finiteVector(2))
                .clean(data);

        assertThat(report.data().inputs()).containsExactly(new float[] {1, 2}, new float[] {3, 4});
        assertThat(report.data().labels()).containsExactly(0, 1);
        assertThat(report.duplicates()).isEqualTo(2);
        assertThat(report.conflicts()).isEqualTo(2);
        assertThat(report.invalid()).isEqualTo(2);
        assertThat(report.missing()).isZero();
        assertThat(report.removed())
                .containsExactly(
                        new Issue(1, Kind.DUPLICATE, "duplicate of example 0"),
                        new Issue(3, Kind.INVALID, "NaN at position 1"),
                        new Issue(4, Kind.CONFLICTING_LABELS, "same input with different labels [4:a, 5:b]"),
                        new Issue(5, Kind.CONFLICTING_LABELS, "same input with different labels [4:a, 5:b]"),
                        new Issue(6, Kind.INVALID, "length 3, expected 2"),
                        new Issue(7, Kind.DUPLICATE, "duplicate of example 0"));
        assertThat(report.summary())
                .startsWith("Kept 2 of 8 examples; removed 6: 2 duplicates, 2 with conflicting labels,"
                        + " 2 invalid, 0 missing.")
                .contains("#1 DUPLICATE: duplicate of example 0");
    }

    @Test
    void finiteVectorNamesTheProblem() {
        var validator = DataCleaner.finiteVector(3);

        assertThat(validator.apply(new float[] {1, 2, 3})).isEmpty();
        assertThat(validator.apply(new float[] {1, 2})).contains("length 2, expected 3");
        assertThat(validator.apply(new float[] {Float.POSITIVE_INFINITY, 0, 0})).contains("Infinity at position 0");
        assertThat(validator.apply(new float[] {0, 0, Float.NEGATIVE_INFINITY})).contains("-Infinity at position 2");
    }

    @Test
    void usesTheGivenDuplicateKeyAndValidators() {
        LabeledData<String> data =
                LabeledData.of(List.of("Cat", "cat", "", "dog", "DOG "), new int[] {0, 0, 0, 1, 1}, List.of("x", "y"));

        CleaningReport<String> report = DataCleaner.<String>create()
                .duplicateKey(s -> s.trim().toLowerCase())
                .validator(s -> s.isEmpty() ? Optional.of("empty text") : Optional.empty())
                .clean(data);

        assertThat(report.data().inputs()).containsExactly("Cat", "dog");
        assertThat(report.duplicates()).isEqualTo(2);
        assertThat(report.invalid()).isEqualTo(1);
        assertThat(report.removed()).extracting(Issue::reason).contains("empty text");
    }

    @Test
    void reportsMissingFiles(@TempDir Path dir) throws IOException {
        Path present = Files.writeString(dir.resolve("a.jpg"), "x");
        Path absent = dir.resolve("b.jpg");
        LabeledData<Path> data = LabeledData.of(List.of(present, absent), new int[] {0, 0}, List.of("a"));

        CleaningReport<Path> report = DataCleaner.<Path>create().clean(data);

        assertThat(report.data().inputs()).containsExactly(present);
        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.removed().get(0).kind()).isEqualTo(Kind.MISSING);
        assertThat(report.removed().get(0).reason()).startsWith("missing file").contains("b.jpg");
        assertThat(report.summary()).contains("1 missing");
    }

    @Test
    void cleanDataIsUnchanged() {
        LabeledData<int[]> data =
                LabeledData.of(List.of(new int[] {1}, new int[] {2}), new int[] {0, 1}, List.of("a", "b"));

        CleaningReport<int[]> report = DataCleaner.<int[]>create().clean(data);

        assertThat(report.removed()).isEmpty();
        assertThat(report.data().size()).isEqualTo(2);
        assertThat(report.summary())
                .isEqualTo(
                        "Kept 2 of 2 examples; removed 0: 0 duplicates, 0 with conflicting labels, 0 invalid, 0 missing.");
    }
}
