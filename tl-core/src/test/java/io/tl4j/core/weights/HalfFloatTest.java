package io.tl4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HalfFloatTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void halfToFloatDecodesKnownValues() {
        assertThat(SafeTensors.halfToFloat((short) 0x3e00)).isEqualTo(1.5f);
        assertThat(SafeTensors.halfToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(SafeTensors.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(SafeTensors.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(SafeTensors.halfToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(SafeTensors.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(Float.floatToRawIntBits(SafeTensors.halfToFloat((short) 0x8000)))
                .isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(SafeTensors.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(SafeTensors.halfToFloat((short) 0x7e00)).isNaN();
    }

    @Test
    void halfToFloatAgreesWithTheEngineOnAllBitPatterns() {
        ByteBuffer bytes = ByteBuffer.allocateDirect(2 * 65536).order(ByteOrder.nativeOrder());
        ShortBuffer shorts = bytes.asShortBuffer();
        for (int h = 0; h < 65536; h++) {
            shorts.put((short) h);
        }
        try (NDArray halves = manager.create(bytes, new Shape(65536), DataType.FLOAT16);
                NDArray floats = halves.toType(DataType.FLOAT32, false)) {
            float[] expected = floats.toFloatArray();
            for (int h = 0; h < 65536; h++) {
                float actual = SafeTensors.halfToFloat((short) h);
                if (Float.isNaN(expected[h])) {
                    assertThat(actual).as("bits %04x", h).isNaN();
                } else {
                    assertThat(Float.floatToRawIntBits(actual))
                            .as("bits %04x", h)
                            .isEqualTo(Float.floatToRawIntBits(expected[h]));
                }
            }
        }
    }

    @Test
    void floatToHalfRoundsToNearestEven() {
        assertThat(SafeTensors.floatToHalf(1.5f)).isEqualTo((short) 0x3e00);
        assertThat(SafeTensors.floatToHalf(65504f)).isEqualTo((short) 0x7bff);
        assertThat(SafeTensors.floatToHalf(65519.996f)).isEqualTo((short) 0x7bff);
        assertThat(SafeTensors.floatToHalf(65520f)).isEqualTo((short) 0x7c00);
        assertThat(SafeTensors.floatToHalf(1 + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(SafeTensors.floatToHalf(1 + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        assertThat(SafeTensors.floatToHalf(0x1p-25f)).isEqualTo((short) 0x0000);
        assertThat(SafeTensors.floatToHalf(0x1.8p-25f)).isEqualTo((short) 0x0001);
        assertThat(SafeTensors.floatToHalf(3 * 0x1p-25f)).isEqualTo((short) 0x0002);
        assertThat(SafeTensors.floatToHalf(-Float.MIN_VALUE)).isEqualTo((short) 0x8000);
        assertThat(SafeTensors.floatToHalf(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(SafeTensors.halfToFloat(SafeTensors.floatToHalf(Float.NaN))).isNaN();
    }

    @Test
    void floatToHalfAgreesWithTheEngineOnRandomFloats() {
        Random random = new Random(42);
        int n = 200_000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            // exponents around the half range, mantissas random: hits normals, subnormals,
            // overflow and exact ties
            int exponent = 127 - 30 + random.nextInt(50);
            int mantissa = random.nextBoolean() ? random.nextInt(1 << 23) : random.nextInt(64) << 12;
            int sign = random.nextBoolean() ? 1 << 31 : 0;
            values[i] = Float.intBitsToFloat(sign | exponent << 23 | mantissa);
        }
        try (NDArray floats = manager.create(values);
                NDArray halves = floats.toType(DataType.FLOAT16, false)) {
            ShortBuffer expected = halves.toByteBuffer().asShortBuffer();
            for (int i = 0; i < n; i++) {
                assertThat(SafeTensors.floatToHalf(values[i]))
                        .as("%s", values[i])
                        .isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void halfRoundTripsEveryNonNanBitPattern() {
        for (int h = 0; h < 65536; h++) {
            float value = SafeTensors.halfToFloat((short) h);
            if (!Float.isNaN(value)) {
                assertThat(SafeTensors.floatToHalf(value)).isEqualTo((short) h);
            }
        }
    }

    @Test
    void bfloat16ConvertsAndRoundsToNearestEven() {
        assertThat(SafeTensors.floatToBfloat16((float) Math.PI)).isEqualTo((short) 0x4049);
        assertThat(SafeTensors.bfloat16ToFloat((short) 0x4049)).isEqualTo(3.140625f);
        assertThat(SafeTensors.bfloat16ToFloat((short) 0xc020)).isEqualTo(-2.5f);
        assertThat(SafeTensors.floatToBfloat16(1 + 0x1p-8f)).isEqualTo((short) 0x3f80);
        assertThat(SafeTensors.floatToBfloat16(1 + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
        assertThat(SafeTensors.floatToBfloat16(1 + 0x1.2p-8f)).isEqualTo((short) 0x3f81);
        assertThat(SafeTensors.floatToBfloat16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80);
        assertThat(SafeTensors.bfloat16ToFloat((short) 0x0001)).isEqualTo(0x1p-133f);
        assertThat(SafeTensors.bfloat16ToFloat(SafeTensors.floatToBfloat16(Float.NaN)))
                .isNaN();
        for (int b = 0; b < 65536; b++) {
            float value = SafeTensors.bfloat16ToFloat((short) b);
            if (!Float.isNaN(value)) {
                assertThat(SafeTensors.floatToBfloat16(value)).isEqualTo((short) b);
            }
        }
    }
}
