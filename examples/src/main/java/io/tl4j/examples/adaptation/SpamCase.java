package io.tl4j.examples.adaptation;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.adapt.SelfTraining;
import io.tl4j.core.adapt.SelfTrainingResult;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.examples.NlpQuickStart;
import io.tl4j.examples.catalog.TextBackbones;
import io.tl4j.nlp.data.TextData;
import io.tl4j.nlp.data.TextFormat;
import io.tl4j.nlp.fewshot.BackboneEmbedder;
import io.tl4j.nlp.zeroshot.ClassDescriptions;
import io.tl4j.nlp.zeroshot.EncoderPrefixes;
import io.tl4j.nlp.zeroshot.ZeroShotClassifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text case of adaptation: SpamAssassin e-mail with few or no labels and plenty of unlabelled
 * messages. Zero-shot classification by class descriptions (no labels at all), and self-training
 * at {@value #LABELS} labels per class with an unlabelled pool, against plain fine-tuning of
 * all-MiniLM-L6-v2 on the same labels with the NLP quick start's recipe. Self-training runs twice: taking
 * predictions above a probability threshold, and class-balanced (CBST: the most confident fraction of each
 * predicted class).
 */
public final class SpamCase {

    /** Labelled messages per class for self-training and its baseline. */
    public static final int LABELS = 8;
    /** The fraction of each predicted class that class-balanced self-training takes in its first round. */
    static final double BALANCED_FRACTION = 0.2;
    /** Unlabelled training-side messages in the pool. */
    static final int POOL = 400;
    /** Tokens per text. */
    static final int TOKENS = 128;
    /** Tokens per text for zero-shot: the model's full length (most messages are longer than 128 tokens). */
    public static final int ZERO_SHOT_TOKENS = 512;
    /** The zero-shot encoder. */
    public static final TextBackbones ZERO_SHOT_ENCODER = TextBackbones.E5_SMALL_V2;
    /** The candidate class descriptions; {@code ZeroShotSpam} chooses among them on development messages. */
    public static final Map<String, ClassDescriptions> DESCRIPTION_SETS = descriptionSets();
    /** The set chosen for e5-small-v2 at 512 tokens on development messages by {@code ZeroShotSpam}. */
    public static final String CHOSEN = "ensemble";

    private final LabeledData<String> all;

    private static Map<String, ClassDescriptions> descriptionSets() {
        String[] ham = {
            "a personal or work e-mail",
            "an e-mail from a colleague, a friend or a mailing list discussion",
            "a message on a technical mailing list about software, linux or open source"
        };
        String[] spam = {
            "spam: unsolicited bulk advertising e-mail",
            "an unsolicited commercial e-mail selling a product, a money offer or a scam",
            "an advertisement offering money, a mortgage, pills, free prizes or a business opportunity"
        };
        Map<String, ClassDescriptions> sets = new LinkedHashMap<>();
        sets.put("names", ClassDescriptions.ofNames(List.of("ham", "spam")));
        sets.put(
                "short",
                ClassDescriptions.builder()
                        .add("ham", ham[0])
                        .add("spam", spam[0])
                        .build());
        sets.put(
                "described",
                ClassDescriptions.builder()
                        .add("ham", ham[1])
                        .add("spam", spam[1])
                        .build());
        sets.put(
                "ensemble",
                ClassDescriptions.builder().add("ham", ham).add("spam", spam).build());
        return Collections.unmodifiableMap(sets);
    }

    /** Reads the vendored messages. */
    public SpamCase() {
        all = TextData.resource(TextFormat.JSONL, SpamCase.class, "/io/tl4j/examples/spam/messages.jsonl.gz")
                .text("body")
                .label("label")
                .classes("ham", "spam")
                .read();
    }

    /**
     * Returns the zero-shot accuracy on the seed's 500 test messages: e5-small-v2 at 512 tokens with
     * its prefixes and the chosen descriptions, centred on the unlabelled pool.
     *
     * @param seed the split
     * @return the test accuracy
     */
    public double zeroShot(long seed) {
        Data data = split(seed);
        try (BackboneEmbedder embedder = BackboneEmbedder.of(ZERO_SHOT_ENCODER.backbone(ZERO_SHOT_TOKENS))) {
            ZeroShotClassifier classifier =
                    ZeroShotClassifier.create(embedder, DESCRIPTION_SETS.get(CHOSEN), EncoderPrefixes.e5());
            return classifier
                    .centredOn(classifier.embed(data.pool().inputs()))
                    .evaluate(data.test())
                    .accuracy();
        }
    }

    /**
     * Runs plain fine-tuning, and self-training on top of it, at one seed.
     *
     * @param seed the split, the labelled sample and training
     * @return the test accuracy of each
     */
    public CaseResult selfTraining(long seed) {
        Data data = split(seed);
        Unlabelled<String> pool = Unlabelled.hidingLabels(data.pool());
        Map<String, Double> accuracy = new LinkedHashMap<>();
        try (Backbone<String> minilm = TextBackbones.ALL_MINILM_L6_V2.backbone(TOKENS)) {
            TransferLearner<String> fineTune = NlpQuickStart.fineTuneRecipe(minilm, seed);
            try (TransferModel<String> plain = fineTune.fit(data.labelled())) {
                accuracy.put(CaseResult.NONE, plain.evaluate(data.test()).accuracy());
                SelfTrainingResult<String> result =
                        SelfTraining.with(fineTune).rounds(2).run(plain, data.labelled(), pool);
                result.rounds().forEach(r -> System.out.println("    " + r));
                accuracy.put(
                        "self-training", result.model().evaluate(data.test()).accuracy());
                if (result.model() != plain) {
                    result.model().close();
                }
                SelfTrainingResult<String> balanced = SelfTraining.with(fineTune)
                        .classBalanced(BALANCED_FRACTION)
                        .rounds(2)
                        .run(plain, data.labelled(), pool);
                balanced.rounds().forEach(r -> System.out.println("    class-balanced " + r));
                accuracy.put(
                        "class-balanced self-training",
                        balanced.model().evaluate(data.test()).accuracy());
                if (balanced.model() != plain) {
                    balanced.model().close();
                }
            }
        }
        return new CaseResult("spam, " + LABELS + " labels/class + " + POOL + " unlabelled", accuracy);
    }

    private record Data(LabeledData<String> labelled, LabeledData<String> pool, LabeledData<String> test) {}

    private Data split(long seed) {
        Split<String> split = all.stratifiedSplit(500.0 / all.size(), seed);
        LabeledData<String> labelled = split.train().samplePerClass(LABELS, seed);
        Split<String> rest =
                split.train().stratifiedSplit((double) POOL / split.train().size(), seed + 100);
        List<String> chosen = labelled.inputs();
        int[] keep = java.util.stream.IntStream.range(0, rest.validation().size())
                .filter(i -> !chosen.contains(rest.validation().input(i)))
                .toArray();
        return new Data(labelled, rest.validation().subset(keep), split.validation());
    }
}
