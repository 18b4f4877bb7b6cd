package io.dormouse.vm;

import io.dormouse.alloc.SlaClass;
import io.dormouse.config.VmConfig;
import io.dormouse.hypervisor.Hypervisor;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-provisioning: sizes the hypervisor's pool of pre-started processes from the recent wake rate, and
 * keeps pool processes, and prepared restores, for the hibernated VMs whose service class promises the fastest wake.
 */
public final class Provisioning {

    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);
    /** The pool of one machine shape never exceeds this, whatever the sum (QEMU's limit too). */
    static final int CEILING = 64;

    private final Fleet fleet;
    private final Hypervisor hypervisor;
    private final VmConfig config;
    private volatile int size = -1;
    private volatile int guaranteed;
    /** Null without a restore cache: the guaranteed VMs then get pool processes only. */
    private final PreparedWakes prepared;

    public Provisioning(Fleet fleet, Hypervisor hypervisor, VmConfig config) {
        this(fleet, hypervisor, config, null);
    }

    /** The guaranteed VMs also get their last version materialized into {@code cached} and a restore prepared. */
    public Provisioning(Fleet fleet, Hypervisor hypervisor, VmConfig config, CachedVersions cached) {
        this.fleet = fleet;
        this.hypervisor = hypervisor;
        this.config = config;
        this.prepared = cached == null ? null : new PreparedWakes(fleet, hypervisor, cached, config.readyTimeout());
    }

    /**
     * The pool size for {@code wakes} restores during {@code window}: wakes per minute rounded up, kept
     * within {@code min} and {@code max}, plus one process per guaranteed VM without a prepared restore.
     */
    static int size(long wakes, Duration window, int guaranteed, int min, int max) {
        long millis = window.toMillis();
        long perMinute = (wakes * 60_000 + millis - 1) / millis;
        long rated = Math.clamp(perMinute, min, max);
        return (int) Math.min(CEILING, rated + guaranteed);
    }

    /**
     * A VM whose wake should never wait for a process: hibernated, of the fastest SLA class, with its
     * room kept reserved.
     */
    static boolean guaranteed(Vm vm) {
        return vm.state() instanceof VmState.Hibernated && vm.definition() != null && vm.policy().keepReserved()
                && vm.policy().slaClass() == SlaClass.values()[0];
    }

    /**
     * Sizes the pool for now, keeps the guaranteed VMs' shapes warm and, with a restore cache, their restores
     * prepared; returns the size.
     */
    public int adjust() {
        long wakes = fleet.wakesSince(fleet.now().minus(config.wakeRateWindow()));
        List<Vm> fast = fleet.list().stream().filter(Provisioning::guaranteed).toList();
        if (prepared != null) {
            prepared.keep(fast);
        }
        // a guaranteed VM with a prepared restore wakes in that process: a pool process would stand by for nothing
        List<Vm> unprepared = fast.stream().filter(vm -> prepared == null || !prepared.holds(vm)).toList();
        int next = size(wakes, config.wakeRateWindow(), unprepared.size(), config.poolMin(), config.poolMax());
        if (next != size) {
            LOG.atInfo().addKeyValue("pool", next).addKeyValue("wakes", wakes)
                    .addKeyValue("window", config.wakeRateWindow()).addKeyValue("guaranteed", fast.size())
                    .addKeyValue("prepared", fast.size() - unprepared.size())
                    .log("pre-started process pool resized");
        }
        size = next;
        guaranteed = fast.size();
        hypervisor.poolSize(next);
        for (Vm vm : unprepared) {
            hypervisor.warmPool(MachineSpecs.of(vm, config.readyTimeout()));
        }
        return next;
    }

    /** The pool size last set, per machine shape; 0 before the first {@link #adjust()}. */
    public int size() {
        return Math.max(0, size);
    }

    /** Hibernated VMs the pool keeps a process for, at the last {@link #adjust()}. */
    public int guaranteed() {
        return guaranteed;
    }

    /** Guaranteed VMs whose last version has a prepared restore; 0 without a restore cache. */
    public int prepared() {
        return prepared == null ? 0 : prepared.count();
    }

    /** Restores per minute over the window, as the pool is sized from. */
    public double wakeRate() {
        long wakes = fleet.wakesSince(fleet.now().minus(config.wakeRateWindow()));
        return wakes * 60_000.0 / config.wakeRateWindow().toMillis();
    }
}
