package io.dormouse.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps exceptions of every feature to problem documents: the one place that chooses HTTP statuses. */
final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    static Problem of(Throwable e) {
        return switch (e) {
            case ApiException api -> api.problem();
            case IllegalArgumentException bad -> Problem.of(400, "bad-request", "Bad request", bad.getMessage());
            default -> {
                LOG.atError().setCause(e).log("request failed");
                yield Problem.of(500, "internal", "Internal error",
                        e.getClass().getSimpleName() + ": " + e.getMessage() + " (see the server log)");
            }
        };
    }
}
