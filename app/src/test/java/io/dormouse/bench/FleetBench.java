package io.dormouse.bench;

import io.dormouse.alloc.Allocator;
import io.dormouse.alloc.Host;
import io.dormouse.alloc.Resources;
import io.dormouse.blob.FileBlobStore;
import io.dormouse.config.DormouseConfig;
import io.dormouse.config.VmConfig;
import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.MachineExit;
import io.dormouse.hypervisor.Resize;
import io.dormouse.hypervisor.ResizeResult;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.VmSpec;
import io.dormouse.hypervisor.fake.FakeHypervisor;
import io.dormouse.snapshot.SnapshotSettings;
import io.dormouse.snapshot.SnapshotStore;
import io.dormouse.state.DatabaseSettings;
import io.dormouse.state.NewVm;
import io.dormouse.state.StateStore;
import io.dormouse.api.Json;
import io.dormouse.vm.Definitions;
import io.dormouse.vm.Fleet;
import io.dormouse.vm.Lifecycle;
import io.dormouse.vm.Reason;
import io.dormouse.vm.Vm;
import io.dormouse.vm.VmDefinition;
import io.dormouse.vm.VmMetrics;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The VM manager at fleet scale on the fake hypervisor: how long a name lookup in the in-memory fleet
 * takes, how much heap a VM costs, and how much of a wake is the control plane's own time (journal,
 * fleet, allocation) beyond the hypervisor's restore and the snapshot store's materialize. Prints a
 * Markdown table; run by {@code bench/fleet VMS WAKES}.
 */
public final class FleetBench {

    private static final String SPEC = "{\"vcpus\":1,\"memoryMib\":64,\"kernel\":\"%s\",\"ports\":[80]}";

    private FleetBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int vms = Integer.parseInt(args[1]);
        int wakes = Integer.parseInt(args[2]);
        Path kernel = Files.writeString(work.resolve("vmlinuz"), "not a kernel: the fake hypervisor never reads it");
        String spec = SPEC.formatted(kernel);
        VmConfig config = DormouseConfig.defaults().vm();
        try (StateStore store = StateStore.open(DatabaseSettings.sqlite(work.resolve("state.db")))) {
            long insertStart = System.nanoTime();
            for (int i = 0; i < vms; i++) {
                store.vms().insert(new NewVm(name(i), "hibernated", spec, null, null, i % 10, "standard"));
            }
            double insertSeconds = (System.nanoTime() - insertStart) / 1e9;

            long heapBefore = heapAfterGc();
            long loadStart = System.nanoTime();
            Fleet fleet = Fleet.load(store, config.defaultWakeEstimate(), InstantSource.system());
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long heapAfter = heapAfterGc();
            double bytesPerVm = (double) (heapAfter - heapBefore) / vms;

            long[] lookups = lookups(fleet, vms, 1_000_000);

            TimedHypervisor hypervisor = new TimedHypervisor(FakeHypervisor.create());
            SnapshotStore snapshots = SnapshotStore.open(FileBlobStore.open(work.resolve("blobs")),
                    SnapshotSettings.defaults(work), InstantSource.system());
            Allocator allocator = new Allocator(List.of(new Host("bench", new Resources(100_000, 100_000_000, 0))),
                    false, vm -> true, InstantSource.system());
            Lifecycle lifecycle = new Lifecycle(store, fleet, hypervisor, snapshots, allocator, VmMetrics.none(),
                    config, work.resolve("saves"));
            VmDefinition definition = Definitions.parse("w", Json.MAPPER
                    .readTree(spec));
            for (int i = 0; i < wakes; i++) {
                lifecycle.create("w-" + i, definition, Reason.API).await();
                lifecycle.hibernate("w-" + i, Reason.API).await();
            }
            long[] total = new long[wakes];
            long[] restore = new long[wakes];
            long[] materialize = new long[wakes];
            long[] control = new long[wakes];
            for (int i = 0; i < wakes; i++) {
                Vm vm = fleet.get("w-" + i);
                long m0 = System.nanoTime();
                snapshots.materialize(vm.id(), vm.saved().version(), work.resolve("probe-" + i));
                materialize[i] = System.nanoTime() - m0;
                hypervisor.restoreNanos = 0;
                long t0 = System.nanoTime();
                lifecycle.wake("w-" + i, Reason.DNS);
                total[i] = System.nanoTime() - t0;
                restore[i] = hypervisor.restoreNanos;
                control[i] = Math.max(0, total[i] - restore[i] - materialize[i]);
            }
            hypervisor.close();

            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("VMs in the fleet", Integer.toString(vms));
            row("inserting their rows (SQLite)", String.format(Locale.ROOT, "%.1f s", insertSeconds));
            row("loading the fleet from the database", String.format(Locale.ROOT, "%.2f s", loadSeconds));
            row("heap per VM in the fleet", String.format(Locale.ROOT, "%.0f bytes", bytesPerVm));
            row("name lookup, median / p99 / p99.9 (1,000,000 lookups, 10 % unknown names)",
                    String.format(Locale.ROOT, "%d / %d / %d ns", pct(lookups, 50), pct(lookups, 99), pct(lookups, 99.9)));
            row("wakes measured (hibernated VM to running, one at a time)", Integer.toString(wakes));
            row("wake, total: median / p99", ms(total));
            row("of which the hypervisor's restore (fake, no latency model)", ms(restore));
            row("of which materialize from the snapshot store (measured apart, same version)", ms(materialize));
            row("**control plane's own time** (total − restore − materialize): median / p99", ms(control));
        }
    }

    private static void row(String what, String value) {
        System.out.println("| " + what + " | " + value + " |");
    }

    private static String ms(long[] nanos) {
        return String.format(Locale.ROOT, "%.2f / %.2f ms", pct(nanos, 50) / 1e6, pct(nanos, 99) / 1e6);
    }

    private static long pct(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "vm-%05d", i);
    }

    private static long[] lookups(Fleet fleet, int vms, int count) {
        SplittableRandom random = new SplittableRandom(42);
        String[] names = new String[4096];
        for (int i = 0; i < names.length; i++) {
            names[i] = random.nextInt(10) == 0 ? "unknown-" + i : name(random.nextInt(vms));
        }
        long[] nanos = new long[count];
        int found = 0;
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < count; i++) {
                String n = names[i & (names.length - 1)];
                long t0 = System.nanoTime();
                found += fleet.find(n).isPresent() ? 1 : 0;
                nanos[i] = System.nanoTime() - t0;
            }
        }
        if (found == 0) {
            throw new IllegalStateException("no lookup found a VM");
        }
        return nanos;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The fake hypervisor, timing its restores. */
    private static final class TimedHypervisor implements Hypervisor {
        private final Hypervisor inner;
        volatile long restoreNanos;

        TimedHypervisor(Hypervisor inner) {
            this.inner = inner;
        }

        @Override
        public Machine start(VmSpec spec) {
            return inner.start(spec);
        }

        @Override
        public SavedState hibernate(Machine machine, Path directory) {
            return inner.hibernate(machine, directory);
        }

        @Override
        public SavedState checkpoint(Machine machine, Path directory) {
            return inner.checkpoint(machine, directory);
        }

        @Override
        public Machine restore(VmSpec spec, SavedState state) {
            long t0 = System.nanoTime();
            try {
                return inner.restore(spec, state);
            } finally {
                restoreNanos = System.nanoTime() - t0;
            }
        }

        @Override
        public void stop(Machine machine) {
            inner.stop(machine);
        }

        @Override
        public ResizeResult resize(Machine machine, Resize resize) {
            return inner.resize(machine, resize);
        }

        @Override
        public List<Machine> running() {
            return inner.running();
        }

        @Override
        public void addExitListener(Consumer<MachineExit> listener) {
            inner.addExitListener(listener);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
