package io.tl4j.examples;

import java.util.Locale;

/**
 * Two cheap ways to adapt, side by side. Speech: five new words from 3 clips each, recognised by
 * the nearest prototype of a meta-trained keyword encoder ({@link SpeechMetaPretrain}) and of the
 * shipped classification-pretrained one, with no training, against the speech quick start's
 * fine-tuning ({@link SpeechMetaEvaluation} runs the full 1/3/5-shot, 3-seed comparison). Text: spam
 * with 32 labelled e-mails per class, all-MiniLM-L6-v2 at 128 tokens, LoRA (rank 8, alpha 16, query
 * and value) against full fine-tuning, both with the NLP quick start's recipe ({@link
 * NlpQuickStart#fineTuneRecipe}), LoRA at learning rate 5e-3 as in the README's LoRA section ({@link
 * LoraSpamComparison#run}). Ends
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
                LoraSpamComparison.seconds(start));

        System.out.println("2. Spam, all-MiniLM-L6-v2 at 128 tokens:");
        LoraSpamComparison.Scores spam =
                LoraSpamComparison.run(config.seed(), config.perClass(), config.testSize(), false);
        return new Result(speech, spam.lora(), spam.full(), spam.loraParams(), spam.fullParams());
    }
}
