package io.tl4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The settings and the execution shared by tl-spark's stages: which saved model, which input column, the batch of
 * each forward pass, the error column and whether a bad row fails the job. The stages save their settings with
 * Spark's default parameter writer, so they load inside a {@code PipelineModel}; the model directory itself is
 * referenced, not copied.
 *
 * @param <S> the stage's own type, which its setters return
 */
public abstract class ModelStage<S extends ModelStage<S>> extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelDirectory;
    private final Param<String> inputCol;
    private final BooleanParam pathInput;
    private final IntParam batchSize;
    private final Param<String> errorCol;
    private final BooleanParam failOnError;

    ModelStage(String uid) {
        this.uid = uid;
        modelDirectory = new Param<>(this, "modelDirectory", "the saved tl4j model directory");
        inputCol = new Param<>(this, "inputCol", "the input column");
        pathInput = new BooleanParam(this, "pathInput", "whether a string input is a file path rather than text");
        batchSize = new IntParam(this, "batchSize", "the rows of one forward pass");
        errorCol = new Param<>(this, "errorCol", "the column that says why a row has no output");
        failOnError = new BooleanParam(this, "failOnError", "whether a bad row fails the job");
        setDefault(inputCol, "input");
        setDefault(pathInput, false);
        setDefault(batchSize, 32);
        setDefault(errorCol, "error");
        setDefault(failOnError, false);
    }

    /**
     * Returns the parameter that names the saved model directory; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public Param<String> modelDirectory() {
        return modelDirectory;
    }

    /**
     * Returns the parameter that names the input column; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public Param<String> inputCol() {
        return inputCol;
    }

    /**
     * Returns the parameter that says whether a string input is a file path; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public BooleanParam pathInput() {
        return pathInput;
    }

    /**
     * Returns the parameter that sets the rows of one forward pass; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public IntParam batchSize() {
        return batchSize;
    }

    /**
     * Returns the parameter that names the error column; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public Param<String> errorCol() {
        return errorCol;
    }

    /**
     * Returns the parameter that says whether a bad row fails the job; Spark finds a stage's parameters through such public methods.
     *
     * @return the parameter
     */
    public BooleanParam failOnError() {
        return failOnError;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Returns the columns this stage appends before the error column, with their types. */
    abstract List<StructField> outputFields();

    /** Returns what the stage computes. */
    abstract PartitionScorer.Output output();

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelDirectory)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + uid + " has no model directory");
        }
        InputValues.requireReadable(schema, $(inputCol));
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        List<StructField> added = new ArrayList<>(outputFields());
        added.add(DataTypes.createStructField($(errorCol), DataTypes.StringType, true));
        for (StructField field : added) {
            if (List.of(schema.fieldNames()).contains(field.name())) {
                throw new IllegalArgumentException("Output column '" + field.name() + "' already exists");
            }
            fields.add(field);
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> frame = dataset.toDF();
        PartitionScorer scorer = new PartitionScorer(
                $(modelDirectory),
                frame.schema().fieldIndex($(inputCol)),
                (Boolean) $(pathInput),
                (Integer) $(batchSize),
                (Boolean) $(failOnError),
                output());
        return frame.sparkSession().createDataFrame(frame.javaRDD().mapPartitions(scorer), out);
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    @Override
    public Transformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /**
     * Sets the saved model directory: a path every executor can read, or one shipped with {@code
     * SparkContext.addFile(dir, true)}.
     *
     * @param directory the directory {@code TransferModel.save} wrote
     * @return this stage
     */
    public S setModelDirectory(String directory) {
        set(modelDirectory, directory);
        return self();
    }

    /**
     * Sets the input column (default {@code input}).
     *
     * @param column a string, binary, array of floats or doubles, or vector column
     * @return this stage
     */
    public S setInputCol(String column) {
        set(inputCol, column);
        return self();
    }

    /**
     * Sets whether a string input names a file (image, audio) rather than being text (default false).
     *
     * @param paths true for file paths
     * @return this stage
     */
    public S setPathInput(boolean paths) {
        set(pathInput, paths);
        return self();
    }

    /**
     * Sets the rows of one forward pass (default 32).
     *
     * @param rows at least 1
     * @return this stage
     */
    public S setBatchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("The batch size must be at least 1, got " + rows);
        }
        set(batchSize, rows);
        return self();
    }

    /**
     * Sets the column that says why a row has no output (default {@code error}).
     *
     * @param column the column name
     * @return this stage
     */
    public S setErrorCol(String column) {
        set(errorCol, column);
        return self();
    }

    /**
     * Sets whether a row that cannot be scored fails the job instead of getting nulls and an error (default false).
     *
     * @param fail true to fail the job
     * @return this stage
     */
    public S setFailOnError(boolean fail) {
        set(failOnError, fail);
        return self();
    }
}
