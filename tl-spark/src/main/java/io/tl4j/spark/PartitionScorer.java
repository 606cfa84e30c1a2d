package io.tl4j.spark;

import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition in batches: reads a batch of rows, runs one forward pass over its good inputs on the
 * executor's shared model, and appends the outputs to each row. A row whose input cannot be read or scored gets
 * nulls and the reason in the error column, or, when asked, fails the task with the row's position and the reason;
 * it never takes the executor down. When a batch's forward pass fails, its rows are scored one by one so that only
 * the bad ones get the error.
 */
final class PartitionScorer implements FlatMapFunction<Iterator<Row>, Row>, Serializable {

    private static final long serialVersionUID = 1L;

    /** What the scorer appends to each row. */
    enum Output {
        /** The predicted class name and the class probabilities. */
        PREDICTION,
        /** The backbone's flattened features. */
        EMBEDDING
    }

    private final String directory;
    private final int inputIndex;
    private final boolean paths;
    private final int batchSize;
    private final boolean failOnError;
    private final Output output;

    PartitionScorer(
            String directory, int inputIndex, boolean paths, int batchSize, boolean failOnError, Output output) {
        this.directory = directory;
        this.inputIndex = inputIndex;
        this.paths = paths;
        this.batchSize = batchSize;
        this.failOnError = failOnError;
        this.output = output;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;
            private long position;

            @Override
            public boolean hasNext() {
                if (next == ready.size()) {
                    ready.clear();
                    next = 0;
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    ready.addAll(score(batch, position));
                    position += batch.size();
                }
                return next < ready.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    private List<Row> score(List<Row> batch, long firstPosition) {
        if (batch.isEmpty()) {
            return List.of();
        }
        Object[][] outputs = new Object[batch.size()][];
        String[] errors = new String[batch.size()];
        try (FileCells files = new FileCells(() -> ExecutorModels.pipeline(directory, output == Output.EMBEDDING))) {
            List<Object> inputs = new ArrayList<>();
            List<Integer> rowsOfInputs = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                try {
                    inputs.add(files.read(InputValues.read(batch.get(i), inputIndex, paths)));
                    rowsOfInputs.add(i);
                } catch (IllegalArgumentException | ClassCastException | UncheckedIOException e) {
                    errors[i] = fail(firstPosition + i, e);
                }
            }
            try {
                Object[][] scored = forward(inputs);
                for (int k = 0; k < scored.length; k++) {
                    outputs[rowsOfInputs.get(k)] = scored[k];
                }
            } catch (RuntimeException batchFailure) {
                for (int k = 0; k < inputs.size(); k++) {
                    int i = rowsOfInputs.get(k);
                    try {
                        outputs[i] = forward(List.of(inputs.get(k)))[0];
                    } catch (RuntimeException e) {
                        errors[i] = fail(firstPosition + i, e);
                    }
                }
            }
        }
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(append(batch.get(i), outputs[i], errors[i]));
        }
        return out;
    }

    private String fail(long position, RuntimeException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (failOnError) {
            throw new IllegalArgumentException(
                    "Row " + position + " of the partition cannot be scored by " + directory + ": " + reason, e);
        }
        return reason;
    }

    private Object[][] forward(List<Object> inputs) {
        if (inputs.isEmpty()) {
            return new Object[0][];
        }
        if (output == Output.EMBEDDING) {
            FrozenFeatures<Object> extractor = ExecutorModels.extractor(directory);
            // tasks share the extractor: each call works in its own sub-managers and thread-local NDScope
            float[][] features = extractor.extract(LabeledData.of(inputs, new int[inputs.size()], List.of("input")));
            Object[][] rows = new Object[features.length][];
            for (int i = 0; i < features.length; i++) {
                rows[i] = new Object[] {Vectors.dense(toDoubles(features[i]))};
            }
            return rows;
        }
        TransferModel<Object> model = ExecutorModels.model(directory);
        float[][] probabilities = model.probabilities(inputs);
        Object[][] rows = new Object[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            int best = 0;
            for (int c = 1; c < probabilities[i].length; c++) {
                if (probabilities[i][c] > probabilities[i][best]) {
                    best = c;
                }
            }
            rows[i] = new Object[] {model.classNames().get(best), Vectors.dense(toDoubles(probabilities[i]))};
        }
        return rows;
    }

    private Row append(Row row, Object[] values, String error) {
        int width = output == Output.EMBEDDING ? 1 : 2;
        Object[] all = Arrays.copyOf(seqToArray(row), row.length() + width + 1);
        if (values != null) {
            System.arraycopy(values, 0, all, row.length(), width);
        }
        all[row.length() + width] = error;
        return RowFactory.create(all);
    }

    private static Object[] seqToArray(Row row) {
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
