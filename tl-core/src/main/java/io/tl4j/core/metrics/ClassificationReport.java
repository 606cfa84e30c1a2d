package io.tl4j.core.metrics;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.tl4j.core.data.ClassNames;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy, per-class precision, recall and F1, macro-F1 and the confusion matrix of a set of
 * predictions. Immutable.
 *
 * <p>A ratio whose denominator is zero is reported as 0: the precision of a class that is never
 * predicted, the recall of a class with no examples, and the F1 of a class whose precision and
 * recall are both 0.
 */
public final class ClassificationReport {

    private final int[][] confusion;
    private final List<String> classNames;
    private final int size;

    private ClassificationReport(int[][] confusion, List<String> classNames, int size) {
        this.confusion = confusion;
        this.classNames = classNames;
        this.size = size;
    }

    /**
     * Computes the report of predictions against the true labels.
     *
     * @param truth the true label of each example
     * @param predicted the predicted label of each example
     * @param classNames the class names, indexed by label: at least one, no duplicates
     * @return the report
     * @throws IllegalArgumentException if there are no examples, the lengths differ, a label is out
     *     of range or the class names are empty or repeated
     */
    public static ClassificationReport of(int[] truth, int[] predicted, List<String> classNames) {
        List<String> names = ClassNames.check(classNames);
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("no examples");
        }
        int n = names.size();
        int[][] confusion = new int[n][n];
        for (int i = 0; i < truth.length; i++) {
            checkLabel("true label", truth[i], i, n);
            checkLabel("predicted label", predicted[i], i, n);
            confusion[truth[i]][predicted[i]]++;
        }
        return new ClassificationReport(confusion, names, truth.length);
    }

    /**
     * Returns the fraction of examples predicted correctly.
     *
     * @return the accuracy
     */
    public double accuracy() {
        int correct = 0;
        for (int c = 0; c < numClasses(); c++) {
            correct += confusion[c][c];
        }
        return (double) correct / size;
    }

    /**
     * Returns the unweighted mean of the F1 of every class. Classes without examples are included
     * and count with an F1 of 0.
     *
     * @return the macro-averaged F1
     */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < numClasses(); c++) {
            sum += f1(c);
        }
        return sum / numClasses();
    }

    /**
     * Returns the fraction of the predictions of class {@code c} that are correct; 0 if the class
     * is never predicted.
     *
     * @param c the class label
     * @return the precision
     */
    public double precision(int c) {
        int predicted = 0;
        for (int[] row : confusion) {
            predicted += row[c];
        }
        return ratio(confusion[c][c], predicted);
    }

    /**
     * Returns the fraction of the examples of class {@code c} that are predicted as {@code c}; 0
     * if the class has no examples.
     *
     * @param c the class label
     * @return the recall
     */
    public double recall(int c) {
        return ratio(confusion[c][c], support(c));
    }

    /**
     * Returns the harmonic mean of precision and recall of class {@code c}; 0 if both are 0.
     *
     * @param c the class label
     * @return the F1 score
     */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * Returns the number of examples whose true class is {@code c}.
     *
     * @param c the class label
     * @return the support
     */
    public int support(int c) {
        int count = 0;
        for (int value : confusion[c]) {
            count += value;
        }
        return count;
    }

    /**
     * Returns the confusion matrix: entry {@code [t][p]} counts examples of true class {@code t}
     * predicted as {@code p}.
     *
     * @return a copy of the matrix, rows are true classes, columns predicted ones
     */
    public int[][] confusionMatrix() {
        int[][] copy = new int[numClasses()][];
        for (int c = 0; c < copy.length; c++) {
            copy[c] = confusion[c].clone();
        }
        return copy;
    }

    /**
     * Returns the class names, indexed by label.
     *
     * @return an unmodifiable list of the class names
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the number of examples.
     *
     * @return the number of examples
     */
    public int size() {
        return size;
    }

    /**
     * Formats the report as a table of per-class precision, recall, F1 and support, followed by
     * accuracy, macro-F1 and the confusion matrix.
     *
     * @return the table
     */
    @Override
    public String toString() {
        int width = Math.max(
                "macro-F1".length(),
                classNames.stream().mapToInt(String::length).max().orElseThrow());
        String nameColumn = "%-" + width + "s";
        String summaryRow = nameColumn + " %29.4f %9d%n";
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT, nameColumn + " %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < numClasses(); c++) {
            text.append(String.format(
                    Locale.ROOT,
                    nameColumn + " %9.4f %9.4f %9.4f %9d%n",
                    classNames.get(c),
                    precision(c),
                    recall(c),
                    f1(c),
                    support(c)));
        }
        text.append(String.format(Locale.ROOT, summaryRow, "accuracy", accuracy(), size));
        text.append(String.format(Locale.ROOT, summaryRow, "macro-F1", macroF1(), size));
        text.append(String.format("%nconfusion matrix (rows = true class, columns = predicted class)%n"));
        int cell = Math.max(width, String.valueOf(size).length());
        String cellColumn = " %" + cell + "s";
        text.append(String.format(nameColumn, ""));
        for (String name : classNames) {
            text.append(String.format(cellColumn, name));
        }
        for (int t = 0; t < numClasses(); t++) {
            text.append(String.format("%n" + nameColumn, classNames.get(t)));
            for (int p = 0; p < numClasses(); p++) {
                text.append(String.format(cellColumn, confusion[t][p]));
            }
        }
        return text.append(String.format("%n")).toString();
    }

    /**
     * Returns the report as pretty-printed JSON with the fields {@code size}, {@code accuracy},
     * {@code macroF1}, {@code classes} (each with {@code name}, {@code precision}, {@code recall},
     * {@code f1} and {@code support}) and {@code confusionMatrix} (rows are true classes).
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("size", size);
        json.addProperty("accuracy", accuracy());
        json.addProperty("macroF1", macroF1());
        JsonArray classes = new JsonArray();
        for (int c = 0; c < numClasses(); c++) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", classNames.get(c));
            entry.addProperty("precision", precision(c));
            entry.addProperty("recall", recall(c));
            entry.addProperty("f1", f1(c));
            entry.addProperty("support", support(c));
            classes.add(entry);
        }
        json.add("classes", classes);
        JsonArray matrix = new JsonArray();
        for (int[] row : confusion) {
            JsonArray jsonRow = new JsonArray();
            for (int value : row) {
                jsonRow.add(value);
            }
            matrix.add(jsonRow);
        }
        json.add("confusionMatrix", matrix);
        return new GsonBuilder().setPrettyPrinting().create().toJson(json);
    }

    private int numClasses() {
        return classNames.size();
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private static void checkLabel(String what, int label, int index, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(
                    what + " " + label + " of example " + index + " is out of range [0, " + numClasses + ")");
        }
    }
}
