package io.tl4j.core.weights;

import ai.djl.ndarray.types.DataType;

/** A safetensors dtype, its width in the file and the type of the array it is read into. */
enum SafeTensorsDtype {
    F32(4, DataType.FLOAT32),
    F64(8, DataType.FLOAT64),
    F16(2, DataType.FLOAT32),
    BF16(2, DataType.FLOAT32),
    I64(8, DataType.INT64),
    I32(4, DataType.INT32),
    I16(2, DataType.INT32),
    I8(1, DataType.INT8),
    U8(1, DataType.UINT8),
    BOOL(1, DataType.BOOLEAN);

    final int fileBytes;
    final DataType arrayType;

    SafeTensorsDtype(int fileBytes, DataType arrayType) {
        this.fileBytes = fileBytes;
        this.arrayType = arrayType;
    }

    /** The dtype an array of {@code type} is written as. */
    static SafeTensorsDtype forArray(String name, DataType type) {
        switch (type) {
            case FLOAT32:
                return F32;
            case FLOAT64:
                return F64;
            case FLOAT16:
                return F16;
            case INT64:
                return I64;
            case INT32:
                return I32;
            case INT8:
                return I8;
            case UINT8:
                return U8;
            case BOOLEAN:
                return BOOL;
            default:
                throw new IllegalArgumentException("tensor '"
                        + name
                        + "' has data type "
                        + type
                        + "; writable: float32, float64, float16, int64, int32, int8,"
                        + " uint8, boolean");
        }
    }
}
