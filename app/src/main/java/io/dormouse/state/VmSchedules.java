package io.dormouse.state;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code vm_schedules} table: one row per VM whose schedule policy was set or tuned. */
public final class VmSchedules {

    private static final RowMapper<VmSchedule> ROW = (row, context) -> new VmSchedule(row.getLong("vm_id"),
            row.getString("policy"), row.getString("tuned"), Columns.instant(row, "updated_at"));

    private final Database database;
    private final InstantSource clock;

    VmSchedules(Database database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    public Optional<VmSchedule> find(long vmId) {
        return database.read("reading the schedule of VM " + vmId, handle -> handle
                .createQuery("SELECT vm_id, policy, tuned, updated_at FROM vm_schedules WHERE vm_id = :vmId")
                .bind("vmId", vmId)
                .map(ROW)
                .findOne());
    }

    /** Every stored schedule, by VM id. */
    public List<VmSchedule> list() {
        return database.read("listing schedules", handle -> handle
                .createQuery("SELECT vm_id, policy, tuned, updated_at FROM vm_schedules ORDER BY vm_id")
                .map(ROW)
                .list());
    }

    /**
     * Sets the VM's policy document, keeping its tuned thresholds.
     *
     * @throws StateException {@link StateException.Kind#NOT_FOUND} when there is no such VM
     */
    public VmSchedule putPolicy(long vmId, String policy) {
        return upsert(vmId, "policy", policy);
    }

    /** Sets the VM's tuned thresholds document, keeping its policy. */
    public VmSchedule putTuned(long vmId, String tuned) {
        return upsert(vmId, "tuned", tuned);
    }

    private VmSchedule upsert(long vmId, String column, String json) {
        Require.text(column + " of VM " + vmId, json);
        return database.write("writing the schedule " + column + " of VM " + vmId, handle -> handle
                // ON CONFLICT ... DO UPDATE reads the same in SQLite (3.24+) and PostgreSQL (9.5+)
                .createQuery("INSERT INTO vm_schedules (vm_id, " + column + ", updated_at) VALUES (:vmId, :json, :now)"
                        + " ON CONFLICT (vm_id) DO UPDATE SET " + column + " = excluded." + column
                        + ", updated_at = excluded.updated_at RETURNING vm_id, policy, tuned, updated_at")
                .bind("vmId", vmId)
                .bind("json", json)
                .bind("now", clock.millis())
                .map(ROW)
                .one());
    }
}
