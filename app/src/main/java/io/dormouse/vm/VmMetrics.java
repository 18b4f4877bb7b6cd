package io.dormouse.vm;

import io.dormouse.alloc.Allocator;
import io.dormouse.state.VmEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * The VM manager's meters: VMs by state, transitions, wake latency by reason and outcome, hibernation
 * time and bytes, the restore queue, the capacity in use and kept reserved, and the pre-started pool.
 */
public final class VmMetrics {

    private final MeterRegistry registry;

    public VmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere, for tests and tools. */
    public static VmMetrics none() {
        return new VmMetrics(new SimpleMeterRegistry());
    }

    /** Gauges read from the fleet and the allocator whenever metrics are scraped. */
    public void watch(Fleet fleet, Allocator allocator) {
        for (VmState state : VmState.ALL) {
            Gauge.builder("dormouse.vms", fleet, f -> f.countByState().get(state.label()))
                    .description("VMs by lifecycle state").tag("state", state.label()).register(registry);
        }
        Gauge.builder("dormouse.restore.queue.depth", allocator, Allocator::queueDepth)
                .description("restores waiting for room on a host").register(registry);
        Gauge.builder("dormouse.capacity.vcpus", allocator, a -> a.used().vcpus()).tag("use", "used")
                .register(registry);
        Gauge.builder("dormouse.capacity.vcpus", allocator, a -> a.reserved().vcpus()).tag("use", "reserved")
                .register(registry);
        Gauge.builder("dormouse.capacity.memory", allocator, a -> a.used().memoryMib() * 1024.0 * 1024.0)
                .baseUnit("bytes").tag("use", "used").register(registry);
        Gauge.builder("dormouse.capacity.memory", allocator, a -> a.reserved().memoryMib() * 1024.0 * 1024.0)
                .baseUnit("bytes").tag("use", "reserved").register(registry);
    }

    /** Gauges of pre-provisioning: the pool size, the wake rate it follows, and the VMs it guarantees. */
    public void watch(Provisioning provisioning) {
        Gauge.builder("dormouse.pool.size", provisioning, Provisioning::size)
                .description("pre-started hypervisor processes kept per machine shape").register(registry);
        Gauge.builder("dormouse.pool.wake.rate", provisioning, Provisioning::wakeRate)
                .description("restores per minute over vm.wake-rate-window").register(registry);
        Gauge.builder("dormouse.pool.guaranteed", provisioning, Provisioning::guaranteed)
                .description("hibernated gold VMs with reserved room the pool keeps a process for")
                .register(registry);
        Gauge.builder("dormouse.pool.prepared", provisioning, Provisioning::prepared)
                .description("guaranteed VMs whose restore is prepared from their last version").register(registry);
    }

    void transition(Journal.Step step, VmEvent.Outcome outcome) {
        Counter.builder("dormouse.vm.transitions").description("lifecycle transitions completed")
                .tag("from", step.from().label()).tag("to", step.target().label())
                .tag("reason", step.reason().label()).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    /**
     * @param cold true when the VM had not been restored before since the server started (no warm caches)
     */
    void wake(Reason reason, boolean succeeded, boolean cold, Duration took) {
        Timer.builder("dormouse.vm.wake").description("time from a wake request to a running VM")
                .tag("reason", reason.label()).tag("outcome", succeeded ? "succeeded" : "failed")
                .tag("cold", Boolean.toString(cold))
                .publishPercentileHistogram()
                .register(registry).record(took);
    }

    /** @param source where the restored machine's process came from, as its hypervisor says */
    void wokeFrom(String source) {
        Counter.builder("dormouse.vm.wakes").description("successful restores by where their process came from")
                .tag("source", source).register(registry).increment();
    }

    void hibernation(Duration took, long bytesWritten) {
        Timer.builder("dormouse.vm.hibernation").description("time from Running to Hibernated")
                .publishPercentileHistogram().register(registry).record(took);
        DistributionSummary.builder("dormouse.vm.hibernation.written").baseUnit("bytes")
                .description("bytes a hibernation wrote to the snapshot store").register(registry)
                .record(bytesWritten);
    }
}
