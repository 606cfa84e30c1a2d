package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import io.tl4j.core.FileInput;
import java.awt.Color;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImagePipeline} as a {@link FileInput}: what callers holding only files (a model server) get from a file. */
class ImageFileInputTest {

    @TempDir
    Path dir;

    @Test
    void aPipelineOverFilesReturnsThePathAndOneOverImagesTheDecodedImage() {
        Path png = TestImages.write(TestImages.halves(20, 10, Color.RED, Color.BLUE), dir.resolve("a.png"));
        FileInput<Path> files = ImagePipeline.forFiles(8);
        assertThat(files.readFile(png)).isEqualTo(png);
        FileInput<Image> images = ImagePipeline.forImages(8);
        Image image = images.readFile(png);
        assertThat(image.getWidth()).isEqualTo(20);
        assertThat(image.getHeight()).isEqualTo(10);
    }

    @Test
    void aBadOrTooLargeFileIsRefusedAtOnceNamingIt() {
        Path bad = TestImages.corrupt(dir.resolve("bad.png"));
        assertThatThrownBy(() -> ImagePipeline.forFiles(8).readFile(bad))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(bad.toString());
        Path big = TestImages.write(TestImages.halves(64, 64, Color.RED, Color.BLUE), dir.resolve("big.png"));
        assertThatThrownBy(() -> ImagePipeline.forFiles(8)
                        .imageLimits(new ImageLimits(1000, 1000))
                        .readFile(big))
                .isInstanceOf(ImageTooLargeException.class)
                .hasMessageContaining(big.toString());
    }
}
