package io.tl4j.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

    private static final History HISTORY = History.empty()
            .plus(new EpochRecord(1, 0.9, 0.001, 12.5, Map.of("val_loss", 0.8)))
            .plus(new EpochRecord(2, 0.5, 0.0005, 11.0, metrics("val_loss", 0.4, "val_accuracy", 0.75)))
            .plus(new EpochRecord(3, 0.25, 1e-4, 10.25, metrics("val_accuracy", 0.75, "val_loss", Double.NaN)));

    private static Map<String, Double> metrics(String name1, double value1, String name2, double value2) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(name1, value1);
        metrics.put(name2, value2);
        return metrics;
    }

    @Test
    void plusAppendsWithoutChangingTheOriginal() {
        History one = History.empty().plus(new EpochRecord(1, 1, 1, 1, Map.of()));

        assertThat(History.empty().size()).isZero();
        assertThat(one.size()).isEqualTo(1);
        assertThat(HISTORY.size()).isEqualTo(3);
        assertThat(HISTORY.last().epoch()).isEqualTo(3);
        assertThat(HISTORY.epochs()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> History.empty().last()).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void epochRecordCopiesMetricsInOrder() {
        Map<String, Double> metrics = metrics("b", 1, "a", 2);
        EpochRecord r = new EpochRecord(1, 0, 0, 0, metrics);
        metrics.put("c", 3.0);

        assertThat(r.metrics()).containsExactly(Map.entry("b", 1.0), Map.entry("a", 2.0));
        assertThatThrownBy(() -> r.metrics().put("d", 4.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bestEpochSkipsMissingAndNaNAndPrefersTheEarliest() {
        assertThat(HISTORY.bestEpoch("val_loss", false)).isEqualTo(OptionalInt.of(2));
        assertThat(HISTORY.bestEpoch("val_loss", true)).isEqualTo(OptionalInt.of(1));
        assertThat(HISTORY.bestEpoch("val_accuracy", true)).isEqualTo(OptionalInt.of(2));
        assertThat(HISTORY.bestEpoch("val_macro_f1", true)).isEmpty();
    }

    @Test
    void jsonRoundTripIsEqual(@TempDir Path dir) throws IOException {
        assertThat(History.fromJson(HISTORY.toJson())).isEqualTo(HISTORY);
        assertThat(History.fromJson(History.empty().toJson())).isEqualTo(History.empty());

        Path file = dir.resolve("runs/history.json");
        HISTORY.writeJson(file);
        History read = History.readJson(file);

        assertThat(read).isEqualTo(HISTORY);
        assertThat(read.last().metrics().keySet()).containsExactly("val_accuracy", "val_loss");
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void fromJsonRejectsOtherJson() {
        assertThatThrownBy(() -> History.fromJson("{\"foo\": 1}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesCsvWithTheUnionOfMetrics(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.csv");
        Files.writeString(file, "old content");

        HISTORY.writeCsv(file);

        assertThat(Files.readString(file))
                .isEqualTo("epoch,train_loss,learning_rate,seconds,val_loss,val_accuracy\n"
                        + "1,0.9,0.001,12.5,0.8,\n"
                        + "2,0.5,5.0E-4,11.0,0.4,0.75\n"
                        + "3,0.25,1.0E-4,10.25,NaN,0.75\n");
        assertThat(Files.list(dir)).containsExactly(file);
    }
}
