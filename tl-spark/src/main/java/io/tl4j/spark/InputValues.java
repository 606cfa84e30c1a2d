package io.tl4j.spark;

import java.nio.file.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Turns a DataFrame cell into the raw input of a tl4j pipeline: a string column gives text (or a file path, when
 * asked), a binary column the file's bytes, an array of floats or doubles and an ML vector a {@code float[]}.
 */
final class InputValues {

    private InputValues() {}

    /**
     * Checks that a column exists and has a type this module reads.
     *
     * @param schema the input schema
     * @param column the column's name
     * @throws IllegalArgumentException naming the column and its type otherwise
     */
    static void requireReadable(StructType schema, String column) {
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("Input column '" + column + "' is not among " + schema.simpleString());
        }
        DataType type = schema.apply(column).dataType();
        boolean readable = type instanceof StringType
                || type instanceof BinaryType
                || "vector".equals(type.typeName())
                || (type instanceof ArrayType a
                        && (a.elementType() instanceof FloatType || a.elementType() instanceof DoubleType));
        if (!readable) {
            throw new IllegalArgumentException("Input column '" + column + "' has type " + type.simpleString()
                    + "; tl-spark reads string, binary, array<float>, array<double> or vector columns");
        }
    }

    /**
     * Reads one cell.
     *
     * @param row the row
     * @param index the column's index
     * @param paths whether a string is a file path rather than text
     * @return the raw input
     * @throws IllegalArgumentException for a null, an empty string or a null array element, saying which
     */
    static Object read(Row row, int index, boolean paths) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("the input is null");
        }
        Object value = row.get(index);
        if (value instanceof String s) {
            if (s.isBlank()) {
                throw new IllegalArgumentException("the input is an empty string");
            }
            return paths ? Path.of(s) : s;
        }
        if (value instanceof byte[] bytes) {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("the input has no bytes");
            }
            return bytes;
        }
        if (value instanceof Vector v) {
            return toFloats(v.toArray());
        }
        Seq<?> seq = (Seq<?>) value;
        float[] floats = new float[seq.size()];
        for (int i = 0; i < floats.length; i++) {
            Object element = seq.apply(i);
            if (element == null) {
                throw new IllegalArgumentException("element " + i + " of the input array is null");
            }
            floats[i] = ((Number) element).floatValue();
        }
        return floats;
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
