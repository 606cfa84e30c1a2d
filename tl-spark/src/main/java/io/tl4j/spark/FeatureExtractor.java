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
 * A Spark ML transformer that appends the frozen backbone's flattened features, as an ML vector, for the backbone
 * of a saved tl4j model; the features are what a linear head reads, so an MLlib classifier fitted on them imports
 * back with {@link MllibHeads}. The backbone loads once per executor JVM.
 */
public final class FeatureExtractor extends ModelStage<FeatureExtractor> {

    private static final long serialVersionUID = 1L;

    private final Param<String> embeddingCol;

    /** Creates an extractor with a random uid. */
    public FeatureExtractor() {
        this(Identifiable.randomUID("tl4jFeatureExtractor"));
    }

    /**
     * Creates an extractor with a given uid, as Spark's reader does.
     *
     * @param uid the stage's unique id
     */
    public FeatureExtractor(String uid) {
        super(uid);
        embeddingCol = new Param<>(this, "embeddingCol", "the embedding column");
        setDefault(embeddingCol, "embedding");
    }

    /**
     * Returns the parameter that names the embedding column; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public Param<String> embeddingCol() {
        return embeddingCol;
    }

    /**
     * Returns the reader that loads a saved extractor, for {@code PipelineModel.load}.
     *
     * @return the reader
     */
    public static MLReader<FeatureExtractor> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads an extractor saved with {@code write().save(path)}.
     *
     * @param path the saved stage's path
     * @return the extractor
     */
    public static FeatureExtractor load(String path) {
        return read().load(path);
    }

    /**
     * Sets the embedding column (default {@code embedding}).
     *
     * @param column the column name
     * @return this extractor
     */
    public FeatureExtractor setEmbeddingCol(String column) {
        set(embeddingCol, column);
        return this;
    }

    @Override
    List<StructField> outputFields() {
        return List.of(DataTypes.createStructField($(embeddingCol), SQLDataTypes.VectorType(), true));
    }

    @Override
    PartitionScorer.Output output() {
        return PartitionScorer.Output.EMBEDDING;
    }
}
