package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The text-source shift of {@link ServingQuickStart}'s drift phase over many profile/traffic splits, without the
 * server: the quick start's spam model (all-MiniLM-L6-v2, 64 tokens, linear head on 32 e-mails per class) computes its
 * probabilities and head features once for the 700 validation e-mails, the 636 untrained ones and the 699 State of the
 * Union passages; then {@value #SPLITS} times the validation e-mails are split at random into a profile of {@value
 * ServingEmails#PROFILED} and the rest, and a monitor with the defaults (window 500) gets {@value #IN_DISTRIBUTION}
 * e-mails drawn with replacement from that rest and the untrained ones (936), then the passages in a random order
 * until its next alert. Asserted: no split alerts on the e-mails, and every split alerts within {@value
 * #ALERT_WITHIN} passages. The rows are checked first to be what the served model's own monitor reads (same
 * statistics on the same traffic).
 */
@Tag("slow")
class TextSourceDriftSplitsTest {

    private static final int SPLITS = 50;
    private static final int IN_DISTRIBUTION = 5000;
    private static final int WINDOW = DriftMonitor.DEFAULT_WINDOW;
    private static final int ALERT_WITHIN = 400;

    /** The probabilities and head features of a set of texts. */
    private record Rows(float[][] probabilities, float[][] features) {}

    /** One split: alerts over the e-mails, passages until the next alert (-1: none in three windows), its statistic. */
    private record Run(int falseAlarms, int detectedAfter, String statistic) {}

    @Test
    void noSplitAlertsOnHeldOutEmailsAndEverySplitAlertsOnStateOfTheUnionPassages() {
        ServingEmails split = ServingEmails.of(32);
        LabeledData<String> sotu = SotuData.load();
        Rows emails;
        Rows untrained;
        Rows passages;
        try (BertEncoder minilm = Bert.allMiniLmL6V2();
                Backbone<String> backbone = minilm.backbone(Pooling.MEAN, 64);
                TransferModel<String> model = ServingQuickStart.learner(backbone)
                        .validationData(split.profile())
                        .fit(split.train());
                FrozenFeatures<String> encoder = FrozenFeatures.of(backbone, 1)) {
            emails = new Rows(model.probabilities(split.validation().inputs()), encoder.extract(split.validation()));
            untrained = new Rows(model.probabilities(split.untrained().inputs()), encoder.extract(split.untrained()));
            passages = new Rows(model.probabilities(sotu.inputs()), encoder.extract(sotu));
            // the rows are what the served model's fit-time profile and monitor read
            int[] traffic = range(ServingEmails.PROFILED, split.validation().size());
            DriftMonitor own = new DriftMonitor(model.referenceProfile().orElseThrow());
            DriftMonitor mine = new DriftMonitor(profile(emails, range(0, ServingEmails.PROFILED)));
            model.probabilities(split.validation().subset(traffic).inputs(), own);
            model.probabilities(split.untrained().subset(range(0, 200)).inputs(), own);
            model.probabilities(sotu.subset(range(0, 100)).inputs(), own);
            for (int i : traffic) {
                mine.observe(emails.probabilities()[i], emails.features()[i]);
            }
            for (int i = 0; i < 200; i++) {
                mine.observe(untrained.probabilities()[i], untrained.features()[i]);
            }
            for (int i = 0; i < 100; i++) {
                mine.observe(passages.probabilities()[i], passages.features()[i]);
            }
            assertThat(mine.status().classPsi()).isCloseTo(own.status().classPsi(), within(1e-3));
            assertThat(mine.status().confidencePsi()).isCloseTo(own.status().confidencePsi(), within(1e-3));
            assertThat(mine.status().featureShift()).isCloseTo(own.status().featureShift(), within(1e-3));
        }
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < SPLITS; s++) {
            runs.add(run(emails, untrained, passages, s));
        }
        int[] detected = runs.stream().mapToInt(Run::detectedAfter).sorted().toArray();
        Map<String, Integer> statistics = new TreeMap<>();
        runs.forEach(r -> statistics.merge(r.statistic(), 1, Integer::sum));
        System.out.printf(
                Locale.ROOT,
                "%d splits: %d with a false alarm over %d e-mails; State of the Union passages to the alert: min %d,"
                        + " median %d, max %d; first statistic %s%n",
                SPLITS,
                runs.stream().filter(r -> r.falseAlarms() > 0).count(),
                IN_DISTRIBUTION,
                detected[0],
                detected[detected.length / 2],
                detected[detected.length - 1],
                statistics);
        assertThat(runs)
                .as("alerts over the held-out e-mails")
                .allSatisfy(r -> assertThat(r.falseAlarms()).isZero());
        assertThat(runs)
                .as("passages to the alert")
                .allSatisfy(r -> assertThat(r.detectedAfter()).isBetween(1, ALERT_WITHIN));
    }

    private static Run run(Rows emails, Rows untrained, Rows passages, long seed) {
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>(
                IntStream.range(0, emails.probabilities().length).boxed().toList());
        Collections.shuffle(order, random);
        int[] profiled = order.subList(0, ServingEmails.PROFILED).stream()
                .mapToInt(Integer::intValue)
                .toArray();
        List<Integer> traffic = order.subList(ServingEmails.PROFILED, order.size());
        int pool = traffic.size() + untrained.probabilities().length;
        DriftMonitor monitor = new DriftMonitor(profile(emails, profiled));
        for (int i = 0; i < IN_DISTRIBUTION; i++) {
            int draw = random.nextInt(pool);
            Rows rows = draw < traffic.size() ? emails : untrained;
            int row = draw < traffic.size() ? traffic.get(draw) : draw - traffic.size();
            monitor.observe(rows.probabilities()[row], rows.features()[row]);
        }
        int falseAlarms = monitor.alerts().size();
        List<Integer> shifted = new ArrayList<>(
                IntStream.range(0, passages.probabilities().length).boxed().toList());
        Collections.shuffle(shifted, random);
        for (int sent = 1; sent <= 3 * WINDOW; sent++) {
            int row = shifted.get((sent - 1) % shifted.size());
            monitor.observe(passages.probabilities()[row], passages.features()[row]);
            if (monitor.alerts().size() > falseAlarms) {
                return new Run(
                        falseAlarms, sent, monitor.alerts().get(falseAlarms).statistic());
            }
        }
        return new Run(falseAlarms, -1, "none");
    }

    private static ReferenceProfile profile(Rows rows, int[] indices) {
        float[][] p = new float[indices.length][];
        float[][] f = new float[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            p[i] = rows.probabilities()[indices[i]];
            f[i] = rows.features()[indices[i]];
        }
        return ReferenceProfile.of(p, f);
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }
}
