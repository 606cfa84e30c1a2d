package io.tl4j.nlp.data;

import io.tl4j.core.data.LabeledData;
import java.util.List;

/**
 * What {@link TextDataReader#readWithReport()} read: the examples and the rows it skipped.
 *
 * @param data the labelled texts
 * @param skipped the rows left out, in file order (empty unless skipping was switched on)
 */
public record TextReadResult(LabeledData<String> data, List<SkippedRow> skipped) {

    /**
     * Creates the result of a read: the labelled texts and the rows left out.
     *
     * @param data the labelled texts
     * @param skipped the rows left out
     */
    public TextReadResult {
        skipped = List.copyOf(skipped);
    }
}
