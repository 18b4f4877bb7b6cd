package io.dormouse.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest sample of each VM metric as a gauge tagged {@code vm}. A gauge exists only while its VM is
 * sampled and the metric has a value, so a terminated VM, or a hibernated one's CPU, leaves no stale series
 * behind: per-VM tags are bounded by the live fleet. Used from the sampler's thread only.
 */
final class VmGauges {

    private final MeterRegistry registry;
    private final Map<String, Map<VmMetric, Held>> byVm = new HashMap<>();

    /** A registered gauge and the value it reports, as raw double bits. */
    private record Held(Gauge gauge, AtomicLong bits) {
    }

    VmGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the VM's gauges to {@code latest}; its gauges of metrics not in it are removed. */
    void update(String vm, Map<VmMetric, Double> latest) {
        Map<VmMetric, Held> held = byVm.computeIfAbsent(vm, v -> new EnumMap<>(VmMetric.class));
        held.entrySet().removeIf(e -> {
            boolean gone = !latest.containsKey(e.getKey());
            if (gone) {
                registry.remove(e.getValue().gauge());
            }
            return gone;
        });
        latest.forEach((metric, value) -> held.computeIfAbsent(metric, m -> register(vm, m)).bits()
                .set(Double.doubleToRawLongBits(value)));
    }

    /** Removes every gauge of VMs not in {@code vms}. */
    void retain(Set<String> vms) {
        byVm.entrySet().removeIf(e -> {
            boolean gone = !vms.contains(e.getKey());
            if (gone) {
                e.getValue().values().forEach(h -> registry.remove(h.gauge()));
            }
            return gone;
        });
    }

    private Held register(String vm, VmMetric metric) {
        AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
        Gauge gauge = Gauge.builder(metric.meter(), bits, b -> Double.longBitsToDouble(b.get()))
                .description(metric.description())
                .baseUnit(metric.baseUnit())
                .tag("vm", vm)
                .register(registry);
        return new Held(gauge, bits);
    }
}
