package io.dormouse.api;

import io.dormouse.blob.BlobException;
import io.dormouse.forecast.ForecastException;
import io.dormouse.schedule.ScheduleException;
import io.dormouse.snapshot.SnapshotException;
import io.dormouse.state.StateException;
import io.dormouse.vm.VmException;
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
            case StateException state -> switch (state.kind()) {
                case NOT_FOUND -> Problem.of(404, "not-found", "Not found", state.getMessage());
                case DUPLICATE -> Problem.of(409, "duplicate", "Already exists", state.getMessage());
                case CONFLICT -> Problem.of(409, "conflict", "Conflict", state.getMessage());
                case UNAVAILABLE -> Problem.of(503, "database-unavailable", "State database unavailable", state.getMessage());
                case INVALID_SETTINGS, MIGRATION_FAILED, FAILED ->
                        Problem.of(500, "database-failed", "State database failed", state.getMessage());
            };
            case SnapshotException snapshot -> switch (snapshot.kind()) {
                case NOT_FOUND -> Problem.of(404, "not-found", "Not found", snapshot.getMessage());
                case INVALID -> Problem.of(400, "bad-request", "Bad request", snapshot.getMessage());
                case CORRUPT -> Problem.of(422, "snapshot-corrupt", "Snapshot data failed verification", snapshot.getMessage());
                case WRONG_KEY -> Problem.of(500, "snapshot-key", "Snapshot store key mismatch", snapshot.getMessage());
                case FAILED -> Problem.of(503, "snapshot-store-failed", "Snapshot store failed", snapshot.getMessage());
            };
            case BlobException blob -> switch (blob.kind()) {
                case NOT_FOUND -> Problem.of(404, "not-found", "Not found", blob.getMessage());
                case INVALID -> Problem.of(400, "bad-request", "Bad request", blob.getMessage());
                case FAILED -> Problem.of(503, "snapshot-store-failed", "Snapshot store failed", blob.getMessage());
            };
            case VmException vm -> switch (vm.kind()) {
                case NOT_FOUND -> Problem.of(404, "not-found", "Not found", vm.getMessage());
                case DUPLICATE -> Problem.of(409, "duplicate", "Already exists", vm.getMessage());
                case ILLEGAL_TRANSITION -> Problem.of(409, "illegal-transition", "Not allowed in this state", vm.getMessage());
                case INVALID_SPEC -> Problem.of(400, "invalid-spec", "Invalid VM spec", vm.getMessage());
                case OVER_CAPACITY -> Problem.of(422, "over-capacity", "Larger than any host", vm.getMessage());
                case BUSY -> Problem.of(429, "busy", "Too many waiting", vm.getMessage());
                case FAILED -> Problem.of(500, "transition-failed", "Transition failed", vm.getMessage());
            };
            case ForecastException bad -> Problem.of(400, "bad-request", "Bad request", bad.getMessage());
            case ScheduleException bad -> Problem.of(400, "invalid-schedule", "Invalid schedule policy", bad.getMessage());
            case IllegalArgumentException bad -> Problem.of(400, "bad-request", "Bad request", bad.getMessage());
            default -> {
                LOG.atError().setCause(e).log("request failed");
                yield Problem.of(500, "internal", "Internal error",
                        e.getClass().getSimpleName() + ": " + e.getMessage() + " (see the server log)");
            }
        };
    }
}
