package io.tl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column of file paths scored by a model whose pipeline reads files: tl-speech's keyword encoder with a head on five
 * words, over WAV paths. Each readable clip gets the model's own probabilities; a corrupt file and a missing one get an
 * error naming the file, and only their own rows do.
 */
class FileRowsTest {

    @Test
    void wavPathsAreReadByTheModelsPipelineAndBadFilesFailOnlyTheirRows(@TempDir Path dir) throws IOException {
        AdaptationWords words = AdaptationWords.extract();
        List<Path> clips = AdaptationWords.firstClips(words.heldOutVoices(), 2).subList(0, 6);
        Path corrupt = Files.write(dir.resolve("corrupt.wav"), "RIFF....WAVEnot audio".getBytes());
        Path missing = dir.resolve("missing.wav");
        List<Path> paths = new ArrayList<>(clips);
        paths.add(2, corrupt);
        paths.add(5, missing);
        Path modelDir = dir.resolve("keywords");
        float[][] expected;
        try (TransferModel<Audio> model = TransferLearner.from(KeywordEncoder.pretrained())
                .freezeAll()
                .learningRate(1e-2f)
                .epochs(3)
                .seed(1)
                .progressBar(false)
                .fit(AudioFolder.at(words.train()).load())) {
            model.save(modelDir);
            expected = model.probabilities(clips.stream().map(Wav::read).toList());
        }
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("tl-spark-files")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                rows.add(RowFactory.create(i, paths.get(i).toString()));
            }
            Dataset<Row> frame = spark.createDataFrame(
                            rows,
                            new StructType().add("id", DataTypes.IntegerType).add("input", DataTypes.StringType))
                    .repartition(2);
            TransferModelTransformer stage = new TransferModelTransformer();
            stage.setModelDirectory(modelDir.toString()).setPathInput(true).setBatchSize(4);
            List<Row> scored = stage.transform(frame).orderBy("id").collectAsList();
            assertThat(scored).hasSize(paths.size());
            int clip = 0;
            for (Row row : scored) {
                Path path = paths.get(row.getInt(0));
                String error = row.getAs("error");
                if (path.equals(corrupt) || path.equals(missing)) {
                    assertThat(error)
                            .as("error of %s", path)
                            .contains(path.getFileName().toString());
                    assertThat(row.<Vector>getAs("probability")).isNull();
                    continue;
                }
                assertThat(error).as("error of %s", path).isNull();
                double[] probability = row.<Vector>getAs("probability").toArray();
                for (int c = 0; c < probability.length; c++) {
                    assertThat(probability[c]).isCloseTo(expected[clip][c], within(1e-5));
                }
                clip++;
            }
            assertThat(clip).isEqualTo(clips.size());
        } finally {
            spark.stop();
        }
    }
}
