package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The quick start on a reduced text configuration (8 e-mails per class, 100 held out; the speech
 * part as in {@code main}): every method learns the task, and LoRA trains under 1 % of the
 * parameters full fine-tuning trains.
 */
class MetaAndLoraQuickStartTest {

    @Test
    void everyMethodLearnsAndLoraTrainsUnderOnePercentOfTheParameters() {
        MetaAndLoraQuickStart.Result r = MetaAndLoraQuickStart.run(new MetaAndLoraQuickStart.Config(1, 8, 100));
        // five words: chance is 0.2
        assertThat(r.speech().protoMeta()).isGreaterThan(0.5);
        assertThat(r.speech().protoStandard()).isGreaterThan(0.5);
        assertThat(r.speech().fineTune()).isGreaterThan(0.5);
        // two classes: chance is 0.5
        assertThat(r.lora()).isGreaterThan(0.6);
        assertThat(r.full()).isGreaterThan(0.6);
        assertThat(r.loraParams()).isPositive().isLessThan(r.fullParams() / 100);
    }
}
