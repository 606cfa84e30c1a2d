package io.tl4j.core.train;

/**
 * How the learning rate changes over a run, as a factor of the peak rate: constant, linear warm-up
 * then cosine decay, or one-cycle (as fastai's {@code fit_one_cycle}). Each schedule is a record, so
 * a training configuration that holds one can be saved, compared and read back.
 */
public sealed interface LearningRateSchedule
        permits LearningRateSchedule.Constant,
                LearningRateSchedule.WarmupCosine,
                LearningRateSchedule.OneCycle,
                LearningRateSchedule.Exponential {

    /**
     * Returns the factor applied to the peak learning rate at a step.
     *
     * @param step the optimizer step, from 0
     * @param totalSteps the steps in the whole run
     * @return the factor, in (0, 1]
     */
    double factor(long step, long totalSteps);

    /**
     * Returns a short description, e.g. "cosine(warmup=0.1)".
     *
     * @return the description
     */
    String describe();

    /**
     * Returns the schedule that keeps the peak rate throughout.
     *
     * @return the constant schedule
     */
    static LearningRateSchedule constant() {
        return new Constant();
    }

    /**
     * Returns linear warm-up over the first {@code warmupFraction} of the steps, then cosine decay to 0.
     *
     * @param warmupFraction the fraction of steps spent warming up, in [0, 1)
     * @return the schedule
     */
    static LearningRateSchedule warmupCosine(double warmupFraction) {
        return new WarmupCosine(warmupFraction);
    }

    /**
     * Returns the one-cycle policy: cosine rise from peak/25 to the peak over {@code pctStart} of the
     * steps, then cosine decay to peak/25e4.
     *
     * @param pctStart the fraction of steps spent rising, in [0, 1)
     * @return the schedule
     */
    static LearningRateSchedule oneCycle(double pctStart) {
        return new OneCycle(pctStart);
    }

    /**
     * Returns an exponential rise from {@code startFactor} times the peak at the first step to the peak at the
     * last: the sweep of a learning-rate range test ({@link io.tl4j.core.LearningRateFinder}).
     *
     * @param startFactor the first step's factor, in (0, 1)
     * @return the schedule
     */
    static LearningRateSchedule exponential(double startFactor) {
        return new Exponential(startFactor);
    }

    /** The peak rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double factor(long step, long totalSteps) {
            return 1.0;
        }

        @Override
        public String describe() {
            return "constant";
        }
    }

    /**
     * Linear warm-up, then cosine decay to 0.
     *
     * @param warmupFraction the fraction of steps spent warming up, in [0, 1)
     */
    record WarmupCosine(double warmupFraction) implements LearningRateSchedule {
        /** Checks the fraction. */
        public WarmupCosine {
            checkFraction(warmupFraction);
        }

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
    }

    /**
     * The one-cycle policy.
     *
     * @param pctStart the fraction of steps spent rising, in [0, 1)
     */
    record OneCycle(double pctStart) implements LearningRateSchedule {
        /** Checks the fraction. */
        public OneCycle {
            checkFraction(pctStart);
        }

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

        private static double cosine(double from, double to, double progress) {
            return to + (from - to) / 2 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
        }
    }

    /**
     * An exponential rise to the peak rate.
     *
     * @param startFactor the first step's factor, in (0, 1)
     */
    record Exponential(double startFactor) implements LearningRateSchedule {
        /** Checks the factor. */
        public Exponential {
            if (!(startFactor > 0 && startFactor < 1)) {
                throw new IllegalArgumentException("startFactor must be in (0, 1), got " + startFactor);
            }
        }

        @Override
        public double factor(long step, long totalSteps) {
            double progress = Math.min(1.0, step / (double) Math.max(1, totalSteps - 1));
            return Math.pow(startFactor, 1 - progress);
        }

        @Override
        public String describe() {
            return "exponential(start=" + startFactor + ")";
        }
    }

    private static void checkFraction(double fraction) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("Fraction must be in [0, 1), got " + fraction);
        }
    }
}
