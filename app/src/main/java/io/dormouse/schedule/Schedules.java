package io.dormouse.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmSchedule;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every VM's schedule: its policy (stored, else the default), its tuned thresholds, the policy in force
 * (tuned thresholds applied when the policy says {@code tune}), and the scheduler's latest decision.
 * Shared by the scheduler and the API; documents are parsed again only when their row changes.
 */
public final class Schedules {

    /** A VM's latest decision, kept in memory: stays are not stored. */
    public record Latest(Decision decision, Instant at, boolean acted, String note) {
    }

    /** One VM's schedule as the scheduler uses it. */
    public record Entry(SchedulePolicy policy, Optional<PolicyDocuments.Tuned> tuned) {

        /** The policy in force: the tuned thresholds when the policy asks for them and there are some. */
        public SchedulePolicy effective() {
            return policy.tune() && tuned.isPresent() ? tuned.get().applyTo(policy) : policy;
        }
    }

    private record Parsed(String policy, String tuned, Entry entry) {
    }

    private final StateStore store;
    private final SchedulePolicy defaults;
    private final Map<Long, Parsed> parsed = new ConcurrentHashMap<>();
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    public Schedules(StateStore store, SchedulePolicy defaults) {
        this.store = store;
        this.defaults = defaults;
    }

    public SchedulePolicy defaults() {
        return defaults;
    }

    /** The schedule of VM {@code vmId}, read from the database. */
    public Entry entry(long vmId) {
        return store.vmSchedules().find(vmId).map(this::parse).orElse(new Entry(defaults, Optional.empty()));
    }

    /** Every VM's schedule that differs from the default, by VM id, in one read. */
    Map<Long, Entry> all() {
        List<VmSchedule> rows = store.vmSchedules().list();
        Map<Long, Entry> entries = new HashMap<>();
        for (VmSchedule row : rows) {
            entries.put(row.vmId(), parse(row));
        }
        parsed.keySet().retainAll(entries.keySet());
        return entries;
    }

    /**
     * Sets the fields of {@code patch} on VM {@code vmId}'s policy and stores it.
     *
     * @throws ScheduleException naming the field that is wrong; nothing is stored then
     */
    public Entry update(long vmId, JsonNode patch) {
        Entry current = entry(vmId);
        SchedulePolicy next = PolicyDocuments.merge(current.policy(), patch);
        return parse(store.vmSchedules().putPolicy(vmId, PolicyDocuments.json(next).toString()));
    }

    void storeTuned(long vmId, PolicyDocuments.Tuned tuned) {
        parse(store.vmSchedules().putTuned(vmId, tuned.json().toString()));
    }

    void noteLatest(String vm, Latest decision) {
        latest.put(vm, decision);
    }

    /** The scheduler's latest decision for the VM, empty before its first or when the scheduler is off. */
    public Optional<Latest> latest(String vm) {
        return Optional.ofNullable(latest.get(vm));
    }

    private Entry parse(VmSchedule row) {
        Parsed held = parsed.get(row.vmId());
        if (held != null && java.util.Objects.equals(held.policy(), row.policy())
                && java.util.Objects.equals(held.tuned(), row.tuned())) {
            return held.entry();
        }
        Entry entry = new Entry(PolicyDocuments.read(row.policy(), defaults),
                Optional.ofNullable(row.tuned()).map(PolicyDocuments.Tuned::read));
        parsed.put(row.vmId(), new Parsed(row.policy(), row.tuned(), entry));
        return entry;
    }
}
