package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * The child process of {@link KillAnywhereTest}: trains a small network for many short epochs with a
 * checkpoint after each, resuming from the directory given as its argument, and prints the sha256
 * of the final backbone weights and of the predicted probabilities (which cover the head).
 */
public final class KillableTraining {

    /** Epochs of the run: enough for twenty kills, each after at least one new checkpoint. */
    static final int EPOCHS = 40;

    private KillableTraining() {}

    /**
     * Trains, resuming where a killed run stopped.
     *
     * @param args the checkpoint directory
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        System.out.println("STARTED");
        System.out.flush();
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .unfreezeAll()
                        .epochs(EPOCHS)
                        .batchSize(8)
                        .seed(3)
                        .progressBar(false)
                        .resume(dir)
                        .fit(Fixtures.tiny(12, 1))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (Backbone<float[]> trained = model.backbone()) {
                for (Map.Entry<String, NDArray> e : trained.weights().entrySet()) {
                    digest.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    digest.update(e.getValue().toByteBuffer());
                }
            }
            for (float[] p : model.probabilities(Fixtures.tiny(12, 1).inputs())) {
                for (float v : p) {
                    digest.update(java.nio.ByteBuffer.allocate(4).putFloat(v).array());
                }
            }
            System.out.println("RESULT " + HexFormat.of().formatHex(digest.digest()) + " epochs "
                    + model.history().size());
        }
    }
}
