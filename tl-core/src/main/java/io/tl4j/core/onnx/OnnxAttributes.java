package io.tl4j.core.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The attributes of one ONNX node (an {@code AttributeProto} each): integers, integer lists and
 * (within this package) tensors, in the order they are added.
 */
public final class OnnxAttributes {

    private static final int INT = 2;
    private static final int TENSOR = 4;
    private static final int INTS = 7;

    private final List<ProtoWriter> attributes = new ArrayList<>();

    private OnnxAttributes() {}

    /** Returns an empty set of attributes. */
    public static OnnxAttributes of() {
        return new OnnxAttributes();
    }

    /**
     * Adds an integer attribute, e.g. a {@code Softmax}'s {@code axis}.
     *
     * @param name the attribute's name
     * @param value its value
     * @return this
     */
    public OnnxAttributes integer(String name, long value) {
        attributes.add(new ProtoWriter().string(1, name).varint(3, value).varint(20, INT));
        return this;
    }

    /**
     * Adds an integer-list attribute, e.g. a {@code Transpose}'s {@code perm}.
     *
     * @param name the attribute's name
     * @param values its values
     * @return this
     */
    public OnnxAttributes integers(String name, long... values) {
        attributes.add(new ProtoWriter().string(1, name).packed(8, values).varint(20, INTS));
        return this;
    }

    /** Adds a tensor attribute (a {@code TensorProto}), e.g. a {@code Constant}'s {@code value}. */
    OnnxAttributes tensor(String name, ProtoWriter tensor) {
        attributes.add(new ProtoWriter().string(1, name).message(5, tensor).varint(20, TENSOR));
        return this;
    }

    /** Writes every attribute into a {@code NodeProto} under field 5. */
    void writeTo(ProtoWriter node) {
        attributes.forEach(a -> node.message(5, a));
    }
}
