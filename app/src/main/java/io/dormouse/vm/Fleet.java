package io.dormouse.vm;

import io.dormouse.alloc.SlaClass;
import io.dormouse.state.SnapshotVersion;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmEvent;
import io.dormouse.state.VmRecord;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every VM the manager knows, in memory: DNS and the API read it at memory speed, and only
 * {@link Lifecycle} changes it (writing the database first). {@link #sync()} picks up rows that other
 * processes changed, by row version.
 */
public final class Fleet {

    /** Restores remembered per VM for its wake estimate. */
    private static final int HISTORY = 8;
    /** How far back wakes are remembered for the wake rate. */
    static final Duration WAKE_MEMORY = Duration.ofDays(1);

    private final StateStore store;
    private final Duration defaultWakeEstimate;
    private final InstantSource clock;
    private final Map<String, Vm> vms = new ConcurrentHashMap<>();
    private final Map<String, Long> lastActivity = new ConcurrentHashMap<>();
    private final Map<Long, long[]> restoreMillis = new ConcurrentHashMap<>();
    /** When each recent restore ended, epoch milliseconds, oldest first. */
    private final ConcurrentSkipListMap<Long, Integer> wakes = new ConcurrentSkipListMap<>();

    private final Addresses fronts;

    private Fleet(StateStore store, Duration defaultWakeEstimate, InstantSource clock, Addresses fronts) {
        this.store = store;
        this.defaultWakeEstimate = defaultWakeEstimate;
        this.clock = clock;
        this.fronts = fronts;
    }

    /**
     * Reads every VM, its last snapshot version and its restore history from the database.
     *
     * @param defaultWakeEstimate the wake estimate of a VM that was never restored
     */
    public static Fleet load(StateStore store, Duration defaultWakeEstimate, InstantSource clock) {
        return load(store, defaultWakeEstimate, clock, Addresses.DEFAULT.octet());
    }

    /**
     * As {@link #load(StateStore, Duration, InstantSource)}, with the front addresses of new VMs in
     * {@code 127.frontOctet.0.0/16} ({@code front.network}); a VM keeps the front address stored with it.
     */
    public static Fleet load(StateStore store, Duration defaultWakeEstimate, InstantSource clock, int frontOctet) {
        Fleet fleet = new Fleet(store, defaultWakeEstimate, clock, new Addresses(frontOctet));
        fleet.sync();
        return fleet;
    }

    /** The front address of the VM with id {@code vmId}. */
    Inet4Address frontAddress(long vmId) {
        return fronts.front(vmId);
    }

    public Optional<Vm> find(String name) {
        return Optional.ofNullable(vms.get(name));
    }

    /** @throws VmException {@link VmException.Kind#NOT_FOUND} when there is no such VM */
    public Vm get(String name) {
        Vm vm = vms.get(name);
        if (vm == null) {
            throw VmException.notFound(name);
        }
        return vm;
    }

    /** Every VM, by name. */
    public List<Vm> list() {
        return vms.values().stream().sorted(Comparator.comparing(Vm::name)).toList();
    }

    /** The VM with database id {@code id}. */
    public Optional<Vm> byId(long id) {
        return vms.values().stream().filter(vm -> vm.id() == id).findFirst();
    }

    public int size() {
        return vms.size();
    }

    /** How many VMs are in each state, every state listed. */
    public Map<String, Long> countByState() {
        Map<String, Long> counts = new LinkedHashMap<>();
        VmState.ALL.forEach(s -> counts.put(s.label(), 0L));
        vms.values().forEach(vm -> counts.merge(vm.state().label(), 1L, Long::sum));
        return counts;
    }

    /** Notes that someone asked for the VM (a DNS query, a connection): it is not idle. */
    public void touch(String name) {
        lastActivity.put(name, clock.millis());
    }

    /** True when nobody asked for the VM during {@code quiet} (or since the fleet was loaded). */
    public boolean idleFor(String name, Duration quiet) {
        Long last = lastActivity.get(name);
        return last == null || clock.millis() - last >= quiet.toMillis();
    }

    /** Merges the database's rows: a row newer than the VM held here replaces it; gone rows are dropped. */
    public void sync() {
        List<VmRecord> rows = store.vms().list();
        Map<String, VmRecord> byName = new LinkedHashMap<>();
        rows.forEach(r -> byName.put(r.name(), r));
        vms.keySet().removeIf(name -> !byName.containsKey(name));
        for (VmRecord row : rows) {
            Vm held = vms.get(row.name());
            if (held == null || held.version() < row.version() || held.id() != row.id()) {
                put(fromRow(row));
            }
        }
    }

    /** Publishes {@code vm}, unless a newer version of it is held already. */
    void put(Vm vm) {
        vms.merge(vm.name(), vm, (old, next) -> old.id() == next.id() && old.version() > next.version() ? old : next);
    }

    void remove(String name) {
        vms.remove(name);
        lastActivity.remove(name);
    }

    /** Restores that ended at {@code since} or later (those of the last day, also before a restart). */
    public long wakesSince(Instant since) {
        return wakes.tailMap(since.toEpochMilli()).values().stream().mapToLong(Integer::longValue).sum();
    }

    private void wokeAt(long epochMillis) {
        wakes.merge(epochMillis, 1, Integer::sum);
        wakes.headMap(clock.millis() - WAKE_MEMORY.toMillis()).clear();
    }

    /** Adds a measured restore to the VM's history and returns its new wake estimate. */
    Duration recordRestore(long vmId, Duration took) {
        wokeAt(clock.millis());
        long[] next = restoreMillis.compute(vmId, (id, old) -> {
            long[] grown = old == null ? new long[0] : old;
            long[] out = Arrays.copyOfRange(grown, Math.max(0, grown.length - HISTORY + 1), grown.length + 1);
            out[out.length - 1] = took.toMillis();
            return out;
        });
        return estimate(next);
    }

    private Duration estimate(long[] history) {
        if (history == null || history.length == 0) {
            return defaultWakeEstimate;
        }
        long[] sorted = history.clone();
        Arrays.sort(sorted);
        return Duration.ofMillis(sorted[sorted.length / 2]);
    }

    Vm fromRow(VmRecord row) {
        VmDefinition definition = Definitions.read(row.name(), row.spec()).orElse(null);
        Vm.Saved saved = store.snapshotVersions().latest(row.id()).map(Fleet::saved).orElse(null);
        if (!restoreMillis.containsKey(row.id())) {
            List<VmEvent> restores = store.vmEvents().listByVm(row.id()).stream()
                    .filter(e -> e.outcome() == VmEvent.Outcome.SUCCEEDED && "hibernated".equals(e.fromState())
                            && "running".equals(e.toState()))
                    .toList();
            restores.forEach(e -> wokeAt(e.completedAt().toEpochMilli()));
            long[] history = restores.stream().mapToLong(e -> e.duration().toMillis()).toArray();
            restoreMillis.put(row.id(), Arrays.copyOfRange(history, Math.max(0, history.length - HISTORY),
                    history.length));
        }
        VmState state;
        try {
            state = VmState.of(row.state());
        } catch (IllegalArgumentException e) {
            state = VmState.FAILED;
        }
        Inet4Address front = ipv4(row.frontAddress()).orElse(Addresses.fits(row.id()) ? fronts.front(row.id()) : null);
        Policy policy = definition != null ? definition.policy() : new Policy(Math.min(1000, row.priority()),
                knownSla(row.slaClass()), false, Policy.OnUnhealthy.KEEP);
        return new Vm(row.id(), row.name(), state, definition, policy, ipv4(row.address()).orElse(null), front, null,
                true, saved, estimate(restoreMillis.get(row.id())),
                row.createdAt(), row.updatedAt(), row.version());
    }

    private static SlaClass knownSla(String label) {
        try {
            return SlaClass.of(label);
        } catch (IllegalArgumentException e) {
            return SlaClass.STANDARD;
        }
    }

    static Vm.Saved saved(SnapshotVersion v) {
        return new Vm.Saved(v.version(), v.manifestLocation(), v.createdAt(), v.totalBytes());
    }

    Instant now() {
        return clock.instant();
    }

    private static Optional<Inet4Address> ipv4(String text) {
        try {
            return text == null || text.isBlank() ? Optional.empty()
                    : InetAddress.ofLiteral(text) instanceof Inet4Address v4 ? Optional.of(v4) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
