package io.dormouse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sampling rounds with a fake clock, fake traffic sources, a fake /proc and an in-memory sink. */
class SamplerTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final List<SampledVm> fleet = new CopyOnWriteArrayList<>();
    final Map<Long, Activity> traffic = new ConcurrentHashMap<>();
    final DnsQueryCounts queries = new DnsQueryCounts();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<VmSample> stored = new CopyOnWriteArrayList<>();
    final long web = 3;
    final long db = 1025;
    Sampler sampler;

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(dir.resolve("proc"));
        sampler = new Sampler(() -> List.copyOf(fleet), vmId -> Optional.ofNullable(traffic.get(vmId)), queries,
                stored::addAll, registry, new ProcStat(dir.resolve("proc")), now::get);
    }

    /** A process in the fake /proc with this much CPU time (in clock ticks) and resident memory. */
    void process(long pid, long ticks, long rssKib) throws IOException {
        Path p = Files.createDirectories(dir.resolve("proc").resolve(Long.toString(pid)));
        Files.writeString(p.resolve("stat"), pid + " (qemu-system-x86) S 1 1 1 0 -1 0 0 0 0 0 " + (ticks - 10)
                + " 10 0 0 20 0 4 0 100 1 1");
        Files.writeString(p.resolve("status"), "Name:\tqemu\nVmRSS:\t" + rssKib + " kB\n");
    }

    static GuestProcess guest(long pid, OptionalLong balloon) {
        return new GuestProcess() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public OptionalLong balloonBytes() {
                return balloon;
            }
        };
    }

    Map<String, Double> byMetric(List<VmSample> samples, long vmId) {
        return samples.stream().filter(s -> s.vmId() == vmId)
                .collect(Collectors.toMap(s -> s.metric().series(), VmSample::value));
    }

    @Test
    void countsAreWhatArrivedSinceTheLastRoundAndDemandIsConnectionsPlusQueries() {
        fleet.add(new SampledVm(web, "web-1", Optional.empty()));
        fleet.add(new SampledVm(db, "db-1", Optional.empty()));
        queries.count(web);
        traffic.put(web, new Activity(2, 300, 4000));

        Map<String, Double> first = byMetric(sampler.round(), web);
        assertThat(first).containsExactlyInAnyOrderEntriesOf(Map.of("dns_queries", 1.0, "connections", 2.0,
                "bytes_in", 300.0, "bytes_out", 4000.0, "demand", 3.0));

        now.set(T0.plusSeconds(60));
        queries.count(web);
        queries.count(web);
        traffic.put(web, new Activity(3, 350, 4100));
        List<VmSample> second = sampler.round();
        assertThat(byMetric(second, web)).containsEntry("demand", 3.0).containsEntry("connections", 1.0)
                .containsEntry("bytes_in", 50.0);
        assertThat(byMetric(second, db)).as("a VM nobody asked for has zero demand, every round")
                .containsEntry("demand", 0.0).doesNotContainKey("cpu")
                .as("nor connections or bytes, as the front door does not meter it").doesNotContainKeys("connections", "bytes_in");

        now.set(T0.plusSeconds(120));
        traffic.put(web, new Activity(1, 10, 10)); // the front door restarted: its totals begin again
        assertThat(byMetric(sampler.round(), web)).containsEntry("connections", 1.0).containsEntry("bytes_out", 10.0);

        assertThat(stored).filteredOn(s -> s.vmId() == web && s.metric() == VmMetric.DEMAND)
                .extracting(VmSample::at, VmSample::value).containsExactly(org.assertj.core.groups.Tuple.tuple(T0, 3.0),
                        org.assertj.core.groups.Tuple.tuple(T0.plusSeconds(60), 3.0),
                        org.assertj.core.groups.Tuple.tuple(T0.plusSeconds(120), 1.0));
    }

    @Test
    void cpuIsProcessCpuTimeOverTheTimeBetweenRoundsAndMemoryIsItsRss() throws IOException {
        process(4242, 1000, 204800);
        fleet.add(new SampledVm(web, "web-1", Optional.of(guest(4242, OptionalLong.of(512L << 20)))));

        Map<String, Double> first = byMetric(sampler.round(), web);
        assertThat(first).as("no CPU figure before a second look").doesNotContainKey("cpu")
                .containsEntry("rss_bytes", 204800.0 * 1024).containsEntry("balloon_bytes", 512.0 * (1 << 20));

        process(4242, 1000 + 3000, 204800); // 30 s of CPU time in 60 s
        now.set(T0.plusSeconds(60));
        assertThat(byMetric(sampler.round(), web)).containsEntry("cpu", 0.5);

        // a restore runs the VM in a new process: its CPU time is not compared with the old one's
        process(5151, 100, 1024);
        fleet.set(0, new SampledVm(web, "web-1", Optional.of(guest(5151, OptionalLong.empty()))));
        now.set(T0.plusSeconds(120));
        Map<String, Double> restored = byMetric(sampler.round(), web);
        assertThat(restored).doesNotContainKey("cpu").doesNotContainKey("balloon_bytes")
                .containsEntry("rss_bytes", 1024.0 * 1024);
        process(5151, 100 + 600, 1024);
        now.set(T0.plusSeconds(180));
        assertThat(byMetric(sampler.round(), web)).containsEntry("cpu", 0.1);
    }

    @Test
    void aProcessThatVanishedGivesNoMemoryOrCpuSamples() {
        fleet.add(new SampledVm(web, "web-1", Optional.of(guest(999_999_999, OptionalLong.empty()))));

        assertThat(byMetric(sampler.round(), web)).doesNotContainKeys("cpu", "rss_bytes").containsKey("demand");
    }

    @Test
    void balloonsAreAskedOfEveryGuestAtOnceAndOneThatFailsCostsOnlyItsOwnSample() {
        int guests = 8;
        CountDownLatch asking = new CountDownLatch(guests);
        for (int i = 0; i < guests; i++) {
            long id = 100 + i;
            boolean broken = i == 3;
            fleet.add(new SampledVm(id, "vm-" + id, Optional.of(new GuestProcess() {
                @Override
                public long pid() {
                    return 999_999_000 + id;
                }

                @Override
                public OptionalLong balloonBytes() {
                    asking.countDown();
                    try {
                        // answers only once every guest is being asked: one at a time, all but the last would give up
                        if (!asking.await(20, TimeUnit.SECONDS)) {
                            return OptionalLong.empty();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return OptionalLong.empty();
                    }
                    if (broken) {
                        throw new IllegalStateException("monitor socket closed");
                    }
                    return OptionalLong.of(id << 20);
                }
            })));
        }

        List<VmSample> samples = sampler.round();

        for (int i = 0; i < guests; i++) {
            long id = 100 + i;
            if (i == 3) {
                assertThat(byMetric(samples, id)).doesNotContainKey("balloon_bytes").containsKey("demand");
            } else {
                assertThat(byMetric(samples, id)).containsEntry("balloon_bytes", (double) (id << 20));
            }
        }
    }

    @Test
    void gaugesShowTheLatestSamplesAndGoWithTheirVm() throws IOException {
        process(4242, 1000, 2048);
        fleet.add(new SampledVm(web, "web-1", Optional.of(guest(4242, OptionalLong.of(1L << 30)))));
        fleet.add(new SampledVm(db, "db-1", Optional.empty()));
        traffic.put(web, new Activity(5, 0, 0));
        traffic.put(db, Activity.NONE);
        sampler.round();

        assertThat(gauge("dormouse.vm.demand", "web-1")).isEqualTo(5.0);
        assertThat(gauge("dormouse.vm.memory.rss", "web-1")).isEqualTo(2048.0 * 1024);
        assertThat(gauge("dormouse.vm.memory.balloon", "web-1")).isEqualTo(1 << 30);
        assertThat(gauge("dormouse.vm.demand", "db-1")).isZero();

        // web-1 hibernates: no process, so no memory gauges; db-1 is terminated: none at all
        fleet.clear();
        fleet.add(new SampledVm(web, "web-1", Optional.empty()));
        now.set(T0.plusSeconds(60));
        sampler.round();

        assertThat(registry.find("dormouse.vm.memory.rss").tag("vm", "web-1").gauge()).isNull();
        assertThat(registry.find("dormouse.vm.memory.balloon").gauges()).isEmpty();
        assertThat(registry.find("dormouse.vm.demand").tag("vm", "web-1").gauge()).isNotNull();
        assertThat(registry.getMeters()).noneMatch(m -> "db-1".equals(m.getId().getTag("vm")));
    }

    @Test
    void aRealBusyProcessShowsTheCpuTheJdkSeesAndItsMemory() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Sampler real = new Sampler(() -> List.of(new SampledVm(web, "web-1",
                    Optional.of(guest(busy.pid(), OptionalLong.empty())))), ActivitySource.none(), queries,
                    stored::addAll, registry, ProcStat.system(), Instant::now);
            Instant t1 = real.round().getFirst().at();
            Duration jdk1 = busy.info().totalCpuDuration().orElseThrow();
            Thread.sleep(Duration.ofSeconds(2));
            List<VmSample> second = real.round();
            Duration jdk2 = busy.info().totalCpuDuration().orElseThrow();
            Instant t2 = second.getFirst().at();
            Map<String, Double> sampled = byMetric(second, web);

            // the machine is shared, so the loop gets what it gets; the sampler must see what the JDK sees,
            // give or take a clock tick at each end and the moments between the two readings
            double jdkCores = (jdk2.toNanos() - jdk1.toNanos()) / 1e9 / (Duration.between(t1, t2).toNanos() / 1e9);
            assertThat(sampled.get("cpu")).isPositive().isCloseTo(jdkCores, org.assertj.core.data.Offset.offset(0.1));
            assertThat(sampled.get("rss_bytes")).isBetween(1.0, 64.0 * (1 << 20));
        } finally {
            busy.destroy();
        }
    }

    private double gauge(String name, String vm) {
        Gauge gauge = registry.find(name).tag("vm", vm).gauge();
        assertThat(gauge).as("gauge %s of %s", name, vm).isNotNull();
        return gauge.value();
    }
}
