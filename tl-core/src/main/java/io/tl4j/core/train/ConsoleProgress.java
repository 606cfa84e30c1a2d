package io.tl4j.core.train;

import io.tl4j.core.metrics.EpochRecord;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The default progress display: one line per epoch, redrawn in place as steps finish (epoch, bar,
 * step, loss, accuracy, items/s), then the epoch's validation metrics.
 */
public final class ConsoleProgress implements TrainingListener {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private long lastDraw;
    private int epochs;

    /**
     * Creates a progress bar drawing on a stream.
     *
     * @param out where to draw, usually {@code System.out}
     */
    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        lastDraw = 0;
    }

    @Override
    public void onStep(StepInfo s) {
        long now = System.nanoTime();
        if (s.step() < s.stepsPerEpoch() && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int done = (int) ((long) WIDTH * s.step() / s.stepsPerEpoch());
        out.printf(
                Locale.ROOT,
                "\repoch %d/%d [%s%s] %d/%d loss %.4f acc %.3f %.0f items/s",
                s.epoch(),
                epochs,
                "=".repeat(done),
                " ".repeat(WIDTH - done),
                s.step(),
                s.stepsPerEpoch(),
                s.runningLoss(),
                s.runningAccuracy(),
                s.itemsPerSecond());
        out.flush();
    }

    @Override
    public void onEpochEnd(EpochRecord record) {
        StringBuilder line = new StringBuilder(
                String.format(Locale.ROOT, " | lr %.2e | %.1fs", record.learningRate(), record.seconds()));
        for (Map.Entry<String, Double> m : record.metrics().entrySet()) {
            line.append(String.format(Locale.ROOT, " | %s %.4f", m.getKey(), m.getValue()));
        }
        out.println(line);
    }
}
