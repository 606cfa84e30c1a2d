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
import io.tl4j.nlp.data.TextData;
import io.tl4j.nlp.data.TextFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Two cheap ways to adapt, side by side. Speech: five new words from 3 clips each, recognised by
 * the nearest prototype of a meta-trained keyword encoder ({@link SpeechMetaPretrain}) and of the
 * shipped classification-pretrained one, with no training, against the speech quick start's
 * fine-tuning ({@link SpeechMetaEvaluation} runs the full 1/3/5-shot, 3-seed comparison). Text: spam
 * with 32 labelled e-mails per class, all-MiniLM-L6-v2 at 128 tokens, LoRA (rank 8, alpha 16, query
 * and value) against full fine-tuning, both with the NLP quick start's recipe ({@link
 * NlpQuickStart#fineTuneRecipe}), LoRA at learning rate 5e-3 as in the README's LoRA section. Ends
 * with {@code RESULT meta ...}.
 *
 * <p>Measured (seed 1): {@code RESULT meta proto_meta_acc=0.8389 proto_standard_acc=0.7667
 * finetune_acc=0.8056 lora_acc=0.9000 full_acc=0.9020 lora_params=74498 full_params=10647554 shots=3}
 * in 879 s on 2 cores shared at load average 8-12 (speech 64 s, full fine-tuning 498 s, LoRA the
 * rest); not yet timed on an idle machine.
 */
public final class MetaAndLoraQuickStart {

    /** Clips per new word in the speech part. */
    static final int SHOTS = 3;
    /** The LoRA learning rate (the NLP recipe's 1e-3 is too low for the updates, see README). */
    static final float LORA_LEARNING_RATE = 5e-3f;

    private MetaAndLoraQuickStart() {}

    /**
     * What to run.
     *
     * @param seed the speech draw and fine-tuning seed, and the spam split, sample and learners' seed
     * @param perClass labelled e-mails per class
     * @param testSize held-out e-mails
     */
    record Config(long seed, int perClass, int testSize) {}

    /**
     * The quick start's numbers.
     *
     * @param speech the three speech methods on held-out espeak voices
     * @param lora LoRA's spam accuracy
     * @param full full fine-tuning's spam accuracy
     * @param loraParams parameters LoRA trains (updates and head)
     * @param fullParams parameters full fine-tuning trains (every layer after the embeddings, and head)
     */
    record Result(SpeechMetaEvaluation.Scores speech, double lora, double full, long loraParams, long fullParams) {}

    /**
     * Runs the quick start and prints its {@code RESULT} line.
     *
     * @param args none
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        Result r = run(new Config(1, 32, 500));
        System.out.printf(
                Locale.ROOT,
                "RESULT meta proto_meta_acc=%.4f proto_standard_acc=%.4f finetune_acc=%.4f lora_acc=%.4f"
                        + " full_acc=%.4f lora_params=%d full_params=%d shots=%d%n",
                r.speech().protoMeta(),
                r.speech().protoStandard(),
                r.speech().fineTune(),
                r.lora(),
                r.full(),
                r.loraParams(),
                r.fullParams(),
                SHOTS);
        System.out.printf(
                Locale.ROOT,
                "Done in %.0f s at load average %.1f%n",
                (System.nanoTime() - start) / 1e9,
                ModelSelectionQuickStart.loadAverage());
    }

    static Result run(Config config) {
        long start = System.nanoTime();
        SpeechMetaEvaluation.Scores speech;
        try (SpeechMetaEvaluation.Comparison comparison = new SpeechMetaEvaluation.Comparison()) {
            speech = comparison.run(SHOTS, config.seed(), true);
        }
        System.out.printf(
                Locale.ROOT,
                "1. Speech, 5 new words from %d clips each, held-out espeak voices (flite voices):%n"
                        + "   nearest prototype, meta-trained encoder %.3f (%.3f); shipped encoder %.3f (%.3f);"
                        + " fine-tuning the shipped encoder %.3f (%.3f) [%.0f s]%n",
                SHOTS,
                speech.protoMeta(),
                speech.protoMetaFlite(),
                speech.protoStandard(),
                speech.protoStandardFlite(),
                speech.fineTune(),
                speech.fineTuneFlite(),
                seconds(start));

        LabeledData<String> all = TextData.resource(TextFormat.JSONL, NlpQuickStart.class, "spam/messages.jsonl.gz")
                .text("body")
                .label("label")
                .classes("ham", "spam")
                .read();
        Split<String> split = all.stratifiedSplit((double) config.testSize() / all.size(), config.seed());
        LabeledData<String> train = split.train().samplePerClass(config.perClass(), config.seed());
        LabeledData<String> test = split.validation();
        try (BertEncoder minilm = Bert.allMiniLmL6V2();
                Backbone<String> base = minilm.backbone(Pooling.MEAN, NlpQuickStart.SHORT);
                Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(8).alpha(16))) {
            long head = base.featureSize() * train.numClasses() + train.numClasses();
            long loraParams = count(lora.weights(), true) + head;
            long fullParams = count(base.weights(), false) + head;
            long t = System.nanoTime();
            double full;
            try (TransferModel<String> model =
                    NlpQuickStart.fineTuneRecipe(base, config.seed()).fit(train)) {
                full = model.evaluate(test).accuracy();
            }
            System.out.printf(
                    Locale.ROOT,
                    "2. Spam, %d e-mails per class, %d held out: full fine-tuning %.3f, %,d parameters trained"
                            + " [%.0f s]%n",
                    config.perClass(),
                    test.size(),
                    full,
                    fullParams,
                    seconds(t));
            t = System.nanoTime();
            double loraAccuracy;
            try (TransferModel<String> model = NlpQuickStart.fineTuneRecipe(lora, config.seed())
                    .learningRate(LORA_LEARNING_RATE)
                    .fit(train)) {
                loraAccuracy = model.evaluate(test).accuracy();
            }
            System.out.printf(
                    Locale.ROOT,
                    "   LoRA r=8 alpha=16 on query and value: %.3f, %,d parameters trained (%.2f %%) [%.0f s]%n",
                    loraAccuracy,
                    loraParams,
                    100.0 * loraParams / fullParams,
                    seconds(t));
            return new Result(speech, loraAccuracy, full, loraParams, fullParams);
        }
    }

    /**
     * Counts weight values: LoRA's updates, or every weight outside the embeddings (what the NLP recipe
     * trains when it freezes up to {@code encoder.layer.0}).
     */
    private static long count(Map<String, NDArray> weights, boolean loraOnly) {
        long count = 0;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            boolean isLora = Lora.isLoraParameter(e.getKey());
            if (loraOnly ? isLora : !isLora && !e.getKey().startsWith("embeddings.")) {
                count += e.getValue().size();
            }
        }
        return count;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
