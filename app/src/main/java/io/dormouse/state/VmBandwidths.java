package io.dormouse.state;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code vm_bandwidth} table: the front-door bandwidth limit of each VM that has one. */
public final class VmBandwidths {

    private final Database database;
    private final InstantSource clock;

    VmBandwidths(Database database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Sets the VM's limit in bytes per second; 0 removes it (unlimited).
     *
     * @throws StateException {@link StateException.Kind#NOT_FOUND} when there is no such VM
     */
    public void put(long vmId, long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be 0 (unlimited) or more, got " + bytesPerSecond);
        }
        database.write("writing the bandwidth limit of VM " + vmId, handle -> {
            if (bytesPerSecond == 0) {
                return handle.createUpdate("DELETE FROM vm_bandwidth WHERE vm_id = :vmId").bind("vmId", vmId).execute();
            }
            // ON CONFLICT ... DO UPDATE reads the same in SQLite (3.24+) and PostgreSQL (9.5+)
            return handle.createUpdate("INSERT INTO vm_bandwidth (vm_id, bytes_per_second, updated_at)"
                            + " VALUES (:vmId, :bps, :now) ON CONFLICT (vm_id) DO UPDATE"
                            + " SET bytes_per_second = excluded.bytes_per_second, updated_at = excluded.updated_at")
                    .bind("vmId", vmId)
                    .bind("bps", bytesPerSecond)
                    .bind("now", clock.millis())
                    .execute();
        });
    }

    /** Every VM's limit, by VM id, in id order. */
    public Map<Long, Long> all() {
        return database.read("listing bandwidth limits", handle -> {
            Map<Long, Long> limits = new LinkedHashMap<>();
            handle.createQuery("SELECT vm_id, bytes_per_second FROM vm_bandwidth ORDER BY vm_id")
                    .map((row, context) -> Map.entry(row.getLong("vm_id"), row.getLong("bytes_per_second")))
                    .forEach(e -> limits.put(e.getKey(), e.getValue()));
            return limits;
        });
    }
}
