package io.tl4j.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.data.LabeledData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDataTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void csvWithQuotedCommasDoubledQuotesAndEmbeddedNewlines() throws IOException {
        Path file = write(
                "mail.csv",
                "id,body,label\r\n"
                        + "1,\"Hello, world\",ham\r\n"
                        + "2,\"He said \"\"buy now\"\"\nand then\r\nleft\",spam\r\n"
                        + "\n"
                        + "3,plain text,ham\n");
        LabeledData<String> data =
                TextData.csv(file).text("body").label("label").read();
        assertThat(data.inputs())
                .containsExactly("Hello, world", "He said \"buy now\"\nand then\r\nleft", "plain text");
        assertThat(data.classNames()).containsExactly("ham", "spam");
        assertThat(data.labels()).containsExactly(0, 1, 0);
    }

    @Test
    void lineNumbersCountLinesInsideQuotedFields() throws IOException {
        Path file = write("mail.csv", "body,label\n\"line one\nline two\",ham\n,spam\n");
        assertThatThrownBy(() -> TextData.csv(file).text("body").label("label").read())
                .isInstanceOf(TextDataException.class)
                .hasMessage(file + ":4: the text ('body') is empty")
                .satisfies(e -> assertThat(((TextDataException) e).line()).isEqualTo(4));
    }

    @Test
    void tsvUsesTabsAndKeepsQuotesInsideUnquotedFields() throws IOException {
        Path file = write("data.tsv", "text\tlabel\nsay \"hi\", friend\tpos\n\"tab\there\"\tneg\n");
        LabeledData<String> data =
                TextData.tsv(file).text("text").label("label").read();
        assertThat(data.inputs()).containsExactly("say \"hi\", friend", "tab\there");
        assertThat(data.classNames()).containsExactly("neg", "pos");
    }

    @Test
    void declaredClassesFixTheOrderAndRejectUnknownLabels() throws IOException {
        Path file = write("d.csv", "body,label\na,spam\nb,ham\nc,eggs\n");
        assertThatThrownBy(() -> TextData.csv(file)
                        .text("body")
                        .label("label")
                        .classes("ham", "spam")
                        .read())
                .isInstanceOf(TextDataException.class)
                .hasMessage(file + ":4: unknown label 'eggs'; the declared classes are [ham, spam]");
        Path good = write("e.csv", "body,label\na,spam\nb,ham\n");
        LabeledData<String> data = TextData.csv(good)
                .text("body")
                .label("label")
                .classes("spam", "ham")
                .read();
        assertThat(data.classNames()).containsExactly("spam", "ham");
        assertThat(data.labels()).containsExactly(0, 1);
    }

    @Test
    void skippingCountsAndReportsEveryInvalidRow() throws IOException {
        Path file = write("d.csv", "body,label\na,spam\n  ,ham\nc,eggs\nd\ne,ham,extra\nf,\ng,ham\n");
        TextReadResult result = TextData.csv(file)
                .text("body")
                .label("label")
                .classes("ham", "spam")
                .skipInvalidRows()
                .readWithReport();
        assertThat(result.data().inputs()).containsExactly("a", "g");
        assertThat(result.skipped()).extracting(SkippedRow::line).containsExactly(3, 4, 5, 6, 7);
        assertThat(result.skipped().get(2).reason()).isEqualTo("has 1 fields but the header has 2");
        assertThat(result.skipped().get(4).reason()).isEqualTo("the label ('label') is empty");
    }

    @Test
    void missingColumnNamesTheFileAndTheHeader() throws IOException {
        Path file = write("d.csv", "text,category\na,b\n");
        assertThatThrownBy(() -> TextData.csv(file)
                        .text("body")
                        .label("category")
                        .skipInvalidRows()
                        .read())
                .isInstanceOf(TextDataException.class)
                .hasMessage(file + ":1: no column 'body'; the header has [text, category]");
    }

    @Test
    void shortRowIsAnErrorNamingItsLine() throws IOException {
        Path file = write("d.csv", "body,label\na,ham\nb\n");
        assertThatThrownBy(() -> TextData.csv(file).text("body").label("label").read())
                .hasMessage(file + ":3: has 1 fields but the header has 2");
    }

    @Test
    void undecodableBytesNameTheLineAndOffset() throws IOException {
        Path file = dir.resolve("latin1.csv");
        byte[] head = "body,label\nok,ham\ncaf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = ",ham\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9; // é in ISO-8859-1, not UTF-8
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        Files.write(file, bytes);
        assertThatThrownBy(() -> TextData.csv(file)
                        .text("body")
                        .label("label")
                        .skipInvalidRows()
                        .read())
                .isInstanceOf(TextDataException.class)
                .hasMessage(file + ":3: byte 0xE9 at offset " + head.length
                        + " is not valid UTF-8; re-encode the file as UTF-8");
    }

    @Test
    void byteOrderMarkIsDroppedAndMultilingualTextSurvives() throws IOException {
        Path file = write("bom.csv", "\uFEFFbody,label\n\"Grüße, 東京 🚀\",x\n");
        LabeledData<String> data =
                TextData.csv(file).text("body").label("label").read();
        assertThat(data.input(0)).isEqualTo("Grüße, 東京 🚀");
    }

    @Test
    void unterminatedQuoteNamesTheLineWhereItOpened() throws IOException {
        Path file = write("d.csv", "body,label\na,ham\n\"never closed,ham\nmore\n");
        assertThatThrownBy(() -> TextData.csv(file).text("body").label("label").read())
                .hasMessage(file + ":3: quoted field is never closed (missing '\"')");
    }

    @Test
    void textAfterClosingQuoteIsAnError() throws IOException {
        Path file = write("d.csv", "body,label\n\"quoted\" tail,ham\n");
        assertThatThrownBy(() -> TextData.csv(file).text("body").label("label").read())
                .hasMessageStartingWith(file + ":2: unexpected ' ' after a closing quote");
    }

    @Test
    void jsonLinesReadsStringsAndNumbersAndSkipsBlankLines() throws IOException {
        Path file = write(
                "d.jsonl", "{\"body\": \"first\\nline\", \"label\": 1}\n\n{\"body\": \"second\", \"label\": 0}\r\n");
        LabeledData<String> data =
                TextData.jsonl(file).text("body").label("label").read();
        assertThat(data.inputs()).containsExactly("first\nline", "second");
        assertThat(data.classNames()).containsExactly("0", "1");
        assertThat(data.labels()).containsExactly(1, 0);
    }

    @Test
    void jsonLinesErrorsNameTheLine() throws IOException {
        Path missing = write("m.jsonl", "{\"body\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": \"x\"}\n");
        assertThatThrownBy(() ->
                        TextData.jsonl(missing).text("body").label("label").read())
                .hasMessage(missing + ":2: no field 'body'; the object has [text, label]");
        Path broken = write("b.jsonl", "{\"body\": \"a\", \"label\": \"x\"}\n{\"body\": \"b\", \n");
        assertThatThrownBy(() -> TextData.jsonl(broken)
                        .text("body")
                        .label("label")
                        .skipInvalidRows()
                        .read())
                .isInstanceOf(TextDataException.class)
                .hasMessageStartingWith(broken + ":2: malformed JSON");
        Path array = write("a.jsonl", "[1, 2]\n");
        assertThatThrownBy(
                        () -> TextData.jsonl(array).text("body").label("label").read())
                .hasMessage(array + ":1: expected a JSON object, found [1, 2]");
    }

    @Test
    void gzippedFilesAreDecompressed() throws IOException {
        Path file = dir.resolve("d.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"t\": \"compressed\", \"y\": \"a\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(TextData.jsonl(file).text("t").label("y").read().inputs()).containsExactly("compressed");
    }

    @Test
    void fileWithoutValidRowsIsAnError() throws IOException {
        Path file = write("d.csv", "body,label\n,ham\n");
        assertThatThrownBy(() -> TextData.csv(file)
                        .text("body")
                        .label("label")
                        .skipInvalidRows()
                        .read())
                .hasMessage(file + ": no valid examples (1 rows skipped, first: " + file
                        + ":2: the text ('body') is empty)");
        Path empty = write("e.csv", "");
        assertThatThrownBy(() -> TextData.csv(empty).text("body").label("label").read())
                .hasMessage(empty + ": the file is empty; expected a header row");
    }

    @Test
    void missingResourceAndUnnamedColumnsAreClear() {
        assertThatThrownBy(() -> TextData.resource(TextFormat.CSV, TextDataTest.class, "nope.csv")
                        .text("a")
                        .label("b")
                        .read())
                .hasMessage(
                        "classpath:nope.csv: resource not found (relative to " + TextDataTest.class.getName() + ")");
        assertThatThrownBy(() -> TextData.csv(Path.of("x.csv")).read())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(".text(");
        assertThatThrownBy(() -> TextData.csv(Path.of("x.csv")).classes("a", "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(TextFormat.values())).hasSize(3);
    }
}
