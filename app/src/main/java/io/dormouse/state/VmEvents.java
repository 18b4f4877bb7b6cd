package io.dormouse.state;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The {@code vm_events} table: the journal of lifecycle transitions. A transition is begun before its
 * side effects and completed after them, so that after a crash the open ones say what to reconcile.
 */
public final class VmEvents {

    private static final String COLUMNS = "id, vm_id, from_state, to_state, reason, started_at, completed_at,"
            + " duration_ms, outcome, error";

    private static final RowMapper<VmEvent> ROW = (row, context) -> {
        Long durationMillis = Columns.longOrNull(row, "duration_ms");
        String outcome = row.getString("outcome");
        return new VmEvent(row.getLong("id"), row.getLong("vm_id"), row.getString("from_state"),
                row.getString("to_state"), row.getString("reason"), Columns.instant(row, "started_at"),
                Columns.instantOrNull(row, "completed_at"),
                durationMillis == null ? null : Duration.ofMillis(durationMillis),
                outcome == null ? null : VmEvent.Outcome.valueOf(outcome), row.getString("error"));
    };

    private final Database database;
    private final InstantSource clock;

    VmEvents(Database database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Records that VM {@code vmId} starts moving from {@code fromState} to {@code toState}.
     *
     * @return the transition's id, to complete it with
     * @throws StateException {@link StateException.Kind#NOT_FOUND} when there is no such VM
     */
    public long begin(long vmId, String fromState, String toState, String reason) {
        Require.text("fromState", fromState);
        Require.text("toState", toState);
        Require.text("reason", reason);
        String action = "beginning the transition of VM " + vmId + " from " + fromState + " to " + toState;
        return database.write(action, handle -> insert(handle, vmId, fromState, toState, reason));
    }

    /** The insert of {@link #begin} inside a caller's transaction. */
    long insert(Handle handle, long vmId, String fromState, String toState, String reason) {
        return handle.createQuery("INSERT INTO vm_events (vm_id, from_state, to_state, reason, started_at)"
                        + " VALUES (:vmId, :fromState, :toState, :reason, :now) RETURNING id")
                .bind("vmId", vmId)
                .bind("fromState", fromState)
                .bind("toState", toState)
                .bind("reason", reason)
                .bind("now", clock.millis())
                .mapTo(Long.class)
                .one();
    }

    /**
     * Records how transition {@code id} ended.
     *
     * @param error what went wrong, or null when it succeeded
     * @return the completed transition
     * @throws StateException {@link StateException.Kind#CONFLICT} when it was completed already,
     *                        {@link StateException.Kind#NOT_FOUND} when there is no such transition
     */
    public VmEvent complete(long id, VmEvent.Outcome outcome, String error) {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome of transition " + id + " is missing");
        }
        return database.write("completing transition " + id + " as " + outcome,
                handle -> complete(handle, id, outcome, error));
    }

    /** The update of {@link #complete(long, VmEvent.Outcome, String)} inside a caller's transaction. */
    VmEvent complete(Handle handle, long id, VmEvent.Outcome outcome, String error) {
        String action = "completing transition " + id + " as " + outcome;
        int updated = handle.createUpdate("UPDATE vm_events SET completed_at = :now,"
                        + " duration_ms = :now - started_at, outcome = :outcome, error = :error"
                        + " WHERE id = :id AND completed_at IS NULL")
                .bind("now", clock.millis())
                .bind("outcome", outcome.name())
                .bind("error", error)
                .bind("id", id)
                .execute();
        VmEvent event = handle.createQuery("SELECT " + COLUMNS + " FROM vm_events WHERE id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne()
                .orElseThrow(() -> new StateException(StateException.Kind.NOT_FOUND,
                        action + ": there is no such transition"));
        if (updated == 0) {
            throw new StateException(StateException.Kind.CONFLICT, action + ": it was completed already, at "
                    + event.completedAt() + " as " + event.outcome());
        }
        return event;
    }

    /** The transitions of VM {@code vmId}, oldest first. */
    public List<VmEvent> listByVm(long vmId) {
        return database.read("listing the transitions of VM " + vmId, handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM vm_events WHERE vm_id = :vmId ORDER BY id")
                .bind("vmId", vmId)
                .map(ROW)
                .list());
    }

    /** Transitions begun and never completed, oldest first: what the reconciler finishes or rolls back. */
    public List<VmEvent> listOpen() {
        return database.read("listing open transitions", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM vm_events WHERE completed_at IS NULL ORDER BY id")
                .map(ROW)
                .list());
    }
}
