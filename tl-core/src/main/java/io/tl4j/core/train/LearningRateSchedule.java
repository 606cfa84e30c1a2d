package io.tl4j.core.train;

/**
 * How the learning rate changes over a run, as a factor of the peak rate: constant, linear warm-up
 * then cosine decay, or one-cycle (as fastai's {@code fit_one_cycle}).
 */
public interface LearningRateSchedule {

    /**
     * @param step the optimizer step, from 0
     * @param totalSteps the steps in the whole run
     * @return the factor applied to the peak learning rate at that step
     */
    double factor(long step, long totalSteps);

    /** @return a short description, e.g. "cosine(warmup=0.1)" */
    String describe();

    /** @return the peak rate throughout */
    static LearningRateSchedule constant() {
        return new LearningRateSchedule() {
            @Override
            public double factor(long step, long totalSteps) {
                return 1.0;
            }

            @Override
            public String describe() {
                return "constant";
            }
        };
    }

    /**
     * @param warmupFraction the fraction of the run spent rising linearly from 0 to the peak
     * @return linear warm-up, then cosine decay to 0
     */
    static LearningRateSchedule warmupCosine(double warmupFraction) {
        checkFraction(warmupFraction);
        return new LearningRateSchedule() {
            @Override
            public double factor(long step, long totalSteps) {
                double warmup = Math.max(1, Math.round(warmupFraction * totalSteps));
                if (warmupFraction > 0 && step < warmup) {
                    return (step + 1) / warmup;
                }
                double start = warmupFraction > 0 ? warmup : 0;
                double progress = (step - start) / Math.max(1.0, totalSteps - start);
                return 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
            }

            @Override
            public String describe() {
                return "cosine(warmup=" + warmupFraction + ")";
            }
        };
    }

    /**
     * One-cycle: cosine rise from peak/25 to the peak over {@code pctStart} of the run, then cosine
     * annealing to peak/1e4 (the defaults of fastai and PyTorch's OneCycleLR).
     *
     * @param pctStart the fraction of the run spent rising, e.g. 0.25
     * @return the schedule
     */
    static LearningRateSchedule oneCycle(double pctStart) {
        checkFraction(pctStart);
        return new LearningRateSchedule() {
            @Override
            public double factor(long step, long totalSteps) {
                double start = 1.0 / 25;
                double end = start / 1e4;
                double rise = Math.max(1, pctStart * totalSteps);
                if (step < rise) {
                    return cosine(start, 1.0, step / rise);
                }
                return cosine(1.0, end, (step - rise) / Math.max(1.0, totalSteps - rise));
            }

            @Override
            public String describe() {
                return "one-cycle(pctStart=" + pctStart + ")";
            }
        };
    }

    private static double cosine(double from, double to, double progress) {
        return to + (from - to) / 2 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }

    private static void checkFraction(double fraction) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("Fraction must be in [0, 1), got " + fraction);
        }
    }
}
