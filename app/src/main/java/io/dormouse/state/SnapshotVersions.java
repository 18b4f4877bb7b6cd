package io.dormouse.state;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code snapshot_versions} table: which snapshot versions of each VM are committed. */
public final class SnapshotVersions {

    private static final String COLUMNS = "vm_id, version, parent_version, manifest_location, created_at,"
            + " total_bytes, new_bytes, qemu_version, machine_fingerprint";

    private static final RowMapper<SnapshotVersion> ROW = (row, context) -> new SnapshotVersion(
            row.getLong("vm_id"), row.getLong("version"), Columns.longOrNull(row, "parent_version"),
            row.getString("manifest_location"), Columns.instant(row, "created_at"), row.getLong("total_bytes"),
            row.getLong("new_bytes"), row.getString("qemu_version"), row.getString("machine_fingerprint"));

    private final Database database;

    SnapshotVersions(Database database) {
        this.database = database;
    }

    /**
     * Commits {@code version}.
     *
     * @throws StateException {@link StateException.Kind#DUPLICATE} when the VM has that version already,
     *                        {@link StateException.Kind#NOT_FOUND} when there is no such VM
     */
    public void add(SnapshotVersion version) {
        String action = "committing snapshot version " + version.version() + " of VM " + version.vmId();
        try {
            database.write(action, handle -> handle.createUpdate("INSERT INTO snapshot_versions (" + COLUMNS + ")"
                            + " VALUES (:vmId, :version, :parentVersion, :manifestLocation, :createdAt, :totalBytes,"
                            + " :newBytes, :qemuVersion, :machineFingerprint)")
                    .bindMethods(version)
                    .bind("createdAt", version.createdAt().toEpochMilli())
                    .execute());
        } catch (StateException e) {
            if (e.kind() == StateException.Kind.DUPLICATE) {
                throw new StateException(StateException.Kind.DUPLICATE, action + ": VM " + version.vmId()
                        + " has a version " + version.version() + " already; versions are never rewritten", e);
            }
            throw e;
        }
    }

    /** The VM's committed versions, oldest first. */
    public List<SnapshotVersion> listByVm(long vmId) {
        return database.read("listing snapshot versions of VM " + vmId, handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM snapshot_versions WHERE vm_id = :vmId ORDER BY version")
                .bind("vmId", vmId)
                .map(ROW)
                .list());
    }

    /** The VM's newest committed version: the one to restore. */
    public Optional<SnapshotVersion> latest(long vmId) {
        return database.read("finding the latest snapshot version of VM " + vmId, handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM snapshot_versions WHERE vm_id = :vmId"
                        + " ORDER BY version DESC LIMIT 1")
                .bind("vmId", vmId)
                .map(ROW)
                .findOne());
    }

    /** Forgets a version (garbage collection removes its data later); false when there was none. */
    public boolean delete(long vmId, long version) {
        return database.write("deleting snapshot version " + version + " of VM " + vmId, handle -> handle
                .createUpdate("DELETE FROM snapshot_versions WHERE vm_id = :vmId AND version = :version")
                .bind("vmId", vmId)
                .bind("version", version)
                .execute() == 1);
    }
}
