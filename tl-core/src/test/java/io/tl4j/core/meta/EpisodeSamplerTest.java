package io.tl4j.core.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpisodeSamplerTest {

    /** Six classes a..f with 10 examples each, except f with 4; input i is "i". */
    private static LabeledData<String> data() {
        List<String> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int[] counts = {10, 10, 10, 10, 10, 4};
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < counts[c]; k++) {
                inputs.add(String.valueOf(inputs.size()));
                labels.add(c);
            }
        }
        return LabeledData.of(
                inputs, labels.stream().mapToInt(Integer::intValue).toArray(), List.of("a", "b", "c", "d", "e", "f"));
    }

    @Test
    void episodeHasWaysDistinctClassesWithShotsAndQueriesOfEachAndNoExampleTwice() {
        LabeledData<String> data = data();
        EpisodeSampler sampler = new EpisodeSampler(data, 4, 2, 2, 1);
        for (int n = 0; n < 20; n++) {
            Episode episode = sampler.next();
            assertThat(episode.ways()).isEqualTo(4);
            assertThat(new HashSet<>(episode.classes())).hasSize(4);
            assertThat(episode.support()).hasSize(8);
            assertThat(episode.query()).hasSize(8);
            Set<Integer> seen = new HashSet<>();
            for (int i : episode.indices()) {
                assertThat(seen.add(i)).as("example %d twice", i).isTrue();
            }
            long[] supportLabels = episode.supportLabels();
            for (int s = 0; s < supportLabels.length; s++) {
                int sourceClass = episode.classes().get((int) supportLabels[s]);
                assertThat(data.label(episode.support()[s])).isEqualTo(sourceClass);
            }
            long[] queryLabels = episode.queryLabels();
            assertThat(queryLabels).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
            for (int q = 0; q < queryLabels.length; q++) {
                int sourceClass = episode.classes().get((int) queryLabels[q]);
                assertThat(data.label(episode.query()[q])).isEqualTo(sourceClass);
            }
        }
        assertThat(sampler.episodeSize()).isEqualTo(16);
    }

    @Test
    void sameSeedGivesSameEpisodesAndAnotherSeedOthers() {
        LabeledData<String> data = data();
        EpisodeSampler a = new EpisodeSampler(data, 3, 2, 1, 7);
        EpisodeSampler b = new EpisodeSampler(data, 3, 2, 1, 7);
        EpisodeSampler c = new EpisodeSampler(data, 3, 2, 1, 8);
        boolean differs = false;
        for (int n = 0; n < 5; n++) {
            Episode x = a.next();
            Episode y = b.next();
            Episode z = c.next();
            assertThat(x.indices()).containsExactly(y.indices());
            assertThat(x.classes()).isEqualTo(y.classes());
            differs |= !Arrays.equals(x.indices(), z.indices());
        }
        assertThat(differs).isTrue();
    }

    @Test
    void moreWaysThanClassesIsRefusedWithTheCounts() {
        assertThatThrownBy(() -> new EpisodeSampler(data(), 7, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7 ways")
                .hasMessageContaining("has 6");
    }

    @Test
    void aClassTooSmallForShotsAndQueriesIsNamedWithTheCounts() {
        assertThatThrownBy(() -> new EpisodeSampler(data(), 2, 3, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Class 'f' has 4 examples")
                .hasMessageContaining("3 shots + 2 queries = 5");
    }

    @Test
    void episodeShapeBelowOneOfEachIsRefused() {
        assertThatThrownBy(() -> new EpisodeSampler(data(), 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 ways");
        assertThatThrownBy(() -> new EpisodeSampler(data(), 2, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 shots");
    }
}
