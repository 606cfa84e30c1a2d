package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HiddenStatesTest {

    @Test
    void packPadsWithZerosAndKeepsTheMaskAsTheLastChannel() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray hidden = m.arange(1f, 13f).reshape(2, 3, 2);
            NDArray mask = m.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(2, 3));
            NDArray packed = HiddenStates.pack(hidden, mask, 5);
            assertThat(packed.getShape()).isEqualTo(new Shape(2, 5, 3));
            assertThat(HiddenStates.hidden(packed).toFloatArray())
                    .containsExactly(1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0);
            assertThat(HiddenStates.mask(packed).toFloatArray()).containsExactly(1, 1, 1, 0, 0, 1, 0, 0, 0, 0);
            assertThat(HiddenStates.activeLength(HiddenStates.mask(packed))).isEqualTo(3);
        }
    }

    @Test
    void theNextLayerTakesTheActiveLengthFromPackNotFromTheDevice() throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            // a mask that says 1 on purpose, to see which of the two answers activeLengthOf gives
            NDArray hidden = m.zeros(new Shape(1, 3, 2));
            NDArray mask = m.create(new float[] {1, 0, 0}, new Shape(1, 3));
            NDArray packed = HiddenStates.pack(hidden, mask, 4);
            assertThat(HiddenStates.activeLengthOf(packed))
                    .as("remembered from pack")
                    .isEqualTo(3);
            assertThat(HiddenStates.activeLengthOf(packed.duplicate()))
                    .as("another array: read from its mask")
                    .isEqualTo(1);
            AtomicLong onOtherThread = new AtomicLong();
            Thread other = new Thread(() -> onOtherThread.set(HiddenStates.activeLengthOf(packed)));
            other.start();
            other.join();
            assertThat(onOtherThread.get())
                    .as("another thread: read from the mask")
                    .isEqualTo(1);
        }
    }
}
