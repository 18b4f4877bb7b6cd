package io.dormouse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dormouse.config.LogConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogOutputTest {

    private final PrintStream original = System.err;

    @AfterEach
    void restore() {
        System.setErr(original);
        LogOutput.configure(new LogConfig(LogConfig.Format.TEXT, "warn"));
    }

    private String capture(LogConfig config) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        LogOutput.configure(config);
        LoggerFactory.getLogger("io.dormouse.Example").atInfo()
                .addKeyValue("vm", "web-1").addKeyValue("ms", 42).log("woke \"quickly\"");
        LoggerFactory.getLogger("io.dormouse.Example").debug("hidden at info");
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textIsOneLogfmtLinePerEvent() {
        String out = capture(new LogConfig(LogConfig.Format.TEXT, "info"));
        assertThat(out.lines()).hasSize(1);
        assertThat(out).startsWith("ts=").contains(" level=INFO logger=Example msg=\"woke \\\"quickly\\\"\"")
                .contains("vm=\"web-1\"").contains("ms=\"42\"");
    }

    @Test
    void jsonIsOneObjectPerLine() throws Exception {
        String out = capture(new LogConfig(LogConfig.Format.JSON, "info"));
        assertThat(out.lines()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(out.lines().findFirst().orElseThrow());
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("message").asText()).isEqualTo("woke \"quickly\"");
        assertThat(line.toString()).contains("web-1");
    }
}
