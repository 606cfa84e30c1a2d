package io.tl4j.core.weights;

import java.nio.ByteBuffer;

/** Copies fixed-width elements between byte buffers, converting their byte order. */
final class ElementBuffers {

    private ElementBuffers() {}

    /**
     * Copies the remaining bytes of {@code source} to the start of {@code target} as elements of
     * {@code width} bytes, converting from the source's byte order to the target's; positions are
     * left as they are.
     */
    static void copy(ByteBuffer source, ByteBuffer target, int width) {
        switch (width) {
            case 1:
                target.duplicate().put(source.duplicate());
                break;
            case 2:
                target.asShortBuffer().put(source.asShortBuffer());
                break;
            case 4:
                target.asIntBuffer().put(source.asIntBuffer());
                break;
            default:
                target.asLongBuffer().put(source.asLongBuffer());
        }
    }
}
