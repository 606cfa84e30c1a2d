package io.tl4j.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code chromium} headless on a local page, offline and with a fresh profile: takes a
 * screenshot, collects the page's console messages, or dumps the DOM after its scripts ran.
 */
final class HeadlessChromium {

    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    private final Path executable;
    private final Path work;

    private HeadlessChromium(Path executable, Path work) {
        this.executable = executable;
        this.work = work;
    }

    /**
     * Finds {@code chromium} on the PATH.
     *
     * @param work a directory for profiles and logs
     * @return the browser, or empty when it is not installed
     */
    static Optional<HeadlessChromium> find(Path work) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "chromium");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new HeadlessChromium(candidate, work));
            }
        }
        return Optional.empty();
    }

    /**
     * Loads a page, writes a screenshot of it and returns the console messages it logged.
     *
     * @param page the HTML file
     * @param screenshot the PNG file to write
     * @return the console lines of chromium's log, empty for a page that logged nothing
     */
    List<String> screenshot(Path page, Path screenshot) throws IOException, InterruptedException {
        String log = run(
                page,
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=800,2600",
                "--screenshot=" + screenshot.toAbsolutePath());
        return log.lines().filter(line -> line.contains(":CONSOLE")).toList();
    }

    /**
     * Loads a page and returns its DOM after the scripts ran.
     *
     * @param page the HTML file
     * @return the serialized DOM
     */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    private String run(Path page, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + Files.createTempDirectory(work, "profile"));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path output = Files.createTempFile(work, "chromium", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within 60 s on " + page);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "chromium exited with " + process.exitValue() + " on " + page + ":\n" + text);
        }
        return text;
    }
}
