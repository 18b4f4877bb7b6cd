package io.dormouse.state;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code schedule_decisions} table: what the scheduler decided to do, or would have done. */
public final class ScheduleDecisions {

    private static final String COLUMNS = "id, vm_id, at, action, cause, reason, acted";

    private static final RowMapper<ScheduleDecision> ROW = (row, context) -> new ScheduleDecision(row.getLong("id"),
            row.getLong("vm_id"), Columns.instant(row, "at"), row.getString("action"), row.getString("cause"),
            row.getString("reason"), row.getBoolean("acted"));

    private final Database database;

    ScheduleDecisions(Database database) {
        this.database = database;
    }

    /** Records a decision. @throws StateException {@link StateException.Kind#NOT_FOUND} when there is no such VM */
    public ScheduleDecision append(long vmId, Instant at, String action, String cause, String reason, boolean acted) {
        Require.text("action", action);
        Require.text("cause", cause);
        Require.text("reason", reason);
        return database.write("recording a " + action + " decision for VM " + vmId, handle -> handle
                .createQuery("INSERT INTO schedule_decisions (vm_id, at, action, cause, reason, acted)"
                        + " VALUES (:vmId, :at, :action, :cause, :reason, :acted) RETURNING " + COLUMNS)
                .bind("vmId", vmId)
                .bind("at", at.toEpochMilli())
                .bind("action", action)
                .bind("cause", cause)
                .bind("reason", reason)
                .bind("acted", acted)
                .map(ROW)
                .one());
    }

    /** The latest {@code limit} decisions for VM {@code vmId}, newest first. */
    public List<ScheduleDecision> latest(long vmId, int limit) {
        return database.read("listing the schedule decisions of VM " + vmId, handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM schedule_decisions WHERE vm_id = :vmId"
                        + " ORDER BY id DESC LIMIT :limit")
                .bind("vmId", vmId)
                .bind("limit", limit)
                .map(ROW)
                .list());
    }
}
