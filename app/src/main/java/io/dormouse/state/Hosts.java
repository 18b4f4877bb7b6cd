package io.dormouse.state;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code hosts} table: hosts announce themselves, and every announcement is a heartbeat. */
public final class Hosts {

    private static final String COLUMNS = "id, name, vcpus, memory_mib, net_mbps, labels, heartbeat_at";

    private static final RowMapper<HostRecord> ROW = (row, context) -> new HostRecord(
            row.getLong("id"), row.getString("name"), row.getInt("vcpus"), row.getLong("memory_mib"),
            row.getLong("net_mbps"), Json.labels(row.getString("labels")), Columns.instant(row, "heartbeat_at"));

    private final Database database;
    private final InstantSource clock;

    Hosts(Database database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Records host {@code name} with this capacity, or updates it, and stamps its heartbeat now. */
    public HostRecord upsert(String name, int vcpus, long memoryMib, long netMbps, Map<String, String> labels) {
        Require.text("name", name);
        if (vcpus < 1 || memoryMib < 1 || netMbps < 0) {
            throw new IllegalArgumentException("host " + name + " needs vcpus >= 1, memoryMib >= 1 and netMbps >= 0,"
                    + " got " + vcpus + ", " + memoryMib + ", " + netMbps);
        }
        String labelsJson = Json.labels(labels);
        return database.write("recording host " + name, handle -> {
            // ON CONFLICT ... DO UPDATE reads the same in SQLite (3.24+) and PostgreSQL (9.5+).
            handle.createUpdate("INSERT INTO hosts (name, vcpus, memory_mib, net_mbps, labels, heartbeat_at)"
                            + " VALUES (:name, :vcpus, :memoryMib, :netMbps, :labels, :now)"
                            + " ON CONFLICT (name) DO UPDATE SET vcpus = excluded.vcpus,"
                            + " memory_mib = excluded.memory_mib, net_mbps = excluded.net_mbps,"
                            + " labels = excluded.labels, heartbeat_at = excluded.heartbeat_at")
                    .bind("name", name)
                    .bind("vcpus", vcpus)
                    .bind("memoryMib", memoryMib)
                    .bind("netMbps", netMbps)
                    .bind("labels", labelsJson)
                    .bind("now", clock.millis())
                    .execute();
            return handle.createQuery("SELECT " + COLUMNS + " FROM hosts WHERE name = :name")
                    .bind("name", name)
                    .map(ROW)
                    .one();
        });
    }

    /** Every host, by name. */
    public List<HostRecord> list() {
        return database.read("listing hosts", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM hosts ORDER BY name")
                .map(ROW)
                .list());
    }
}
