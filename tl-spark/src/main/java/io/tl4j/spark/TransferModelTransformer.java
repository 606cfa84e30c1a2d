package io.tl4j.spark;

import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A Spark ML transformer that scores a saved tl4j {@code TransferModel}: it appends the predicted class name, the
 * class probabilities as an ML vector, and an error column that is null for every row that was scored. The model
 * loads once per executor JVM and scores each partition in batches.
 */
public final class TransferModelTransformer extends ModelStage<TransferModelTransformer> {

    private static final long serialVersionUID = 1L;

    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    /** Creates a transformer with a random uid. */
    public TransferModelTransformer() {
        this(Identifiable.randomUID("tl4jTransferModel"));
    }

    /**
     * Creates a transformer with a given uid, as Spark's reader does.
     *
     * @param uid the stage's unique id
     */
    public TransferModelTransformer(String uid) {
        super(uid);
        predictionCol = new Param<>(this, "predictionCol", "the predicted class name column");
        probabilityCol = new Param<>(this, "probabilityCol", "the class probabilities column");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    /**
     * Returns the parameter that names the predicted class column; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /**
     * Returns the parameter that names the probabilities column; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /**
     * Returns the reader that loads a saved transformer, for {@code PipelineModel.load}.
     *
     * @return the reader
     */
    public static MLReader<TransferModelTransformer> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads a transformer saved with {@code write().save(path)}.
     *
     * @param path the saved stage's path
     * @return the transformer
     */
    public static TransferModelTransformer load(String path) {
        return read().load(path);
    }

    /**
     * Sets the predicted class name column (default {@code prediction}).
     *
     * @param column the column name
     * @return this transformer
     */
    public TransferModelTransformer setPredictionCol(String column) {
        set(predictionCol, column);
        return this;
    }

    /**
     * Sets the class probabilities column (default {@code probability}).
     *
     * @param column the column name
     * @return this transformer
     */
    public TransferModelTransformer setProbabilityCol(String column) {
        set(probabilityCol, column);
        return this;
    }

    @Override
    List<StructField> outputFields() {
        return List.of(
                DataTypes.createStructField($(predictionCol), DataTypes.StringType, true),
                DataTypes.createStructField($(probabilityCol), SQLDataTypes.VectorType(), true));
    }

    @Override
    PartitionScorer.Output output() {
        return PartitionScorer.Output.PREDICTION;
    }
}
