package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BertLayerSlicingTest {

    private static int slice(BertConfig config, long tokens) {
        return new BertLayer(config).examplesPerSlice(tokens);
    }

    @Test
    void slicesAreSizedByTheActiveLengthNotThePadding() {
        BertConfig miniLm = BertConfig.of(30522, 384, 6, 12, 1536);
        try (NDManager m = NDManager.newBaseManager()) {
            // 16 texts padded to 512 positions whose longest has 100 tokens
            NDArray mask = m.ones(new Shape(16, 100)).concat(m.zeros(new Shape(16, 412)), 1);
            NDArray packed = m.zeros(new Shape(16, 512, 384)).concat(mask.expandDims(2), 2);
            assertThat(new BertLayer(miniLm).examplesPerSlice(new NDList(packed)))
                    .isEqualTo(slice(miniLm, 100));
            assertThat(slice(miniLm, 100)).isGreaterThanOrEqualTo(16);
            assertThat(slice(miniLm, 512)).isEqualTo(2);
        }
    }

    @Test
    void longTextsRunTwoAtATimeAndShortOnesInOneBatch() {
        BertConfig miniLm = BertConfig.of(30522, 384, 6, 12, 1536);
        // 12 heads x 512 x 512 floats = 12.6 MB per text: two fit the 32 MiB budget
        assertThat(slice(miniLm, 512)).isEqualTo(2);
        assertThat(slice(miniLm, 256)).isEqualTo(10);
        assertThat(slice(miniLm, 128)).isGreaterThanOrEqualTo(16);
    }

    @Test
    void theFeedForwardWidthBoundsTheSliceWhenItIsTheLargerArray() {
        // 2 heads: the attention map (2 x 512 x 512 floats, 2 MiB) is smaller than 512 x 8192 floats (16 MiB)
        assertThat(slice(BertConfig.of(100, 64, 1, 2, 8192), 512)).isEqualTo(2);
        assertThat(slice(BertConfig.of(100, 64, 1, 2, 65536), 512)).isEqualTo(1);
    }
}
