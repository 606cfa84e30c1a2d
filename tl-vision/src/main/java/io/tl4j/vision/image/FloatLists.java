package io.tl4j.vision.image;

import java.util.ArrayList;
import java.util.List;

/** Converts per-channel float arrays to and from the lists that pipeline configurations hold. */
final class FloatLists {

    private FloatLists() {}

    /** Returns the values as an unmodifiable list. */
    static List<Float> of(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return List.copyOf(list);
    }

    /** Returns the list's values as an array. */
    static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
