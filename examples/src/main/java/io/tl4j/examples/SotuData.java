package io.tl4j.examples;

import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.data.TextData;
import io.tl4j.nlp.data.TextFormat;

/**
 * Reads the second text source of the serving drift phase: 699 vendored passages of US State of the Union addresses
 * (1790-2021, public domain; three passages of 300-800 characters from each of the 233 addresses), prose unlike the
 * spam task's e-mails.
 */
final class SotuData {

    private SotuData() {}

    /**
     * Reads every vendored passage, labelled with the party of the president who gave the address (the classes are
     * the parties, sorted; nothing here is trained on them).
     *
     * @return the passages, in the order of the addresses
     */
    static LabeledData<String> load() {
        return TextData.resource(TextFormat.JSONL, SotuData.class, "sotu/passages.jsonl.gz")
                .text("text")
                .label("party")
                .read();
    }
}
