package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.ReadinessProbe;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wake path of the demo guest under TCG, step by step: a new process, one from the pool,
 * one prepared for the state (RAM copied and device state loaded ahead); the next answer once
 * the guest's code is translated; and the guest pause during hibernation. Prints a markdown
 * table (for bench/wake).
 * Usage: WakeBench GUEST-IMAGE-DIR WORK-DIR RUNS
 */
public final class WakeBench {

    private WakeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        Path work = Files.createDirectories(Path.of(args[1]));
        int runs = Integer.parseInt(args[2]);
        VmSpec spec = VmSpec.kernel("bench", 128, image.resolve("vmlinuz"), image.resolve("initrd.img"),
                "console=ttyS0 quiet no_timer_check", 80);
        Map<String, List<Duration>> plain = measure(spec, work.resolve("plain"), runs, Mode.NEW);
        Map<String, List<Duration>> pooled = measure(spec, work.resolve("pooled"), runs, Mode.POOL);
        Map<String, List<Duration>> ready = measure(spec, work.resolve("prepared"), runs, Mode.PREPARED);
        System.out.println("| step | new process p50 ms | p90 ms | pool p50 ms | p90 ms | prepared p50 ms | p90 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (String step : plain.keySet()) {
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s |%n", step, ms(plain.get(step), 50),
                    ms(plain.get(step), 90), ms(pooled.get(step), 50), ms(pooled.get(step), 90),
                    ms(ready.get(step), 50), ms(ready.get(step), 90));
        }
    }

    /** Where the restoring process comes from. */
    private enum Mode { NEW, POOL, PREPARED }

    private static Map<String, List<Duration>> measure(VmSpec spec, Path dir, int runs, Mode mode)
            throws Exception {
        int poolSize = mode == Mode.POOL ? 1 : 0;
        Map<String, List<Duration>> steps = new LinkedHashMap<>();
        for (String step : List.of("process start, or take, and RAM copy", "hostfwd_add, migrate-incoming to completed", "cont",
                "cont to first HTTP answer", "restore total (to first answer)",
                "the next HTTP answer (guest code translated)", "guest pause while hibernating")) {
            steps.put(step, new ArrayList<>());
        }
        QemuSettings settings = QemuSettings.defaults(dir).withAcceleration(Acceleration.TCG).withPoolSize(poolSize)
                .withStopTimeout(Duration.ofSeconds(2));
        try (QemuHypervisor qemu = QemuHypervisor.create(settings)) {
            Machine machine = qemu.start(spec);
            for (int run = 0; run < runs; run++) {
                SavedState state = qemu.hibernate(machine, dir.resolve("state-" + run));
                if (mode == Mode.POOL && !qemu.awaitPool(spec, Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the pool did not fill within 30 s");
                }
                if (mode == Mode.PREPARED) {
                    qemu.prepare(spec, state);
                }
                // the guest re-translates its code after each wake: let the machine settle between runs
                Thread.sleep(300);
                machine = qemu.restore(spec, state);
                QemuMachine.WakeSteps wake = ((QemuMachine) machine).wakeSteps();
                // the same request again: what the first answer costs once TCG has translated the guest's code
                long before = System.nanoTime();
                if (!ReadinessProbe.ready(machine.address(), spec.readiness(), Duration.ofSeconds(2))) {
                    throw new IllegalStateException("the second GET /healthz failed");
                }
                Duration next = Duration.ofNanos(System.nanoTime() - before);
                List<Duration> values = List.of(wake.processStart(), wake.migrateIncoming(), wake.cont(),
                        wake.firstAnswer(), wake.processStart().plus(wake.migrateIncoming()).plus(wake.cont())
                                .plus(wake.firstAnswer()), next, state.pausedFor());
                int i = 0;
                for (List<Duration> list : steps.values()) {
                    list.add(values.get(i++));
                }
                System.err.println(mode + " run " + (run + 1) + "/" + runs + ": "
                        + wake + ", next answer " + next.toMillis() + " ms, paused " + state.pausedFor().toMillis() + " ms");
                deleteTree(dir.resolve("state-" + run));
            }
            qemu.stop(machine);
        }
        return steps;
    }

    private static String ms(List<Duration> samples, int percentile) {
        List<Duration> sorted = samples.stream().sorted(Comparator.naturalOrder()).toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return String.format("%.1f", sorted.get(Math.max(0, index)).toNanos() / 1e6);
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
