package io.tl4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** Both sides of the log-mel benchmark compute the same standardised features. */
class LogMelTest {

    @Test
    void naiveJavaEqualsTheBatchedPipeline() {
        LogMel.Data d = new LogMel.Data();
        d.batch = 3;
        d.device = "cpu";
        d.setup();
        try {
            NDArray tl4j = d.pipeline.batch(d.manager, d.clips, false, null).head();
            NDArray naive = d.naive.compute(d.waves, d.manager);
            assertThat(naive.getShape()).isEqualTo(tl4j.getShape());
            assertThat(naive.toFloatArray()).containsExactly(tl4j.toFloatArray(), within(2e-3f));
        } finally {
            d.tearDown();
        }
    }
}
