package io.tl4j.nlp.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.nlp.bert.TinyBert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TensorFlow checkpoint (LevelDB-format index of BundleEntryProto, raw float data) of the tiny BERT,
 * written by {@code make_tiny_bert_fixture.py} under Google's variable names, is read entry by entry;
 * broken index and data files are named in the errors.
 */
class TfCheckpointTest {

    @Test
    void readsEveryBlockAndEntryOfTheIndex() throws Exception {
        TfCheckpoint checkpoint = TfCheckpoint.read(TinyBert.tfSavedModel().resolve("variables/variables"));
        assertThat(checkpoint.skipped()).containsExactly("", "global_step");
        assertThat(checkpoint.tensors())
                .hasSize(TinyBert.EXPECTED.getAsJsonArray("names").size());
        TfCheckpoint.Tensor query = checkpoint.tensors().get("bert/encoder/layer_1/attention/self/query/kernel");
        assertThat(query.shape()).containsExactly(16, 16);
        // a kernel is the transpose of the Hugging Face weight: kernel[in][out] = weight[out][in]
        float[] weight = TinyBert.values("bert.encoder.layer.1.attention.self.query.weight", 256);
        assertThat(query.values()[1 * 16 + 2]).isEqualTo(weight[2 * 16 + 1]);
        assertThat(TfBertNames.hfName("bert/encoder/layer_11/output/LayerNorm/gamma"))
                .isEqualTo("encoder.layer.11.output.LayerNorm.weight");
        assertThat(TfBertNames.hfName("bert/embeddings/word_embeddings"))
                .isEqualTo("embeddings.word_embeddings.weight");
        assertThat(TfBertNames.hfName("cls/predictions/transform/LayerNorm/beta"))
                .isEqualTo("cls.predictions.transform.LayerNorm.bias");
    }

    @Test
    void corruptIndexAndShortDataAreNamed(@TempDir Path tmp) throws Exception {
        Path source = TinyBert.tfSavedModel().resolve("variables");
        Path prefix = tmp.resolve("variables");
        Files.copy(source.resolve("variables.index"), Path.of(prefix + ".index"));
        Files.copy(source.resolve("variables.data-00000-of-00001"), Path.of(prefix + ".data-00000-of-00001"));

        byte[] index = Files.readAllBytes(Path.of(prefix + ".index"));
        byte[] flipped = index.clone();
        flipped[40] ^= 0x5a;
        Files.write(Path.of(prefix + ".index"), flipped);
        assertThatThrownBy(() -> TfCheckpoint.read(prefix))
                .hasMessageContaining(prefix + ".index")
                .hasMessageContaining("CRC");

        byte[] compressed = index.clone();
        int firstBlockSize = firstDataBlockSize(index);
        compressed[firstBlockSize] = 1;
        Files.write(Path.of(prefix + ".index"), compressed);
        assertThatThrownBy(() -> TfCheckpoint.read(prefix)).hasMessageContaining("snappy");

        Files.write(Path.of(prefix + ".index"), java.util.Arrays.copyOf(index, index.length - 3));
        assertThatThrownBy(() -> TfCheckpoint.read(prefix)).hasMessageContaining("magic");

        Files.write(Path.of(prefix + ".index"), index);
        byte[] data = Files.readAllBytes(Path.of(prefix + ".data-00000-of-00001"));
        Files.write(Path.of(prefix + ".data-00000-of-00001"), java.util.Arrays.copyOf(data, 1000));
        assertThatThrownBy(() -> TfCheckpoint.read(prefix))
                .hasMessageContaining("Tensor bert/")
                .hasMessageContaining(prefix.toString());

        Files.delete(Path.of(prefix + ".data-00000-of-00001"));
        assertThatThrownBy(() -> TfCheckpoint.read(prefix)).hasMessageContaining("data-00000-of-00001");
    }

    /** The offset of the first data block's trailer: the index block's first handle gives its size. */
    private static int firstDataBlockSize(byte[] index) throws IOException {
        // the first block starts at 0; its handle is the first value of the index block, whose handle is in
        // the footer
        com.google.protobuf.CodedInputStream footer =
                com.google.protobuf.CodedInputStream.newInstance(index, index.length - 48, 48);
        footer.readRawVarint64();
        footer.readRawVarint64();
        int indexOffset = (int) footer.readRawVarint64();
        com.google.protobuf.CodedInputStream block =
                com.google.protobuf.CodedInputStream.newInstance(index, indexOffset, index.length - indexOffset);
        block.readRawVarint32(); // shared
        int keyLength = block.readRawVarint32();
        block.readRawVarint32(); // value length
        block.readRawBytes(keyLength);
        block.readRawVarint64(); // offset 0
        return (int) block.readRawVarint64();
    }
}
