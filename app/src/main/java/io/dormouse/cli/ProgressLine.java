package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Shows how far a long server operation is while the request that started it runs: polls the
 * operation's progress by its token and writes a line to standard error when it moved, at most one
 * per interval. Standard output (tables, --json) stays untouched.
 */
final class ProgressLine implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Thread poller;
    private volatile boolean done;

    /**
     * @param poll  the operation's progress now ({@code operation}, {@code unit}, {@code done}, {@code total}),
     *              or empty when it is not under way (not started yet, or ended)
     */
    ProgressLine(Function<String, Optional<JsonNode>> poll, String token, PrintWriter err, Duration interval) {
        this(poll, token, err, interval, false);
    }

    /** @param midLine the caller left a line open on {@code err}: the first progress line starts a new one */
    ProgressLine(Function<String, Optional<JsonNode>> poll, String token, PrintWriter err, Duration interval,
                 boolean midLine) {
        this.poller = Thread.ofVirtual().name("progress").start(() -> {
            String last = null;
            boolean open = midLine;
            while (!done) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                Optional<JsonNode> now = done ? Optional.empty() : poll.apply(token);
                if (now.isEmpty() || done) {
                    continue;
                }
                String line = format(now.get());
                if (!line.equals(last)) {
                    synchronized (err) {
                        if (open) {
                            err.println();
                            open = false;
                        }
                        err.println(line);
                        err.flush();
                    }
                    last = line;
                }
            }
        });
    }

    /** A fresh token for one operation: random, so that two clients never read each other's progress. */
    static String newToken(Random random) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Polls {@code GET /v1/snapshots/progress/TOKEN}; a missing operation or a failed poll shows nothing. */
    static Function<String, Optional<JsonNode>> snapshots(ApiClient api) {
        return token -> {
            try {
                return Optional.of(api.get("/v1/snapshots/progress/" + token));
            } catch (CliException e) {
                return Optional.empty();
            }
        };
    }

    static String format(JsonNode view) {
        String unit = view.path("unit").asText();
        long done = view.path("done").asLong();
        long total = view.path("total").asLong();
        String amount = unit.equals("bytes") ? bytes(done) + " of " + bytes(total)
                : done + " of " + total + " " + unit;
        String percent = total > 0 ? String.format(Locale.ROOT, " (%d %%)", Math.min(100, done * 100 / total)) : "";
        return view.path("operation").asText() + ": " + amount + percent;
    }

    private static String bytes(long n) {
        if (n < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
    }

    @Override
    public void close() {
        done = true;
        poller.interrupt();
        try {
            poller.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
