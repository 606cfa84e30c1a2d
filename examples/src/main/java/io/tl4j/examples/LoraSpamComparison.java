package io.tl4j.examples;

import ai.djl.ndarray.NDArray;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.core.lora.Lora;
import io.tl4j.core.lora.LoraConfig;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Spam with a few labelled e-mails per class, all-MiniLM-L6-v2 at 128 tokens: LoRA (rank 8, alpha 16,
 * query and value, learning rate 5e-3) against full fine-tuning (the NLP quick start's recipe, {@link
 * NlpQuickStart#fineTuneRecipe}) and, optionally, frozen features (cached embeddings, logistic
 * regression). Each seed draws its own split, 500 held-out e-mails and training sample. {@code
 * -Dtl4j.loraPerClass=128} (default) and {@code -Dtl4j.seeds=1,2,3} (default 1) choose the runs; each
 * seed prints a {@code RESULT lora-spam ...} line. {@link MetaAndLoraQuickStart} runs its spam half
 * through {@link #run}.
 */
public final class LoraSpamComparison {

    /** The LoRA learning rate (the NLP recipe's 1e-3 is too low for the updates, see README). */
    static final float LORA_LEARNING_RATE = 5e-3f;
    /** Held-out e-mails per seed. */
    static final int TEST_SIZE = 500;

    private LoraSpamComparison() {}

    /**
     * One seed's accuracies and costs.
     *
     * @param frozen frozen features' accuracy, NaN when not run
     * @param full full fine-tuning's accuracy
     * @param lora LoRA's accuracy
     * @param loraParams parameters LoRA trains (updates and head)
     * @param fullParams parameters full fine-tuning trains (every layer after the embeddings, and head)
     * @param fullSeconds full fine-tuning's wall time, fit and test
     * @param loraSeconds LoRA's wall time, fit and test
     */
    record Scores(
            double frozen,
            double full,
            double lora,
            long loraParams,
            long fullParams,
            double fullSeconds,
            double loraSeconds) {}

    /**
     * Runs the comparison for the seeds and count the system properties give.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int perClass = Integer.getInteger("tl4j.loraPerClass", 128);
        long[] seeds = Arrays.stream(System.getProperty("tl4j.seeds", "1").split(","))
                .map(String::trim)
                .mapToLong(Long::parseLong)
                .toArray();
        for (long seed : seeds) {
            Scores s = run(seed, perClass, TEST_SIZE, true);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT lora-spam seed=%d per_class=%d frozen_acc=%.4f full_acc=%.4f lora_acc=%.4f"
                            + " lora_params=%d full_params=%d full_s=%.0f lora_s=%.0f load=%.1f%n",
                    seed,
                    perClass,
                    s.frozen(),
                    s.full(),
                    s.lora(),
                    s.loraParams(),
                    s.fullParams(),
                    s.fullSeconds(),
                    s.loraSeconds(),
                    ModelSelectionQuickStart.loadAverage());
        }
    }

    /**
     * Trains and tests the methods on one seed's draw.
     *
     * @param seed the split, sample and learners' seed
     * @param perClass labelled e-mails per class
     * @param testSize held-out e-mails
     * @param frozen whether to run frozen features too
     * @return the accuracies and costs
     */
    static Scores run(long seed, int perClass, int testSize, boolean frozen) {
        LabeledData<String> all = SpamData.load();
        Split<String> split = all.stratifiedSplit((double) testSize / all.size(), seed);
        LabeledData<String> train = split.train().samplePerClass(perClass, seed);
        LabeledData<String> test = split.validation();
        try (BertEncoder minilm = Bert.allMiniLmL6V2();
                Backbone<String> base = minilm.backbone(Pooling.MEAN, NlpQuickStart.SHORT);
                Backbone<String> lora = Lora.adapt(base, loraConfig())) {
            long head = base.featureSize() * train.numClasses() + train.numClasses();
            long loraParams = count(lora.weights(), true) + head;
            long fullParams = count(base.weights(), false) + head;
            long t = System.nanoTime();
            double frozenAccuracy = Double.NaN;
            if (frozen) {
                frozenAccuracy = CachedEmbeddings.of(base, train, test).logisticRegression(seed);
                System.out.printf(
                        Locale.ROOT,
                        "   seed %d, %d e-mails per class, %d held out: frozen features %.3f [%.0f s]%n",
                        seed,
                        perClass,
                        test.size(),
                        frozenAccuracy,
                        seconds(t));
            }
            t = System.nanoTime();
            double full;
            try (TransferModel<String> model =
                    NlpQuickStart.fineTuneRecipe(base, seed).fit(train)) {
                full = model.evaluate(test).accuracy();
            }
            double fullSeconds = seconds(t);
            System.out.printf(
                    Locale.ROOT,
                    "   full fine-tuning %.3f, %,d parameters trained [%.0f s]%n",
                    full,
                    fullParams,
                    fullSeconds);
            t = System.nanoTime();
            double loraAccuracy;
            try (TransferModel<String> model = NlpQuickStart.fineTuneRecipe(lora, seed)
                    .learningRate(LORA_LEARNING_RATE)
                    .fit(train)) {
                loraAccuracy = model.evaluate(test).accuracy();
            }
            double loraSeconds = seconds(t);
            System.out.printf(
                    Locale.ROOT,
                    "   LoRA r=8 alpha=16 on query and value: %.3f, %,d parameters trained (%.2f %%) [%.0f s]%n",
                    loraAccuracy,
                    loraParams,
                    100.0 * loraParams / fullParams,
                    loraSeconds);
            return new Scores(frozenAccuracy, full, loraAccuracy, loraParams, fullParams, fullSeconds, loraSeconds);
        }
    }

    /** Returns the LoRA settings compared: rank 8, alpha 16, query and value. */
    static LoraConfig loraConfig() {
        return LoraConfig.rank(8).alpha(16);
    }

    /**
     * Counts weight values: LoRA's updates, or every weight outside the embeddings (what the NLP recipe
     * trains when it freezes up to {@code encoder.layer.0}).
     */
    static long count(Map<String, NDArray> weights, boolean loraOnly) {
        long count = 0;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            boolean isLora = Lora.isLoraParameter(e.getKey());
            if (loraOnly ? isLora : !isLora && !e.getKey().startsWith("embeddings.")) {
                count += e.getValue().size();
            }
        }
        return count;
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
