package io.tl4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** ServeMain's command line: every flag reaches the builder, and bad arguments are refused naming the flag. */
class ServeMainTest {

    @Test
    void everyFlagReachesTheBuilderInEitherForm() {
        ModelServer.Builder builder = ServeMain.configure(new String[] {
            "--host",
            "0.0.0.0",
            "--port=9090",
            "--max-batch",
            "16",
            "--batch-wait-ms",
            "12",
            "--queue-size",
            "64",
            "--timeout-ms",
            "2500",
            "--max-request-bytes",
            "4096",
            "--max-upload-bytes=65536",
            "--drift-window",
            "200",
            "--feedback-window",
            "100",
            "--prediction-memory",
            "5000",
            "spam=models/spam",
            "kws=models/kws"
        });
        assertThat(builder.describe())
                .isEqualTo("models={spam=models/spam, kws=models/kws} host=0.0.0.0 port=9090 maxBatch=16"
                        + " maxWaitMillis=12 queueCapacity=64 requestTimeoutMillis=2500 maxRequestBytes=4096"
                        + " maxUploadBytes=65536 driftWindow=200 feedbackWindow=100 predictionMemory=5000");
    }

    @Test
    void defaultsAreTheBuildersWhenNoFlagIsGiven() {
        assertThat(ServeMain.configure(new String[] {"spam=m"}).describe())
                .isEqualTo(ModelServer.builder()
                        .model("spam", java.nio.file.Path.of("m"))
                        .describe());
    }

    @Test
    void badArgumentsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--port"}))
                .hasMessageStartingWith("--port needs a value");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--port", "eighty"}))
                .hasMessage("--port 'eighty': not a whole number");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--max-batch", "0"}))
                .hasMessage("--max-batch '0': maxBatch is 0, not in [1, 4096]");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--queue-size=-3"}))
                .hasMessage("--queue-size '-3': queueCapacity is -3, not in [1, 1000000]");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--drift-window", "10"}))
                .hasMessageStartingWith("--drift-window '10': driftWindow is 10");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--timeout-ms", "99999999999"}))
                .hasMessageStartingWith("--timeout-ms '99999999999': requestTimeoutMillis is 99999999999");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--feedback-window", "99999999999"}))
                .hasMessage("--feedback-window '99999999999': too large");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--host="})).hasMessage("--host '': host is empty");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"--verbose"}))
                .hasMessageStartingWith("Argument 1 ('--verbose') is not a flag; flags: ")
                .hasMessageContaining("--batch-wait-ms");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"models/spam"}))
                .hasMessageContaining("Argument 1 ('models/spam') is neither a flag nor name=modelDir");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"spam=/a", "spam=/b"}))
                .hasMessage("Model name 'spam' is given twice");
        assertThatThrownBy(() -> ServeMain.configure(new String[] {"a/b=/a"})).hasMessageContaining("must match");
    }
}
