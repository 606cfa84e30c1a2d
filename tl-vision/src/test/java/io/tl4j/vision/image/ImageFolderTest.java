package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path root;

    private void image(String cls, String name, Color color) {
        TestImages.write(
                TestImages.halves(12, 10, color, color), root.resolve(cls).resolve(name));
    }

    @Test
    void subfoldersAreClassesInNameOrder() throws Exception {
        image("dog", "b.png", Color.BLUE);
        image("dog", "a.jpg", Color.BLUE);
        image("cat", "1.PNG", Color.RED);
        Files.writeString(root.resolve("cat").resolve("notes.txt"), "not an image");
        Files.writeString(root.resolve("README"), "top-level file");
        image(".hidden", "x.png", Color.GREEN);
        LabeledData<Path> data = ImageFolder.at(root).load();
        assertThat(data.classNames()).containsExactly("cat", "dog");
        assertThat(data.inputs())
                .containsExactly(root.resolve("cat/1.PNG"), root.resolve("dog/a.jpg"), root.resolve("dog/b.png"));
        assertThat(data.labels()).containsExactly(0, 1, 1);
    }

    @Test
    void corruptImageFailsWhenDecodedNamingTheFile() {
        image("cat", "ok.png", Color.RED);
        image("dog", "ok.png", Color.BLUE);
        Path bad = TestImages.corrupt(root.resolve("dog/bad.png"));
        LabeledData<Path> data = ImageFolder.at(root).load();
        assertThat(data.size()).isEqualTo(3);
        Backbone<Path> backbone = Backbone.<Path>builder()
                .setArchitecture(Architectures.convNet(4))
                .setPipeline(ImagePipeline.forFiles(8))
                .build();
        assertThatThrownBy(() -> TransferLearner.from(backbone)
                        .progressBar(false)
                        .epochs(1)
                        .fit(data))
                .hasMessageContaining(bad.toString());
        backbone.close();
    }

    @Test
    void unreadableImagesAreSkippedAndCountedWhenAskedTo() {
        image("cat", "a.png", Color.RED);
        image("cat", "b.png", Color.RED);
        image("dog", "c.png", Color.BLUE);
        Path bad1 = TestImages.corrupt(root.resolve("cat/broken.jpg"));
        Path bad2 = TestImages.corrupt(root.resolve("dog/broken.png"));
        ImageFolder.Scan scan = ImageFolder.at(root).optSkipUnreadable(true).scan();
        assertThat(scan.data().size()).isEqualTo(3);
        assertThat(scan.skipped()).extracting(ImageFolder.Skipped::file).containsExactly(bad1, bad2);
        assertThat(scan.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
    }

    @Test
    void emptyClassFolderIsAnErrorNamingIt() throws Exception {
        image("cat", "a.png", Color.RED);
        Files.createDirectories(root.resolve("dog"));
        assertThatThrownBy(() -> ImageFolder.at(root).load())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(root.resolve("dog").toString())
                .hasMessageContaining("no images");
        // a class whose only image is unreadable is empty once it is skipped
        TestImages.corrupt(root.resolve("dog/bad.png"));
        assertThatThrownBy(() -> ImageFolder.at(root).optSkipUnreadable(true).load())
                .hasMessageContaining(root.resolve("dog").toString())
                .hasMessageContaining("no readable images");
    }

    @Test
    void missingRootOrNoClassFoldersAreErrors() throws Exception {
        assertThatThrownBy(() -> ImageFolder.at(root.resolve("nope")).load()).hasMessageContaining("does not exist");
        Files.writeString(root.resolve("loose.png"), "x");
        assertThatThrownBy(() -> ImageFolder.at(root).load()).hasMessageContaining("no class subfolders");
    }

    @Test
    void extensionsCanBeRestricted() {
        image("cat", "a.png", Color.RED);
        image("cat", "b.jpg", Color.RED);
        assertThat(ImageFolder.at(root).optExtensions(".PNG").load().inputs())
                .containsExactly(root.resolve("cat/a.png"));
    }

    @Test
    void trainedModelReloadsWithItsImagePipeline() throws Exception {
        for (int i = 0; i < 4; i++) {
            image("red", i + ".png", new Color(200 + 10 * i, 10, 10));
            image("blue", i + ".png", new Color(10, 10, 200 + 10 * i));
        }
        LabeledData<Path> data = ImageFolder.at(root).load();
        ImagePipeline<Path> pipeline = ImagePipeline.forFiles(8).horizontalFlip(0.5f);
        try (Backbone<Path> backbone = Backbone.<Path>builder()
                        .setArchitecture(Architectures.convNet(4))
                        .setPipeline(pipeline)
                        .build();
                TransferModel<Path> model = TransferLearner.from(backbone)
                        .unfreezeAll()
                        .progressBar(false)
                        .learningRate(0.05f)
                        .epochs(15)
                        .fit(data)) {
            assertThat(backbone.inputShape()).isEqualTo(new Shape(3, 8, 8));
            assertThat(model.evaluate(data).accuracy()).isEqualTo(1.0);
            Path saved = Files.createTempDirectory(root.getParent(), "model");
            model.save(saved);
            try (TransferModel<Path> loaded = TransferModel.load(saved)) {
                assertThat(loaded.pipeline()).isInstanceOf(ImagePipeline.class);
                assertThat(loaded.pipeline().config()).isEqualTo(pipeline.config());
                assertThat(loaded.probabilities(data.inputs())).isDeepEqualTo(model.probabilities(data.inputs()));
            }
        }
    }
}
