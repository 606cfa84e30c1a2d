package io.tl4j.nlp.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BagOfWordsTest {

    @Test
    void tokensAreLowerCasedWordsOfTwoOrMoreCharacters() {
        assertThat(TfIdfVectorizer.tokenize("Buy NOW, buy now! a I x_y 42 café"))
                .isEqualTo(Map.of("buy", 2, "now", 2, "x_y", 1, "42", 1, "café", 1));
    }

    @Test
    void tfIdfWeightsFollowTheSublinearSmoothedFormula() {
        TfIdfVectorizer v = TfIdfVectorizer.fit(List.of("apple apple pie", "apple tart"), 1);
        assertThat(v.dimension()).isEqualTo(3); // apple, pie, tart
        SparseVector x = v.transform("apple apple apple pie unknown");
        // apple: tf 3, df 2 -> (1 + ln 3) * (1 + ln(3/3)); pie: tf 1, df 1 -> 1 * (1 + ln(3/2))
        double apple = 1 + Math.log(3);
        double pie = 1 + Math.log(1.5);
        double norm = Math.hypot(apple, pie);
        assertThat(x.indices()).containsExactly(0, 1);
        assertThat(x.values()[0]).isCloseTo((float) (apple / norm), within(1e-6f));
        assertThat(x.values()[1]).isCloseTo((float) (pie / norm), within(1e-6f));
        assertThat(v.transform("nothing known here").size()).isZero();
        assertThat(TfIdfVectorizer.fit(List.of("apple pie", "apple tart"), 2).dimension())
                .isEqualTo(1);
    }

    /** Texts whose class shows in a few keywords hidden among shared filler words. */
    private static LabeledData<String> topics(int perClass, long seed) {
        String[][] keywords = {
            {"goal", "match", "team", "coach", "league"},
            {"vote", "election", "senate", "party", "law"},
            {"recipe", "oven", "flour", "sugar", "bake"}
        };
        String[] filler = {"the", "today", "people", "said", "new", "week", "report", "city", "time", "year"};
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        int[] labels = new int[perClass * 3];
        for (int i = 0; i < labels.length; i++) {
            int c = i % 3;
            labels[i] = c;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                boolean topical = random.nextDouble() < 0.2;
                String[] pool = topical ? keywords[c] : filler;
                text.append(pool[random.nextInt(pool.length)]).append(' ');
            }
            texts.add(text.toString());
        }
        return LabeledData.of(texts, labels, List.of("sport", "politics", "cooking"));
    }

    @Test
    void crossValidationChoosesCOnTheTrainingDataAndTheModelGeneralises() {
        LabeledData<String> train = topics(20, 1);
        LabeledData<String> test = topics(200, 2);
        BagOfWordsClassifier model = BagOfWordsLearner.create().seed(3).fit(train);
        assertThat(model.crossValidatedAccuracy()).containsOnlyKeys(0.01, 0.1, 1.0, 10.0, 100.0, 1000.0);
        double bestCv = model.crossValidatedAccuracy().values().stream()
                .mapToDouble(d -> d)
                .max()
                .orElseThrow();
        assertThat(model.crossValidatedAccuracy().get(model.c())).isEqualTo(bestCv);
        assertThat(model.evaluate(test).accuracy()).isGreaterThan(0.85);
        assertThat(model.predict(List.of("the coach said the team won the match")))
                .containsExactly(0);
        double[] p = model.probabilities("oven flour sugar");
        assertThat(p[2]).isGreaterThan(p[0]).isGreaterThan(p[1]);
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aSingleCSkipsCrossValidation() {
        BagOfWordsClassifier model = BagOfWordsLearner.create().cs(10).fit(topics(5, 1));
        assertThat(model.c()).isEqualTo(10);
        assertThat(model.crossValidatedAccuracy()).isEmpty();
        assertThat(model.vocabularySize()).isGreaterThan(10);
    }
}
