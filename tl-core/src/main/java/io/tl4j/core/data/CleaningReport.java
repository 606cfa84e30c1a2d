package io.tl4j.core.data;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The result of {@link DataCleaner#clean(LabeledData)}: the remaining data and the removed
 * examples.
 *
 * @param data the remaining examples, in their original order
 * @param removed the removed examples, ordered by index in the cleaned data set
 * @param <I> the input type
 */
public record CleaningReport<I>(LabeledData<I> data, List<Issue> removed) {

    private static final int SHOWN_ISSUES = 5;

    /**
     * Copies the list of removed examples.
     *
     * @param data the remaining examples
     * @param removed the removed examples
     */
    public CleaningReport {
        Objects.requireNonNull(data, "data");
        removed = List.copyOf(removed);
    }

    /**
     * Returns the number of removed duplicates (copies after the first, with the same label).
     *
     * @return the duplicate count
     */
    public int duplicates() {
        return count(Issue.Kind.DUPLICATE);
    }

    /**
     * Returns the number of examples removed because an identical input has a different label.
     *
     * @return the conflicting-label count
     */
    public int conflicts() {
        return count(Issue.Kind.CONFLICTING_LABELS);
    }

    /**
     * Returns the number of examples a validator rejected.
     *
     * @return the invalid count
     */
    public int invalid() {
        return count(Issue.Kind.INVALID);
    }

    /**
     * Returns the number of examples whose file is missing.
     *
     * @return the missing count
     */
    public int missing() {
        return count(Issue.Kind.MISSING);
    }

    /**
     * Summarizes the cleaning in one paragraph: how many examples were kept and removed, per kind,
     * and the first few issues.
     *
     * @return the summary
     */
    public String summary() {
        int total = data.size() + removed.size();
        StringBuilder text = new StringBuilder()
                .append("Kept ")
                .append(data.size())
                .append(" of ")
                .append(total)
                .append(" examples; removed ")
                .append(removed.size())
                .append(": ")
                .append(duplicates())
                .append(" duplicates, ")
                .append(conflicts())
                .append(" with conflicting labels, ")
                .append(invalid())
                .append(" invalid, ")
                .append(missing())
                .append(" missing.");
        if (!removed.isEmpty()) {
            text.append(removed.size() > SHOWN_ISSUES ? " First issues: " : " Issues: ")
                    .append(removed.stream()
                            .limit(SHOWN_ISSUES)
                            .map(Issue::toString)
                            .collect(Collectors.joining("; ")))
                    .append('.');
        }
        return text.toString();
    }

    private int count(Issue.Kind kind) {
        return (int) removed.stream().filter(issue -> issue.kind() == kind).count();
    }

    /**
     * One removed example.
     *
     * @param index the example's index in the data set that was cleaned
     * @param kind why it was removed
     * @param reason a readable explanation
     */
    public record Issue(int index, Kind kind, String reason) {

        /**
         * Checks that kind and reason are present.
         *
         * @param index the example's index
         * @param kind why it was removed
         * @param reason a readable explanation
         */
        public Issue {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * Formats the issue as {@code "#index KIND: reason"}.
         *
         * @return the formatted issue
         */
        @Override
        public String toString() {
            return "#" + index + " " + kind + ": " + reason;
        }

        /** Why an example was removed. */
        public enum Kind {
            /** A later copy of an example with the same key and label. */
            DUPLICATE,
            /** One of several examples with the same key but different labels. */
            CONFLICTING_LABELS,
            /** An input a validator rejected. */
            INVALID,
            /** An input whose file does not exist. */
            MISSING
        }
    }
}
