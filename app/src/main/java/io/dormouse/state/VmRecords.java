package io.dormouse.state;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code vms} table: one row per VM the fleet knows, whatever its state. */
public final class VmRecords {

    private static final String COLUMNS = "id, name, state, spec, address, front_address, priority, sla_class,"
            + " created_at, updated_at, version";

    private static final RowMapper<VmRecord> ROW = (row, context) -> new VmRecord(
            row.getLong("id"), row.getString("name"), row.getString("state"), row.getString("spec"),
            row.getString("address"), row.getString("front_address"), row.getInt("priority"),
            row.getString("sla_class"), Columns.instant(row, "created_at"), Columns.instant(row, "updated_at"),
            row.getLong("version"));

    private final Database database;
    private final InstantSource clock;

    VmRecords(Database database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Records a new VM at version 1.
     *
     * @throws StateException {@link StateException.Kind#DUPLICATE} when a VM of that name exists
     */
    public VmRecord insert(NewVm vm) {
        long now = clock.millis();
        try {
            return database.write("adding VM " + vm.name(), handle -> handle.createQuery(
                            "INSERT INTO vms (name, state, spec, address, front_address, priority, sla_class,"
                                    + " created_at, updated_at, version)"
                                    + " VALUES (:name, :state, :spec, :address, :frontAddress, :priority, :slaClass,"
                                    + " :now, :now, 1) RETURNING " + COLUMNS)
                    .bindMethods(vm)
                    .bind("now", now)
                    .map(ROW)
                    .one());
        } catch (StateException e) {
            if (e.kind() == StateException.Kind.DUPLICATE) {
                throw new StateException(StateException.Kind.DUPLICATE,
                        "a VM named " + vm.name() + " already exists: choose another name or delete that VM first", e);
            }
            throw e;
        }
    }

    public Optional<VmRecord> find(String name) {
        return database.read("finding VM " + name, handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM vms WHERE name = :name")
                .bind("name", name)
                .map(ROW)
                .findOne());
    }

    /** Every VM, by name. */
    public List<VmRecord> list() {
        return database.read("listing VMs", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM vms ORDER BY name")
                .map(ROW)
                .list());
    }

    /**
     * Moves {@code current} to {@code state}, provided nobody changed the row since {@code current} was read.
     *
     * @return the row as it is now, one version later
     * @throws StateException {@link StateException.Kind#CONFLICT} when the row changed meanwhile (read it again
     *                        and decide again), {@link StateException.Kind#NOT_FOUND} when the VM is gone
     */
    public VmRecord updateState(VmRecord current, String state) {
        return updateState(current, state, current.address(), current.frontAddress());
    }

    /**
     * Moves {@code current} to {@code state} with these addresses (null for none), provided nobody changed
     * the row since {@code current} was read; fails as {@link #updateState(VmRecord, String)} does.
     */
    public VmRecord updateState(VmRecord current, String state, String address, String frontAddress) {
        Require.text("state", state);
        return database.write(moving(current, state), handle -> update(handle, current, state, address, frontAddress));
    }

    /** The update of {@link #updateState(VmRecord, String, String, String)} inside a caller's transaction. */
    VmRecord update(Handle handle, VmRecord current, String state, String address, String frontAddress) {
        String action = moving(current, state);
        int updated = handle.createUpdate("UPDATE vms SET state = :state, address = :address,"
                        + " front_address = :frontAddress, updated_at = :now, version = version + 1"
                        + " WHERE id = :id AND version = :version")
                .bind("state", state)
                .bind("address", address)
                .bind("frontAddress", frontAddress)
                .bind("now", clock.millis())
                .bind("id", current.id())
                .bind("version", current.version())
                .execute();
        Optional<VmRecord> after = handle.createQuery("SELECT " + COLUMNS + " FROM vms WHERE id = :id")
                .bind("id", current.id())
                .map(ROW)
                .findOne();
        if (after.isEmpty()) {
            throw new StateException(StateException.Kind.NOT_FOUND, action + ": the VM no longer exists");
        }
        if (updated == 0) {
            throw new StateException(StateException.Kind.CONFLICT, action + ": the VM changed since version "
                    + current.version() + " was read (it is at version " + after.get().version()
                    + ", state " + after.get().state() + "); read it again and retry");
        }
        return after.get();
    }

    private static String moving(VmRecord current, String state) {
        return "moving VM " + current.name() + " from " + current.state() + " to " + state;
    }

    /** Removes the VM with its transitions, snapshot version rows and samples; false when there was none. */
    public boolean delete(long id) {
        return database.write("deleting VM " + id, handle -> handle
                .createUpdate("DELETE FROM vms WHERE id = :id")
                .bind("id", id)
                .execute() == 1);
    }
}
