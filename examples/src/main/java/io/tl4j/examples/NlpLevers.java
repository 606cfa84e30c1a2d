package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.baseline.BagOfWordsClassifier;
import io.tl4j.nlp.baseline.LogisticRegression;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.nlp.fewshot.ContrastiveTuner;
import java.util.Locale;
import java.util.Map;

/**
 * The NLP quick start's two levers meant to beat bag of words ({@code --levers}): all-MiniLM-L6-v2's full length
 * (512 tokens instead of 128) and SetFit-style contrastive tuning of the encoder, alone and averaged with the bag
 * of words.
 */
final class NlpLevers {

    private NlpLevers() {}

    /**
     * Runs the two levers on a split and records their accuracies and seconds: features at 512 tokens
     * ({@code features 512}, {@code centroid 512}), SetFit at 128 and 512 tokens and SetFit averaged with the bag
     * of words ({@code setfit 128}, {@code setfit 512}, {@code setfit 512 + bag of words}).
     */
    static void run(
            NlpQuickStart.Config config,
            BertEncoder minilm,
            Backbone<String> short128,
            BagOfWordsClassifier bow,
            LabeledData<String> train,
            LabeledData<String> test,
            Map<String, Double> accuracy,
            Map<String, Double> seconds) {
        System.out.println("4. Beating bag of words: the full 512 tokens, and SetFit-style contrastive tuning");
        long t = System.nanoTime();
        try (Backbone<String> full = minilm.backbone(Pooling.MEAN, NlpQuickStart.FULL)) {
            CachedEmbeddings pretrained = CachedEmbeddings.of(full, train, test);
            NlpQuickStart.record(accuracy, seconds, "features 512", pretrained.logisticRegression(config.seed()), t);
            accuracy.put("centroid 512", pretrained.nearestCentroid());
        }
        System.out.printf(
                Locale.ROOT,
                "   feature extraction at 512 tokens: %.3f (centroid %.3f)%n",
                accuracy.get("features 512"),
                accuracy.get("centroid 512"));

        t = System.nanoTime();
        try (Backbone<String> tuned = ContrastiveTuner.from(short128)
                .epochs(5)
                .learningRate(5e-5f)
                .batchSize(16)
                .seed(config.seed())
                .tune(train)) {
            double tuning = NlpQuickStart.seconds(t);
            t = System.nanoTime();
            NlpQuickStart.record(
                    accuracy,
                    seconds,
                    "setfit 128",
                    CachedEmbeddings.of(tuned, train, test).logisticRegression(config.seed()),
                    t);
            seconds.merge("setfit 128", tuning, Double::sum);
            t = System.nanoTime();
            try (Backbone<String> tunedFull = Backbone.<String>builder()
                    .setArchitecture(tuned.architecture())
                    .setPipeline(minilm.pipeline(NlpQuickStart.FULL))
                    .optWeights(tuned.weights())
                    .optProvenance(tuned.provenance())
                    .build()) {
                CachedEmbeddings full = CachedEmbeddings.of(tunedFull, train, test);
                LogisticRegression head = full.head(config.seed());
                NlpQuickStart.record(
                        accuracy,
                        seconds,
                        "setfit 512",
                        full.accuracy(i -> head.predict(full.test().input(i))),
                        t);
                seconds.merge("setfit 512", tuning, Double::sum);
                // the two views disagree on different messages: average their probabilities
                accuracy.put(
                        "setfit 512 + bag of words",
                        full.accuracy(i ->
                                argmax(head.probabilities(full.test().input(i)), bow.probabilities(test.input(i)))));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "   SetFit (contrastive tuning on all pairs at 128 tokens, then logistic"
                        + " regression): %.3f with 128-token embeddings, %.3f with 512; averaged with bag of words: %.3f%n",
                accuracy.get("setfit 128"),
                accuracy.get("setfit 512"),
                accuracy.get("setfit 512 + bag of words"));
    }

    private static int argmax(double[] a, double[] b) {
        int best = 0;
        for (int k = 1; k < a.length; k++) {
            if (a[k] + b[k] > a[best] + b[best]) {
                best = k;
            }
        }
        return best;
    }
}
