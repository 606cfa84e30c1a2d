package io.tl4j.core.train;

/**
 * Which optimizer to train with and its settings. The learning rate given here is the head's peak
 * rate; schedules scale it over time and backbone layers may get a fraction of it.
 *
 * @param kind the algorithm
 * @param learningRate the peak learning rate
 * @param momentum SGD momentum (ignored by Adam)
 * @param weightDecay L2 penalty (SGD, Adam) or decoupled decay (AdamW), applied to weights with two
 *     or more axes only, never to biases or normalisation parameters
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator guard
 */
public record OptimizerSpec(
        Kind kind, float learningRate, float momentum, float weightDecay, float beta1, float beta2, float epsilon) {

    /** The optimization algorithms. */
    public enum Kind {
        /** stochastic gradient descent with (heavy-ball) momentum */
        SGD,
        /** Adam with L2 weight decay added to the gradient */
        ADAM,
        /** Adam with decoupled weight decay */
        ADAMW
    }

    /** Checks the settings. */
    public OptimizerSpec {
        if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("Invalid optimizer settings: lr=" + learningRate + " momentum="
                    + momentum + " weightDecay=" + weightDecay);
        }
    }

    /**
     * Returns SGD with momentum.
     *
     * @param learningRate the learning rate
     * @param momentum the momentum, e.g. 0.9
     * @return SGD with momentum
     */
    public static OptimizerSpec sgd(float learningRate, float momentum) {
        return new OptimizerSpec(Kind.SGD, learningRate, momentum, 0f, 0.9f, 0.999f, 1e-8f);
    }

    /**
     * Returns Adam with a learning rate.
     *
     * @param learningRate the learning rate, e.g. 1e-3
     * @return Adam
     */
    public static OptimizerSpec adam(float learningRate) {
        return new OptimizerSpec(Kind.ADAM, learningRate, 0f, 0f, 0.9f, 0.999f, 1e-8f);
    }

    /**
     * Returns AdamW with a learning rate and decoupled weight decay.
     *
     * @param learningRate the learning rate, e.g. 1e-3
     * @param weightDecay the decoupled weight decay, e.g. 0.01
     * @return AdamW
     */
    public static OptimizerSpec adamW(float learningRate, float weightDecay) {
        return new OptimizerSpec(Kind.ADAMW, learningRate, 0f, weightDecay, 0.9f, 0.999f, 1e-8f);
    }

    /**
     * Returns a copy with another weight decay.
     *
     * @param weightDecay the weight decay
     * @return a copy with it
     */
    public OptimizerSpec withWeightDecay(float weightDecay) {
        return new OptimizerSpec(kind, learningRate, momentum, weightDecay, beta1, beta2, epsilon);
    }

    /**
     * Returns a copy with another learning rate.
     *
     * @param learningRate the learning rate
     * @return a copy with it
     */
    public OptimizerSpec withLearningRate(float learningRate) {
        return new OptimizerSpec(kind, learningRate, momentum, weightDecay, beta1, beta2, epsilon);
    }
}
