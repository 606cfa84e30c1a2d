package io.tl4j.vision.models;

/**
 * torchvision's {@code _make_divisible}: widths scaled by a multiplier are rounded to the nearest
 * multiple of 8 (at least 8), and up by 8 more when rounding lost over 10%.
 */
final class ChannelRounding {

    private static final int DIVISOR = 8;

    private ChannelRounding() {}

    /**
     * Rounds a width as torchvision does.
     *
     * @param channels the scaled width
     * @return the rounded width, a multiple of 8
     */
    static int makeDivisible(double channels) {
        int rounded = Math.max(DIVISOR, (int) (channels + DIVISOR / 2.0) / DIVISOR * DIVISOR);
        return rounded < 0.9 * channels ? rounded + DIVISOR : rounded;
    }
}
