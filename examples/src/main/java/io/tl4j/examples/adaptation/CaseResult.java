package io.tl4j.examples.adaptation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test accuracy of every method of one case at one seed, no adaptation first.
 *
 * @param name the case, e.g. "camera, 0 labels/class"
 * @param accuracy test accuracy by method, in the order they ran; the first is no adaptation
 */
public record CaseResult(String name, Map<String, Double> accuracy) {

    /** The name of the baseline method, the first of every case. */
    public static final String NONE = "no adaptation";

    /** Copies the map, keeping its order. */
    public CaseResult {
        accuracy = new LinkedHashMap<>(accuracy);
    }

    /** Returns the baseline's accuracy. */
    public double baseline() {
        return accuracy.get(NONE);
    }

    /** Returns the best method other than the baseline. */
    public String best() {
        String best = null;
        for (Map.Entry<String, Double> e : accuracy.entrySet()) {
            if (!e.getKey().equals(NONE) && (best == null || e.getValue() > accuracy.get(best))) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Returns the best method's accuracy minus the baseline's. */
    public double gain() {
        return accuracy.get(best()) - baseline();
    }
}
