package io.tl4j.core.selection;

import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ranks candidate backbones for a labelled task before any training: each candidate's frozen
 * features are extracted once (the feature-extraction path of {@link
 * io.tl4j.core.TransferLearner#fit}), scored for how well they fit the labels ({@link Score}), and
 * its cost on this machine is measured ({@link Cost}).
 *
 * <pre>{@code
 * SelectionReport report = ModelSelection.of(
 *                 Candidate.of("small", small),
 *                 Candidate.loading("large", () -> loadLarge()))
 *         .scratchBaseline("small")
 *         .run(data);
 * System.out.println(report.table());
 * Recommendation pick = report.recommend(Constraints.none().maxMillisPerExample(20));
 * }</pre>
 *
 * <p>Every method returns a new selection; a selection never changes. The defaults: all three
 * scores, ranked by LogME, kNN with 5 neighbours, a linear probe over 5 folds with C = 1, seed 42,
 * no scratch baseline. Candidates run one after another; a candidate that fails (an exception, a
 * class missing from the class path, running out of memory) gets a row with its error and the
 * others still run. Progress goes to the SLF4J logger of
 * this class and to any {@link SelectionListener}.
 *
 * @param <I> the raw input type every candidate accepts
 */
public final class ModelSelection<I> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSelection.class);

    private final List<Candidate<I>> candidates;
    private final List<Score> scores;
    private final Score rankBy;
    private final ScoreSettings settings;
    private final Set<String> scratchOf;
    private final List<SelectionListener> listeners;

    private ModelSelection(Builder<I> b) {
        this.candidates = List.copyOf(b.candidates);
        this.scores = List.copyOf(b.scores);
        this.rankBy = b.rankBy;
        this.settings = new ScoreSettings(b.neighbours, b.folds, b.c, b.seed);
        this.scratchOf = Collections.unmodifiableSet(new LinkedHashSet<>(b.scratchOf));
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * Creates a selection among candidates, with the defaults.
     *
     * @param candidates the candidates, at least one, with distinct names
     * @param <I> the raw input type
     * @return the selection
     * @throws IllegalArgumentException when there is no candidate or two share a name
     */
    public static <I> ModelSelection<I> of(List<Candidate<I>> candidates) {
        Objects.requireNonNull(candidates, "candidates");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("Model selection needs at least one candidate");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Candidate<I> c : candidates) {
            if (!names.add(Objects.requireNonNull(c, "candidate").name())) {
                throw new IllegalArgumentException("Two candidates are named '" + c.name() + "': names must differ");
            }
        }
        Builder<I> b = new Builder<>();
        b.candidates = List.copyOf(candidates);
        return new ModelSelection<>(b);
    }

    /**
     * Creates a selection among candidates, with the defaults.
     *
     * @param candidates the candidates, at least one, with distinct names
     * @param <I> the raw input type
     * @return the selection
     * @throws IllegalArgumentException when there is no candidate or two share a name
     */
    @SafeVarargs
    public static <I> ModelSelection<I> of(Candidate<I>... candidates) {
        return of(Arrays.asList(candidates));
    }

    private ModelSelection<I> with(Consumer<Builder<I>> change) {
        Builder<I> b = new Builder<>(this);
        change.accept(b);
        return new ModelSelection<>(b);
    }

    /**
     * Returns a selection computing only these scores (in this order in the table).
     *
     * @param chosen the scores, at least one
     */
    public ModelSelection<I> scores(Score... chosen) {
        if (chosen.length == 0) {
            throw new IllegalArgumentException("Choose at least one score");
        }
        List<Score> list = List.copyOf(new LinkedHashSet<>(Arrays.asList(chosen)));
        return with(b -> b.scores = list);
    }

    /**
     * Returns a selection ranking by another score; it must be among the computed {@link #scores}.
     *
     * @param score the score to rank by (default LogME, or the first score when LogME is not computed)
     */
    public ModelSelection<I> rankBy(Score score) {
        return with(b -> b.rankBy = Objects.requireNonNull(score, "score"));
    }

    /**
     * Returns a selection whose kNN score votes among {@code k} neighbours.
     *
     * @param k the number of neighbours, at least 1 (default 5)
     */
    public ModelSelection<I> neighbours(int k) {
        return with(b -> b.neighbours = k);
    }

    /**
     * Returns a selection whose linear probe uses {@code folds} stratified folds.
     *
     * @param folds the number of folds, at least 2 (default 5)
     */
    public ModelSelection<I> probeFolds(int folds) {
        return with(b -> b.folds = folds);
    }

    /**
     * Returns a selection whose linear probe has another inverse regularisation strength.
     *
     * @param c scikit-learn's C: larger means weaker L2 (default 1)
     */
    public ModelSelection<I> probeC(double c) {
        return with(b -> b.c = c);
    }

    /**
     * Returns a selection with another seed, for the probe's folds, untrained weights and the head's step.
     *
     * @param seed the seed (default 42)
     */
    public ModelSelection<I> seed(long seed) {
        return with(b -> b.seed = seed);
    }

    /**
     * Returns a selection that also scores an untrained copy of each named candidate (same
     * architecture and pipeline, random weights from the seed), in a row named {@code "<name>
     * (scratch)"} right after it: whether pretraining helps at all. A candidate whose backbone
     * carries no weights apart from its architecture (a TorchScript module) cannot be copied
     * untrained; its baseline row says so.
     *
     * @param names the candidates' names
     * @throws IllegalArgumentException for a name that is not a candidate's, listing the names
     */
    public ModelSelection<I> scratchBaseline(String... names) {
        List<String> known = candidates.stream().map(Candidate::name).toList();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(
                        "No candidate named '" + name + "' for a scratch baseline; candidates: " + known);
            }
        }
        return with(b -> b.scratchOf.addAll(Arrays.asList(names)));
    }

    /**
     * Returns a selection that also reports progress to a listener.
     *
     * @param listener hears each candidate start and finish
     */
    public ModelSelection<I> listener(SelectionListener listener) {
        return with(b -> b.listeners.add(Objects.requireNonNull(listener, "listener")));
    }

    /**
     * Scores every candidate on the data and ranks them.
     *
     * @param data labelled examples of the task, in the form {@link io.tl4j.core.TransferLearner#fit}
     *     takes
     * @return the report
     * @throws IllegalArgumentException when the data has fewer than two classes or a class has fewer
     *     than two examples (the message says how many the scores need), or when the ranking score is
     *     not computed
     */
    public SelectionReport run(LabeledData<I> data) {
        ScoreSettings.requireScorable(data);
        Score ranking = rankBy != null ? rankBy : scores.contains(Score.LOGME) ? Score.LOGME : scores.get(0);
        if (!scores.contains(ranking)) {
            throw new IllegalArgumentException("Cannot rank by " + ranking + ": it is not among the scores " + scores);
        }
        long start = System.nanoTime();
        int total = candidates.size() + scratchOf.size();
        List<CandidateResult> rows = new ArrayList<>(total);
        for (Candidate<I> candidate : candidates) {
            runCandidate(candidate, data, rows, total);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info(
                "model selection: {} rows on {} examples of {} classes in {} s",
                total,
                data.size(),
                data.numClasses(),
                String.format("%.1f", seconds));
        return new SelectionReport(rows, scores, ranking, data.size(), data.classNames(), seconds);
    }

    private void runCandidate(Candidate<I> candidate, LabeledData<I> data, List<CandidateResult> rows, int total) {
        String name = candidate.name();
        started(name, rows.size() + 1, total);
        PeakMemory memory = PeakMemory.start();
        long t0 = System.nanoTime();
        Backbone<I> backbone = null;
        String loadError = null;
        try {
            try {
                backbone = candidate.load();
                rows.add(measured(name, false, backbone, data, memory, t0));
            } catch (Exception | LinkageError | OutOfMemoryError e) {
                loadError = describe(e);
                rows.add(failed(name, false, backbone, t0, loadError, e));
            }
            finished(rows.get(rows.size() - 1), rows.size(), total);
            if (scratchOf.contains(name)) {
                String scratchName = name + " (scratch)";
                started(scratchName, rows.size() + 1, total);
                rows.add(runScratch(name, scratchName, backbone, loadError, data));
                finished(rows.get(rows.size() - 1), rows.size(), total);
            }
        } finally {
            if (backbone != null && candidate.owned()) {
                backbone.close();
            }
        }
    }

    private CandidateResult runScratch(
            String of, String name, Backbone<I> backbone, String loadError, LabeledData<I> data) {
        PeakMemory memory = PeakMemory.start();
        long t0 = System.nanoTime();
        if (backbone == null) {
            return CandidateResult.ofError(name, true, "", 0, "the candidate did not load: " + loadError);
        }
        if (!backbone.isPretrained()) {
            return CandidateResult.ofError(
                    name,
                    true,
                    "",
                    0,
                    "no untrained copy: the backbone carries no weights"
                            + " apart from its architecture (a TorchScript module keeps them inside; a backbone without"
                            + " weights is already untrained)");
        }
        try (Backbone<I> scratch = Backbone.<I>builder()
                .setArchitecture(backbone.architecture())
                .setPipeline(backbone.pipeline())
                .optProvenance(new Provenance(
                        "untrained copy of " + of, "", "none", "random initialization, seed " + settings.seed()))
                .build()) {
            return measured(name, true, scratch, data, memory, t0);
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            return failed(name, true, null, t0, describe(e), e);
        }
    }

    private CandidateResult measured(
            String name, boolean baseline, Backbone<I> backbone, LabeledData<I> data, PeakMemory memory, long t0) {
        CandidateRun.Measured m = CandidateRun.measure(backbone, data, scores, settings, memory);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new CandidateResult(name, baseline, backbone.provenance().source(), m.scores(), m.cost(), seconds, null);
    }

    private static CandidateResult failed(
            String name, boolean baseline, Backbone<?> backbone, long t0, String error, Throwable e) {
        LOG.warn("candidate '{}' failed: {}", name, error, e);
        String source = backbone == null ? "" : backbone.provenance().source();
        return CandidateResult.ofError(name, baseline, source, (System.nanoTime() - t0) / 1e9, error);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void started(String name, int index, int total) {
        LOG.info("[{}/{}] scoring {}", index, total, name);
        listeners.forEach(l -> l.started(name, index, total));
    }

    private void finished(CandidateResult row, int index, int total) {
        if (row.failed()) {
            LOG.info("[{}/{}] {} failed in {} s: {}", index, total, row.name(), fmt(row.seconds()), row.error());
        } else {
            LOG.info("[{}/{}] {} done in {} s: {}", index, total, row.name(), fmt(row.seconds()), row.scores());
        }
        listeners.forEach(l -> l.finished(row, index, total));
    }

    private static String fmt(double seconds) {
        return String.format("%.1f", seconds);
    }

    @Override
    public String toString() {
        return "ModelSelection[candidates="
                + candidates.stream().map(Candidate::name).toList() + ", scores=" + scores + ", " + settings
                + ", scratch=" + scratchOf + "]";
    }

    /** The mutable settings a new selection is made from. */
    private static final class Builder<I> {
        private List<Candidate<I>> candidates = List.of();
        private List<Score> scores = List.of(Score.LOGME, Score.KNN, Score.LINEAR_PROBE);
        private Score rankBy;
        private int neighbours = 5;
        private int folds = 5;
        private double c = 1.0;
        private long seed = 42;
        private final Set<String> scratchOf = new LinkedHashSet<>();
        private final List<SelectionListener> listeners = new ArrayList<>();

        private Builder() {}

        private Builder(ModelSelection<I> s) {
            candidates = s.candidates;
            scores = s.scores;
            rankBy = s.rankBy;
            neighbours = s.settings.neighbours();
            folds = s.settings.folds();
            c = s.settings.inverseRegularization();
            seed = s.settings.seed();
            scratchOf.addAll(s.scratchOf);
            listeners.addAll(s.listeners);
        }
    }
}
