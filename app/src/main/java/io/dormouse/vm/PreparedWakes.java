package io.dormouse.vm;

import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.SavedState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the guaranteed hibernated VMs (see {@link Provisioning#guaranteed}) ready to resume: their last version
 * materialized into the restore cache and a process prepared from exactly the state their wake will restore.
 */
final class PreparedWakes {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedWakes.class);

    private final Fleet fleet;
    private final Hypervisor hypervisor;
    private final CachedVersions cached;
    private final Duration readyTimeout;
    /** The version each VM was last asked to be prepared for: asked once, not again each round. */
    private final Map<Long, Long> asked = new ConcurrentHashMap<>();
    /** The version each VM has a prepared process for, as far as this knows. */
    private final Map<Long, Long> prepared = new ConcurrentHashMap<>();

    PreparedWakes(Fleet fleet, Hypervisor hypervisor, CachedVersions cached, Duration readyTimeout) {
        this.fleet = fleet;
        this.hypervisor = hypervisor;
        this.cached = cached;
        this.readyTimeout = readyTimeout;
    }

    /** Has each of the guaranteed VMs whose version is not prepared yet materialized ahead and then prepared. */
    void keep(List<Vm> guaranteed) {
        Set<Long> ids = guaranteed.stream().map(Vm::id).collect(Collectors.toSet());
        // a VM woken, failed or gone since loses its entry: once it sleeps again it is prepared afresh
        asked.keySet().retainAll(ids);
        prepared.keySet().retainAll(ids);
        for (Vm vm : guaranteed) {
            if (vm.saved() == null) {
                continue;
            }
            long version = vm.saved().version();
            if (!Long.valueOf(version).equals(asked.put(vm.id(), version))) {
                cached.ahead(vm.id(), version, state -> prepare(vm.name(), version, state));
            }
        }
    }

    /** True when {@code vm}'s last saved version has a prepared restore. */
    boolean holds(Vm vm) {
        return vm.saved() != null && Long.valueOf(vm.saved().version()).equals(prepared.get(vm.id()));
    }

    int count() {
        return prepared.size();
    }

    private void prepare(String name, long version, SavedState state) {
        Optional<Vm> vm = fleet.find(name).filter(v -> wants(v, version));
        if (vm.isEmpty()) {
            return;
        }
        RuntimeException failed = null;
        try {
            hypervisor.prepare(MachineSpecs.of(vm.get(), readyTimeout), state);
            prepared.put(vm.get().id(), version);
            LOG.atInfo().addKeyValue("vm", name).addKeyValue("version", version).log("restore prepared");
        } catch (RuntimeException e) {
            asked.remove(vm.get().id()); // the next round asks again
            failed = e;
        }
        boolean wanted = fleet.find(name).filter(v -> wants(v, version)).isPresent();
        if (failed != null && wanted) {
            LOG.atWarn().addKeyValue("vm", name).addKeyValue("version", version).setCause(failed)
                    .log("preparing a restore failed; the wake will start its process itself");
        } else if (failed != null) {
            LOG.atDebug().addKeyValue("vm", name).addKeyValue("version", version)
                    .log("preparing a restore ended: the VM woke, changed or went meanwhile");
        }
        // woken, hibernated again or terminated while it was being prepared: the lifecycle's own discard may
        // have come before the process was registered, and nothing else would end it
        if (!wanted) {
            hypervisor.discardPrepared(name);
        }
    }

    /** Whether {@code vm} still sleeps in {@code version} as a guaranteed VM, so that a restore prepared for it holds. */
    private static boolean wants(Vm vm, long version) {
        return Provisioning.guaranteed(vm) && vm.saved().version() == version;
    }
}
