package io.tl4j.core;

/**
 * Tells whether ONNX Runtime, an optional dependency, is on the class path. It names no ONNX Runtime
 * class itself: a class that does (in a catch clause, say) fails to load without it, so the question
 * must be asked from here before {@link OnnxRuntimeSession} is touched.
 */
final class OnnxRuntimeAvailability {

    /** The Maven artifact that puts ONNX Runtime on the class path. */
    static final String ARTIFACT = "com.microsoft.onnxruntime:onnxruntime";

    private OnnxRuntimeAvailability() {}

    /**
     * Tells whether ONNX Runtime's Java API is on the class path.
     *
     * @return whether {@code ai.onnxruntime.OrtSession} can be loaded
     */
    static boolean onClassPath() {
        try {
            Class.forName("ai.onnxruntime.OrtSession", false, OnnxRuntimeAvailability.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
