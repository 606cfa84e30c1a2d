package io.tl4j.spark;

import io.tl4j.core.Backbone;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;

/**
 * Imports a Spark MLlib multinomial logistic regression, fitted on a {@link FeatureExtractor}'s embedding column,
 * as the linear head of a tl4j {@code TransferModel} on the same backbone: a head trained across a cluster that
 * then predicts, saves and serves in any JVM.
 */
public final class MllibHeads {

    private MllibHeads() {}

    /**
     * Builds a model from the backbone saved in a model directory and a fitted logistic regression.
     *
     * @param modelDirectory the saved model whose backbone produced the embedding column
     * @param regression a multinomial logistic regression fitted with labels 0 .. classes-1
     * @param classNames the class name of each label, in label order
     * @param <I> the raw input type
     * @return the model; close it when done
     * @throws IllegalArgumentException when the regression is binomial, or its sizes do not match the class names or
     *     the backbone's features
     */
    public static <I> TransferModel<I> importLogisticRegression(
            Path modelDirectory, LogisticRegressionModel regression, List<String> classNames) {
        Matrix coefficients = regression.coefficientMatrix();
        if (coefficients.numRows() != classNames.size() || regression.numClasses() != classNames.size()) {
            throw new IllegalArgumentException("The logistic regression has " + regression.numClasses()
                    + " classes and " + coefficients.numRows() + " coefficient rows but " + classNames.size()
                    + " class names were given; fit it with setFamily(\"multinomial\") and labels 0.."
                    + (classNames.size() - 1));
        }
        float[][] weights = new float[coefficients.numRows()][coefficients.numCols()];
        for (int c = 0; c < weights.length; c++) {
            for (int f = 0; f < weights[c].length; f++) {
                weights[c][f] = (float) coefficients.apply(c, f);
            }
        }
        double[] intercepts = regression.interceptVector().toArray();
        float[] bias = new float[intercepts.length];
        for (int c = 0; c < bias.length; c++) {
            bias[c] = (float) intercepts[c];
        }
        try (TransferModel<I> saved = TransferModel.load(modelDirectory);
                Backbone<I> backbone = saved.backbone()) {
            return LinearHeads.of(backbone, classNames, weights, bias);
        }
    }
}
