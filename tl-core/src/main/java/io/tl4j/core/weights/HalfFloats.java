package io.tl4j.core.weights;

/**
 * Converts between 16-bit floats (IEEE 754 half precision F16 and bfloat16 BF16) and float32.
 *
 * <p>Widening is exact for every input; narrowing rounds to nearest, ties to even, and keeps NaN a
 * NaN. {@link SafeTensors} exposes these conversions publicly.
 */
final class HalfFloats {

    private HalfFloats() {}

    /** Converts the 16 bits of an F16 value to the same value as a float. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** Converts a float to the 16 bits of the nearest F16 value. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            int nan = mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13);
            return (short) (sign | 0x7c00 | nan);
        }
        int unbiased = exponent - 127;
        if (unbiased > 15) {
            return (short) (sign | 0x7c00);
        }
        if (unbiased >= -14) {
            int half = ((unbiased + 15) << 10) | (mantissa >>> 13);
            return (short) (sign | roundHalfEven(half, mantissa & 0x1fff, 13));
        }
        int shift = -unbiased - 1;
        if (shift > 24) {
            return (short) sign;
        }
        int significand = mantissa | 0x800000;
        int half = significand >>> shift;
        return (short) (sign | roundHalfEven(half, significand & ((1 << shift) - 1), shift));
    }

    /** Converts the 16 bits of a BF16 value to the same value as a float. */
    static float bfloat16ToFloat(short bfloat16) {
        return Float.intBitsToFloat((bfloat16 & 0xffff) << 16);
    }

    /** Converts a float to the 16 bits of the nearest BF16 value. */
    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Rounds {@code truncated}, which dropped the low {@code dropped} bits {@code rest}. */
    private static int roundHalfEven(int truncated, int rest, int dropped) {
        int halfway = 1 << (dropped - 1);
        if (rest > halfway || (rest == halfway && (truncated & 1) == 1)) {
            return truncated + 1;
        }
        return truncated;
    }
}
