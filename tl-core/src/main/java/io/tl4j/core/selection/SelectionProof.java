package io.tl4j.core.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Checks whether a selection's scores predict what fine-tuning finds: each candidate's scores beside
 * its fine-tuned accuracy (mean over seeds), Kendall's tau between each score and that accuracy,
 * the top-1 regret of each score (the best candidate's accuracy minus that of the candidate the
 * score puts first, in percentage points) and the wall time of the selection against that of
 * fine-tuning every candidate. Immutable.
 *
 * <pre>{@code
 * SelectionProof proof = SelectionProof.of(report, Map.of("a", new double[] {0.91, 0.90}, ...), 1200.0);
 * proof.kendallTau(Score.LOGME);   // 1.0 when LogME orders the candidates as fine-tuning does
 * System.out.println(proof.table());
 * }</pre>
 */
public final class SelectionProof {

    private final SelectionReport report;
    private final Map<String, double[]> accuracies;
    private final double fineTuneSeconds;

    private SelectionProof(SelectionReport report, Map<String, double[]> accuracies, double fineTuneSeconds) {
        this.report = report;
        this.accuracies = accuracies;
        this.fineTuneSeconds = fineTuneSeconds;
    }

    /**
     * Pairs a selection report with the accuracies its candidates reached when fine-tuned.
     *
     * @param report the selection's report
     * @param fineTuned each candidate's fine-tuned test accuracy in [0, 1], one per seed (the same
     *     number of seeds for every candidate), keyed by the candidate's row name
     * @param fineTuneSeconds the wall seconds of fine-tuning every candidate once (one seed)
     * @return the proof
     * @throws IllegalArgumentException when fewer than 2 candidates are given, a name is not a row of
     *     the report or is a failed row, or the accuracies are empty, out of [0, 1] or uneven in count
     */
    public static SelectionProof of(SelectionReport report, Map<String, double[]> fineTuned, double fineTuneSeconds) {
        Objects.requireNonNull(report, "report");
        if (fineTuned.size() < 2) {
            throw new IllegalArgumentException(
                    "A selection proof needs the fine-tuned accuracy of at least 2 candidates; got "
                            + fineTuned.size());
        }
        Map<String, double[]> copy = new LinkedHashMap<>();
        int seeds = -1;
        for (Map.Entry<String, double[]> e : fineTuned.entrySet()) {
            String name = e.getKey();
            CandidateResult row = report.row(name);
            if (row.failed()) {
                throw new IllegalArgumentException("Candidate '" + name + "' failed in the selection (" + row.error()
                        + "): it has no scores to compare");
            }
            double[] acc = e.getValue().clone();
            if (acc.length == 0 || (seeds >= 0 && acc.length != seeds)) {
                throw new IllegalArgumentException("Candidate '" + name + "' has " + acc.length
                        + " fine-tuned accuracies; every candidate needs one per seed, the same count ("
                        + Math.max(seeds, 1) + ")");
            }
            seeds = acc.length;
            for (double a : acc) {
                if (!(a >= 0 && a <= 1)) {
                    throw new IllegalArgumentException(
                            "Candidate '" + name + "' has fine-tuned accuracy " + a + "; accuracies are in [0, 1]");
                }
            }
            copy.put(name, acc);
        }
        if (!(fineTuneSeconds > 0)) {
            throw new IllegalArgumentException("fineTuneSeconds must be positive; got " + fineTuneSeconds);
        }
        return new SelectionProof(report, copy, fineTuneSeconds);
    }

    /** Returns the candidates compared, in the report's ranking order. */
    public List<String> candidates() {
        List<String> names = new ArrayList<>();
        for (CandidateResult row : report.rows()) {
            if (accuracies.containsKey(row.name())) {
                names.add(row.name());
            }
        }
        return names;
    }

    /**
     * Returns a candidate's fine-tuned accuracy, averaged over the seeds.
     *
     * @param name the candidate
     * @return the mean accuracy in [0, 1]
     */
    public double meanAccuracy(String name) {
        double[] acc = accuracies.get(name);
        if (acc == null) {
            throw new IllegalArgumentException(
                    "No fine-tuned accuracy for '" + name + "'; have " + accuracies.keySet());
        }
        return Arrays.stream(acc).average().orElseThrow();
    }

    /** Returns the scores the selection computed, in its report's column order. */
    public List<Score> scores() {
        return report.scores();
    }

    /** Returns the number of seeds each candidate was fine-tuned on. */
    public int seeds() {
        return accuracies.values().iterator().next().length;
    }

    /**
     * Returns the proof on one seed alone: the same scores against that seed's accuracies, so that
     * tau and regret can be read per seed beside those on the means.
     *
     * @param index the seed's position in the accuracy arrays, from 0
     * @return the one-seed proof
     * @throws IllegalArgumentException when the index is not one of the seeds
     */
    public SelectionProof seed(int index) {
        if (index < 0 || index >= seeds()) {
            throw new IllegalArgumentException("Seed index " + index + " out of range: " + seeds() + " seed(s)");
        }
        Map<String, double[]> one = new LinkedHashMap<>();
        accuracies.forEach((name, acc) -> one.put(name, new double[] {acc[index]}));
        return new SelectionProof(report, one, fineTuneSeconds);
    }

    /** Returns the candidate with the highest mean fine-tuned accuracy (the first such in ranking order). */
    public String best() {
        String best = null;
        for (String name : candidates()) {
            if (best == null || meanAccuracy(name) > meanAccuracy(best)) {
                best = name;
            }
        }
        return best;
    }

    /**
     * Returns the candidate a score puts first among the compared ones.
     *
     * @param score a computed score
     * @return the candidate's name
     */
    public String picked(Score score) {
        return candidates().stream()
                .filter(n -> !Double.isNaN(report.row(n).score(score)))
                .max((a, b) ->
                        Double.compare(report.row(a).score(score), report.row(b).score(score)))
                .orElseThrow(() -> new IllegalArgumentException(score + " was not computed"));
    }

    /**
     * Computes Kendall's tau-b between a score and the mean fine-tuned accuracy.
     *
     * @param score a computed score
     * @return tau in [-1, 1] (NaN when all scores or all accuracies are equal)
     */
    public double kendallTau(Score score) {
        List<String> names = candidates();
        double[] s = names.stream().mapToDouble(n -> report.row(n).score(score)).toArray();
        double[] a = names.stream().mapToDouble(this::meanAccuracy).toArray();
        return KendallTau.of(s, a);
    }

    /**
     * Returns the top-1 regret of a score: the best candidate's mean fine-tuned accuracy minus that of
     * the candidate the score puts first, in percentage points (0 when it picks the best).
     *
     * @param score a computed score
     * @return the regret in points, at least 0
     */
    public double topOneRegret(Score score) {
        return 100 * (meanAccuracy(best()) - meanAccuracy(picked(score)));
    }

    /** Returns the wall seconds of the selection. */
    public double selectionSeconds() {
        return report.seconds();
    }

    /** Returns the wall seconds of fine-tuning every candidate once. */
    public double fineTuneSeconds() {
        return fineTuneSeconds;
    }

    /** Returns the selection's wall time as a fraction of fine-tuning every candidate. */
    public double timeRatio() {
        return selectionSeconds() / fineTuneSeconds;
    }

    /**
     * Returns the proof's numbers as {@code key=value} fields for a one-line result: LogME's tau and
     * regret (the ranking score), the candidate count, both wall times, then the other scores' tau and
     * regret.
     */
    public String summary() {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "kendall_tau=%.2f top1_regret=%.1f candidates=%d selection_seconds=%.0f finetune_all_seconds=%.0f",
                kendallTau(report.rankedBy()),
                topOneRegret(report.rankedBy()),
                accuracies.size(),
                selectionSeconds(),
                fineTuneSeconds));
        for (Score s : report.scores()) {
            if (s != report.rankedBy()) {
                out.append(String.format(
                        Locale.ROOT, " %s_tau=%.2f %s_regret=%.1f", s.key(), kendallTau(s), s.key(), topOneRegret(s)));
            }
        }
        return out.toString();
    }

    /** Returns a Markdown table: scores beside mean fine-tuned accuracy, then tau and regret per score. */
    public String table() {
        StringBuilder out = new StringBuilder("| candidate |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (Score s : report.scores()) {
            out.append(' ').append(s.label()).append(" |");
            rule.append(" --- |");
        }
        out.append(" fine-tuned acc (mean ± sd, ").append(seeds()).append(" seeds) |\n");
        out.append(rule).append(" --- |\n");
        for (String name : candidates()) {
            out.append("| ").append(name).append(" |");
            for (Score s : report.scores()) {
                out.append(
                        String.format(Locale.ROOT, " %.3f |", report.row(name).score(s)));
            }
            out.append(String.format(Locale.ROOT, " %.3f ± %.3f |%n", meanAccuracy(name), sd(accuracies.get(name))));
        }
        out.append("| Kendall's tau |");
        report.scores().forEach(s -> out.append(String.format(Locale.ROOT, " %.2f |", kendallTau(s))));
        out.append(" |\n| top-1 regret (points) |");
        report.scores().forEach(s -> out.append(String.format(Locale.ROOT, " %.1f |", topOneRegret(s))));
        out.append(String.format(
                Locale.ROOT,
                " |%nselection %.0f s against fine-tuning every candidate %.0f s (%.2f of it)%n",
                selectionSeconds(),
                fineTuneSeconds,
                timeRatio()));
        return out.toString();
    }

    private static double sd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double ss = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(ss / (values.length - 1));
    }
}
