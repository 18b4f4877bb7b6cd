package io.dormouse.front;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Every VM's {@link VmMeter}, created on first use and dropped with the VM; the {@link Traffic} read side. */
final class Meters implements Traffic {

    private final InstantSource clock;
    private final MeterRegistry registry;
    private final Duration minAwake;
    private final Runnable refresh;
    private final Map<String, VmMeter> byVm = new ConcurrentHashMap<>();

    /** {@code refresh} brings the kernel's counts of routed connections into the meters before they are read. */
    Meters(InstantSource clock, MeterRegistry registry, Duration minAwake, Runnable refresh) {
        this.clock = clock;
        this.registry = registry;
        this.minAwake = minAwake;
        this.refresh = refresh;
    }

    VmMeter of(String vm) {
        return byVm.computeIfAbsent(vm, name -> new VmMeter(name, clock, registry, refresh));
    }

    /** Drops the meters of VMs not in {@code vms}. */
    void retain(Set<String> vms) {
        byVm.entrySet().removeIf(e -> {
            if (vms.contains(e.getKey())) {
                return false;
            }
            e.getValue().unregister(registry);
            return true;
        });
    }

    /** One VM's counts, null when it has none yet. */
    Counts counts(String vm) {
        refresh.run();
        VmMeter meter = byVm.get(vm);
        return meter == null ? null : meter.counts();
    }

    @Override
    public Map<String, Counts> counts() {
        refresh.run();
        Map<String, Counts> out = new TreeMap<>();
        byVm.forEach((vm, meter) -> out.put(vm, meter.counts()));
        return out;
    }

    @Override
    public boolean keepAwake(String vm) {
        refresh.run();
        VmMeter meter = byVm.get(vm);
        if (meter == null) {
            return false;
        }
        long woke = meter.lastWakeMillis();
        return meter.active() > 0 || woke != Long.MIN_VALUE && clock.millis() - woke < minAwake.toMillis();
    }
}
