package io.dormouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode view(String operation, String unit, long done, long total) {
        return JSON.createObjectNode().put("operation", operation).put("unit", unit).put("done", done).put("total", total);
    }

    @Test
    void bytesAndPacksReadAsAmountsOfTheTotal() {
        assertThat(ProgressLine.format(view("verify web-1 version 2 (1 of 3)", "bytes", 512 << 10, 3L << 30)))
                .isEqualTo("verify web-1 version 2 (1 of 3): 512.0 KiB of 3.00 GiB (0 %)");
        assertThat(ProgressLine.format(view("gc", "packs", 30, 40))).isEqualTo("gc: 30 of 40 packs (75 %)");
        assertThat(ProgressLine.format(view("gc", "packs", 0, 0))).isEqualTo("gc: 0 of 0 packs");
    }

    @Test
    void writesALineWhenTheOperationMovedAndNothingOnceClosed() throws Exception {
        StringWriter err = new StringWriter();
        AtomicInteger polls = new AtomicInteger();
        // the operation is not under way at the first poll, then stands still twice, then moves
        long[] done = {-1, 100, 100, 100, 300, 300};
        ProgressLine line = new ProgressLine(token -> {
            int i = Math.min(polls.getAndIncrement(), done.length - 1);
            return done[i] < 0 ? Optional.empty() : Optional.of(view("op " + token, "packs", done[i], 400));
        }, "tok", new PrintWriter(err), Duration.ofMillis(5), true);
        while (polls.get() < done.length + 2) {
            Thread.sleep(5);
        }
        line.close();
        int after = err.toString().length();
        Thread.sleep(30);

        assertThat(err.toString()).isEqualTo(System.lineSeparator() + "op tok: 100 of 400 packs (25 %)"
                + System.lineSeparator() + "op tok: 300 of 400 packs (75 %)" + System.lineSeparator());
        assertThat(err.toString()).hasSize(after);
    }

    @Test
    void tokensAreFreshAndFitTheServersPattern() {
        Random random = new Random(1);
        String a = ProgressLine.newToken(random);
        String b = ProgressLine.newToken(random);

        assertThat(a).matches("[0-9a-f]{24}").isNotEqualTo(b);
    }
}
