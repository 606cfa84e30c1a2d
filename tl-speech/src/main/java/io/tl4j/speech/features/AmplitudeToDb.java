package io.tl4j.speech.features;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Power to decibels as torchaudio's {@code transforms.AmplitudeToDB(stype="power", top_db)}:
 * {@code 10 log10(max(x, 1e-10))}, then values more than {@code topDb} below the maximum are
 * raised to it. The maximum is taken per example (torchaudio takes it over whatever 3-D block it is
 * given, which for a batched 3-D input is the whole batch; per example keeps a clip's features
 * independent of its batch mates, and equals torchaudio on each clip alone).
 */
public final class AmplitudeToDb {

    private static final float AMIN = 1e-10f;

    private AmplitudeToDb() {}

    /**
     * Converts power values to dB, clamped to a dynamic range below each example's maximum.
     *
     * @param power power values, shape (batch, ...)
     * @param topDb dynamic range kept below each example's maximum; {@code <= 0} for no clamping
     * @return the values in dB, same shape
     */
    public static NDArray powerToDb(NDArray power, float topDb) {
        NDArray db = power.maximum(AMIN).log10().mul(10f);
        if (topDb <= 0) {
            return db;
        }
        NDArray floor =
                db.reshape(db.getShape().get(0), -1).max(new int[] {1}, true).sub(topDb);
        long[] ones = new long[db.getShape().dimension()];
        Arrays.fill(ones, 1);
        ones[0] = db.getShape().get(0);
        return db.maximum(floor.reshape(ones));
    }
}
