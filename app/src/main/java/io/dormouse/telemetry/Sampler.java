package io.dormouse.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Takes one sample of every VM per round (the server runs a round every {@code telemetry.interval}): CPU
 * and memory of its process, front-door traffic and DNS queries, and demand. Counts are differences of the
 * sources' running totals since the previous round; CPU is the process's CPU time over the time between
 * rounds, so the first round a process is seen in gives no CPU sample. Samples go to the sink in one
 * batch and to per-VM gauges. Balloon sizes are asked of every guest at once, each on its own virtual
 * thread: one hung monitor socket costs the round its own timeout, not one per VM after it.
 */
public final class Sampler {

    private final SampledVms vms;
    private final ActivitySource activity;
    private final DnsQuerySource dns;
    private final SampleSink sink;
    private final VmGauges gauges;
    private final ProcStat proc;
    private final InstantSource clock;
    private final Map<Long, Previous> previous = new HashMap<>();

    /** What the last round saw of one VM: counter totals, and the CPU time of its process then. */
    private static final class Previous {
        long queries;
        Activity activity = Activity.NONE;
        long pid = -1;
        double cpuSeconds;
        Instant cpuAt;
    }

    Sampler(SampledVms vms, ActivitySource activity, DnsQuerySource dns, SampleSink sink, MeterRegistry registry,
            ProcStat proc, InstantSource clock) {
        this.vms = vms;
        this.activity = activity;
        this.dns = dns;
        this.sink = sink;
        this.gauges = new VmGauges(registry);
        this.proc = proc;
        this.clock = clock;
    }

    /** A sampler reading processes from /proc. */
    public static Sampler create(SampledVms vms, ActivitySource activity, DnsQuerySource dns, SampleSink sink,
                                 MeterRegistry registry, InstantSource clock) {
        return new Sampler(vms, activity, dns, sink, registry, ProcStat.system(), clock);
    }

    /** Samples every VM once, stores the samples and updates the gauges; returns what was sampled. */
    public synchronized List<VmSample> round() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<VmSample> samples = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        List<SampledVm> fleet = vms.list();
        Map<Long, OptionalLong> balloons = balloons(fleet);
        for (SampledVm vm : fleet) {
            ids.add(vm.id());
            names.add(vm.name());
            Map<VmMetric, Double> values = sample(vm, previous.computeIfAbsent(vm.id(), id -> new Previous()), now,
                    balloons.getOrDefault(vm.id(), OptionalLong.empty()));
            values.forEach((metric, value) -> samples.add(new VmSample(vm.id(), metric, now, value)));
            gauges.update(vm.name(), values);
        }
        previous.keySet().retainAll(ids);
        gauges.retain(names);
        sink.store(samples);
        return samples;
    }

    /** The balloon size of each VM with a process, asked of all of them at once. */
    private static Map<Long, OptionalLong> balloons(List<SampledVm> fleet) {
        Map<Long, Future<OptionalLong>> asked = new HashMap<>();
        Map<Long, OptionalLong> answers = new HashMap<>();
        try (ExecutorService askers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("balloon-", 0).factory())) {
            for (SampledVm vm : fleet) {
                vm.process().ifPresent(process -> asked.put(vm.id(), askers.submit(process::balloonBytes)));
            }
            asked.forEach((id, answer) -> {
                try {
                    answers.put(id, answer.get());
                } catch (ExecutionException e) {
                    answers.put(id, OptionalLong.empty());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return answers;
    }

    private Map<VmMetric, Double> sample(SampledVm vm, Previous last, Instant now, OptionalLong balloon) {
        Map<VmMetric, Double> values = new EnumMap<>(VmMetric.class);
        long queries = dns.queries(vm.id());
        long newQueries = delta(queries, last.queries);
        last.queries = queries;
        values.put(VmMetric.DNS_QUERIES, (double) newQueries);
        long connections = 0;
        Optional<Activity> metered = activity.activity(vm.id());
        if (metered.isPresent()) {
            Activity traffic = metered.get();
            connections = delta(traffic.connections(), last.activity.connections());
            values.put(VmMetric.CONNECTIONS, (double) connections);
            values.put(VmMetric.BYTES_IN, (double) delta(traffic.bytesIn(), last.activity.bytesIn()));
            values.put(VmMetric.BYTES_OUT, (double) delta(traffic.bytesOut(), last.activity.bytesOut()));
            last.activity = traffic;
        }
        values.put(VmMetric.DEMAND, (double) (newQueries + connections));
        vm.process().ifPresentOrElse(process -> {
            proc.read(process.pid()).ifPresentOrElse(usage -> {
                if (last.pid == process.pid() && last.cpuAt != null && now.isAfter(last.cpuAt)) {
                    double seconds = (now.toEpochMilli() - last.cpuAt.toEpochMilli()) / 1000.0;
                    values.put(VmMetric.CPU, Math.max(0, usage.cpuSeconds() - last.cpuSeconds) / seconds);
                }
                values.put(VmMetric.RSS, (double) usage.rssBytes());
                last.pid = process.pid();
                last.cpuSeconds = usage.cpuSeconds();
                last.cpuAt = now;
            }, () -> last.pid = -1);
            balloon.ifPresent(bytes -> values.put(VmMetric.BALLOON, (double) bytes));
        }, () -> last.pid = -1);
        return values;
    }

    /** The growth of a running total; a total below the last one means its source restarted from zero. */
    private static long delta(long now, long before) {
        return now >= before ? now - before : now;
    }
}
