package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text model on real pretrained weights (all-MiniLM-L6-v2) trained, saved with {@code TransferModel.save}, served
 * and asked over HTTP with JSON strings: the server answers the model's own probabilities.
 */
class TextModelTest {

    private static final List<String> CLASSES = List.of("animals", "money");

    /** Unseen texts, with quotes, accents, CJK, an emoji and an empty string, as JSON carries them. */
    private static final List<String> TEXTS = List.of(
            "A kitten plays with a ball of yarn.",
            "The stock market closed higher today.",
            "He said \"the loan carries a high interest rate\" twice.",
            "naïve café: the puppy barked at the mailman in 東京 🙂",
            "");

    @Test
    void aSavedMiniLmModelAnswersJsonStringsWithItsOwnProbabilities(@TempDir Path dir) {
        Path saved = dir.resolve("topics");
        float[][] expected;
        try (BertEncoder encoder = Bert.allMiniLmL6V2();
                Backbone<String> backbone = encoder.backbone(Pooling.MEAN, 32);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .epochs(30)
                        .learningRate(0.05f)
                        .progressBar(false)
                        .fit(train())) {
            model.save(saved);
            expected = model.probabilities(TEXTS);
        }
        try (ModelServer server =
                ModelServer.builder().model("topics", saved).port(0).build().start()) {
            String body = new Gson().toJson(Map.of("inputs", TEXTS));
            HttpResponse<String> response = post(server, "/v1/models/topics:predict", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonArray predictions =
                    JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("predictions");
            assertThat(predictions).hasSize(TEXTS.size());
            for (int i = 0; i < TEXTS.size(); i++) {
                for (var element : predictions.get(i).getAsJsonArray()) {
                    JsonObject label = element.getAsJsonObject();
                    int c = CLASSES.indexOf(label.get("label").getAsString());
                    assertThat(label.get("probability").getAsFloat())
                            .as("text %d, class %s", i, CLASSES.get(c))
                            .isCloseTo(expected[i][c], within(1e-5f));
                }
            }
            // the model learned the topics: the first two unseen texts land in their class
            assertThat(top(predictions, 0)).isEqualTo("animals");
            assertThat(top(predictions, 1)).isEqualTo("money");
            // a number array is not a text: the text model refuses it, naming the input
            HttpResponse<String> wrong = post(server, "/v1/models/topics:predict", "{\"inputs\":[\"ok\",[1,2]]}");
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
            assertThat(JsonParser.parseString(wrong.body())
                            .getAsJsonObject()
                            .get("field")
                            .getAsString())
                    .isEqualTo("inputs[1]");
        }
    }

    private static String top(JsonArray predictions, int index) {
        return predictions
                .get(index)
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject()
                .get("label")
                .getAsString();
    }

    private static LabeledData<String> train() {
        return LabeledData.of(
                List.of(
                        "The dog chased the ball across the garden.",
                        "A cat is sleeping on the warm windowsill.",
                        "Horses graze in the green meadow.",
                        "The parrot repeated every word it heard.",
                        "Our rabbit loves fresh carrots.",
                        "Wolves hunt together in packs.",
                        "The bank raised its interest rates.",
                        "Shares of the company dropped ten percent.",
                        "She opened a savings account with a deposit.",
                        "Inflation makes groceries more expensive.",
                        "The investor sold his bonds at a loss.",
                        "Taxes are due at the end of the quarter."),
                new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1},
                CLASSES);
    }
}
