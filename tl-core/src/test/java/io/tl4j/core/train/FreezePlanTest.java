package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreezePlanTest {

    private static final List<String> LAYERS = List.of("stem", "block1", "block2", "pool");

    @Test
    void freezingUntilALayerFreezesTheStagesBeforeItRunsThemInInferenceModeAndCachesTheirOutput() {
        EpochFreezing f =
                FreezePlan.of(LAYERS, true, Set.of("stem", "block1"), 0, true).at(1);
        assertThat(f.frozen()).containsExactly("stem", "block1");
        assertThat(f.stageTraining()).containsExactly(false, false, true, true);
        assertThat(f.prefix()).isEqualTo(2);
        assertThat(f.cached()).isTrue();
        assertThat(f.training()).isTrue();
    }

    @Test
    void freezingAllMakesTheWholeBackboneThePrefixAndFreezingNoneCachesNothing() {
        EpochFreezing all =
                FreezePlan.of(LAYERS, true, Set.copyOf(LAYERS), 0, true).at(1);
        assertThat(all.prefix()).isEqualTo(4);
        assertThat(all.stageTraining()).containsOnly(false);
        assertThat(all.cached()).isTrue();

        EpochFreezing none = FreezePlan.of(LAYERS, true, Set.of(), 0, true).at(1);
        assertThat(none.prefix()).isZero();
        assertThat(none.stageTraining()).containsOnly(true);
        assertThat(none.cached()).isFalse();
    }

    @Test
    void aFrozenLayerAfterATrainingOneRunsInInferenceModeButIsNotPartOfTheCachedPrefix() {
        EpochFreezing f =
                FreezePlan.of(LAYERS, true, Set.of("block1", "pool"), 0, true).at(1);
        assertThat(f.stageTraining()).containsExactly(true, false, true, false);
        assertThat(f.prefix()).isZero();
        assertThat(f.cached()).isFalse();
    }

    @Test
    void gradualUnfreezingThawsTheLastFrozenLayerEveryFewEpochsAndNeverCaches() {
        FreezePlan plan = FreezePlan.of(LAYERS, true, Set.of("stem", "block1", "block2"), 2, true);
        assertThat(plan.at(1).frozen()).containsExactly("stem", "block1", "block2");
        assertThat(plan.at(2).frozen()).containsExactly("stem", "block1", "block2");
        assertThat(plan.at(3).frozen()).containsExactly("stem", "block1");
        assertThat(plan.at(5).frozen()).containsExactly("stem");
        assertThat(plan.at(7).frozen()).isEmpty();
        assertThat(plan.at(99).frozen()).isEmpty();
        assertThat(plan.at(3).prefix()).isEqualTo(2);
        for (int epoch = 1; epoch <= 8; epoch++) {
            assertThat(plan.at(epoch).cached()).isFalse();
        }
    }

    @Test
    void theCacheNeedsTheUsersConsentAndAPipelineWithoutRandomness() {
        assertThat(FreezePlan.of(LAYERS, true, Set.of("stem"), 0, false).at(1).cached())
                .isFalse();
    }

    @Test
    void anUnstagedBackboneIsOneStageThatIsThePrefixOnlyWhenWhollyFrozen() {
        EpochFreezing part =
                FreezePlan.of(LAYERS, false, Set.of("stem"), 0, true).at(1);
        assertThat(part.stageTraining()).containsExactly(false);
        assertThat(part.prefix()).isZero();
        assertThat(part.cached()).isFalse();

        EpochFreezing whole =
                FreezePlan.of(LAYERS, false, Set.copyOf(LAYERS), 0, true).at(1);
        assertThat(whole.prefix()).isEqualTo(1);
        assertThat(whole.cached()).isTrue();
    }

    @Test
    void theInferencePlanRunsEveryStageAndTheHeadInInferenceModeWithoutCache() {
        EpochFreezing f = FreezePlan.inference(LAYERS, true).inference();
        assertThat(f.stageTraining()).hasSize(4).containsOnly(false);
        assertThat(f.training()).isFalse();
        assertThat(f.cached()).isFalse();
        assertThat(f.frozen()).containsExactlyElementsOf(LAYERS);
    }

    @Test
    void anUnknownFrozenLayerIsRefusedWithTheBackbonesLayers() {
        assertThatThrownBy(() -> FreezePlan.of(LAYERS, true, Set.of("block9"), 0, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[block9]")
                .hasMessageContaining("[stem, block1, block2, pool]");
    }
}
