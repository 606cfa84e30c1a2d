package io.tl4j.it;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a user's first program does with tl4j as a dependency: loads MiniLM from its Maven jar, fine-tunes a head on a
 * few texts, saves, reloads and classifies. Exits non-zero when any step misbehaves.
 */
public final class Consumer {

    private Consumer() {}

    /**
     * Runs the check.
     *
     * @param args unused
     * @throws Exception when a step fails
     */
    public static void main(String[] args) throws Exception {
        List<String> texts = List.of(
                "the match ended with a late goal",
                "the striker scored twice in the final",
                "fans cheered as the team won the cup",
                "the coach praised the defence after the game",
                "the bank raised interest rates again",
                "stocks fell as inflation data surprised markets",
                "the central bank held rates steady",
                "investors sold bonds after the announcement");
        int[] labels = {0, 0, 0, 0, 1, 1, 1, 1};
        LabeledData<String> data = LabeledData.of(texts, labels, List.of("sport", "finance"));
        Path dir = Files.createTempDirectory("tl4j-consumer");
        try (BertEncoder minilm = Bert.allMiniLmL6V2();
                Backbone<String> backbone = minilm.backbone(Pooling.MEAN, 32);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .epochs(30)
                        .learningRate(1e-2f)
                        .progressBar(false)
                        .fit(data)) {
            model.save(dir);
            try (TransferModel<String> loaded = TransferModel.load(dir)) {
                List<String> probes = List.of("the goalkeeper saved a penalty", "the bank cut interest rates");
                int[] before = model.predict(probes);
                int[] after = loaded.predict(probes);
                System.out.println("CONSUMER predictions " + loaded.classNames().get(after[0]) + ", "
                        + loaded.classNames().get(after[1]));
                if (before[0] != after[0] || before[1] != after[1]) {
                    throw new IllegalStateException("the reloaded model predicts differently");
                }
                if (after[0] != 0 || after[1] != 1) {
                    throw new IllegalStateException("wrong classes: " + after[0] + ", " + after[1]);
                }
            }
        }
        System.out.println("CONSUMER OK");
    }
}
