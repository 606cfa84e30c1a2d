package io.tl4j.core.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds the outcome of a {@link ModelSelection}: one row per candidate and baseline, ranked by a
 * score (best first; failed rows last, in the order they ran), printable as a table ({@link
 * #table()}), JSON ({@link #toJson()}) and CSV ({@link #toCsv()}), and the source of a {@link
 * #recommend recommendation} under constraints. Immutable.
 */
public final class SelectionReport {

    private final List<CandidateResult> runOrder;
    private final List<CandidateResult> ranked;
    private final List<Score> scores;
    private final Score rankedBy;
    private final int examples;
    private final List<String> classNames;
    private final double seconds;

    SelectionReport(
            List<CandidateResult> rows,
            List<Score> scores,
            Score rankedBy,
            int examples,
            List<String> classNames,
            double seconds) {
        this.runOrder = List.copyOf(rows);
        this.scores = List.copyOf(scores);
        this.rankedBy = rankedBy;
        this.examples = examples;
        this.classNames = List.copyOf(classNames);
        this.seconds = seconds;
        this.ranked = rank(runOrder, rankedBy);
    }

    private static List<CandidateResult> rank(List<CandidateResult> rows, Score by) {
        // stable: equal scores keep the order the candidates ran in; NaN ranks below every number
        Comparator<CandidateResult> best = Comparator.comparing(CandidateResult::failed)
                .thenComparing(r -> Double.isNaN(r.score(by)))
                .thenComparing(r -> -r.score(by));
        List<CandidateResult> sorted = new ArrayList<>(rows);
        sorted.sort(best);
        return List.copyOf(sorted);
    }

    /** Returns the rows, best first by {@link #rankedBy()}; failed rows last. */
    public List<CandidateResult> rows() {
        return ranked;
    }

    /** Returns the scores that were computed, in table order. */
    public List<Score> scores() {
        return scores;
    }

    /** Returns the score the rows are ranked by. */
    public Score rankedBy() {
        return rankedBy;
    }

    /**
     * Returns the same rows ranked by another score.
     *
     * @param score a computed score
     * @return the re-ranked report
     * @throws IllegalArgumentException when that score was not computed
     */
    public SelectionReport rankedBy(Score score) {
        if (!scores.contains(Objects.requireNonNull(score, "score"))) {
            throw new IllegalArgumentException("Cannot rank by " + score + ": the selection computed " + scores);
        }
        return new SelectionReport(runOrder, scores, score, examples, classNames, seconds);
    }

    /** Returns the number of labelled examples the candidates were scored on. */
    public int examples() {
        return examples;
    }

    /** Returns the task's class names. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns the wall seconds of the whole selection. */
    public double seconds() {
        return seconds;
    }

    /**
     * Returns a row by name.
     *
     * @param name a candidate's or baseline's name
     * @return the row
     * @throws IllegalArgumentException for an unknown name, listing the names
     */
    public CandidateResult row(String name) {
        return runOrder.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No row named '" + name + "'; rows: "
                        + runOrder.stream().map(CandidateResult::name).toList()));
    }

    /** Returns the best-ranked candidate that did not fail and is not a baseline, if any. */
    public Optional<CandidateResult> best() {
        return recommend(Constraints.none()).choice();
    }

    /**
     * Recommends the best-ranked candidate that keeps the constraints, and lists every row left out
     * with its reason: the limits it breaks (measured value against the limit), its error, or that it
     * is a baseline.
     *
     * @param constraints the limits
     * @return the recommendation
     */
    public Recommendation recommend(Constraints constraints) {
        Objects.requireNonNull(constraints, "constraints");
        List<CandidateResult> eligible = new ArrayList<>();
        List<Recommendation.Dropped> dropped = new ArrayList<>();
        for (CandidateResult row : ranked) {
            String reason;
            if (row.failed()) {
                reason = "failed: " + row.error();
            } else if (row.baseline()) {
                reason = "baseline (an untrained copy), shown for comparison only";
            } else {
                List<String> broken = constraints.violations(row.cost());
                reason = broken.isEmpty() ? null : String.join("; ", broken);
            }
            if (reason == null) {
                eligible.add(row);
            } else {
                dropped.add(new Recommendation.Dropped(row.name(), reason));
            }
        }
        return new Recommendation(eligible, dropped, constraints);
    }

    /** Returns the ranked rows as an aligned text table, headed by what was scored. */
    public String table() {
        return ReportFormats.table(this);
    }

    /** Returns the report as a JSON object (NaN written as null). */
    public String toJson() {
        return ReportFormats.json(this);
    }

    /** Returns the ranked rows as CSV with a header line (RFC 4180 quoting). */
    public String toCsv() {
        return ReportFormats.csv(this);
    }

    /** Returns {@link #table()}. */
    @Override
    public String toString() {
        return table();
    }
}
