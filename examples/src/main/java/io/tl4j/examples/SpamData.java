package io.tl4j.examples;

import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.data.TextData;
import io.tl4j.nlp.data.TextFormat;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Reads the spam task that {@link NlpQuickStart} and the text learning curve share: the vendored
 * SpamAssassin e-mail bodies (PDDL/CC0), labelled ham or spam.
 */
final class SpamData {

    private SpamData() {}

    /**
     * Reads every vendored e-mail body with its label, classes {@code ham} and {@code spam}.
     *
     * @return the e-mails
     */
    static LabeledData<String> load() {
        return TextData.resource(TextFormat.JSONL, NlpQuickStart.class, "spam/messages.jsonl.gz")
                .text("body")
                .label("label")
                .classes("ham", "spam")
                .read();
    }

    /**
     * Returns the same examples sorted by length, so that batches of similar lengths pad little.
     *
     * @param data labelled texts
     * @return the same texts, shortest first
     */
    static LabeledData<String> byLength(LabeledData<String> data) {
        return data.subset(IntStream.range(0, data.size())
                .boxed()
                .sorted(Comparator.comparingInt(i -> data.input(i).length()))
                .mapToInt(i -> i)
                .toArray());
    }
}
