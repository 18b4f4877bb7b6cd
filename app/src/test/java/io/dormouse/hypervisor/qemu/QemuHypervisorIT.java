package io.dormouse.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.HypervisorContract;
import io.dormouse.hypervisor.HypervisorException;
import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The hypervisor contract against real QEMU under TCG, plus what only a real process can show. */
class QemuHypervisorIT extends HypervisorContract {

    private QemuHypervisor qemu;

    @Override
    protected Hypervisor createHypervisor(Path dataDir) throws Exception {
        qemu = QemuHypervisor.create(QemuSettings.defaults(dataDir).withAcceleration(Acceleration.TCG)
                .withStopTimeout(Duration.ofSeconds(2)));
        return qemu;
    }

    @Override
    protected VmSpec demoSpec(String name) throws Exception {
        Path image = GuestImage.directory();
        return VmSpec.kernel(name, 128, image.resolve("vmlinuz"), image.resolve("initrd.img"),
                "console=ttyS0 quiet no_timer_check", 80);
    }

    @Override
    protected void kill(Machine machine) {
        ProcessHandle.of(((QemuMachine) machine).pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    protected void assertReleased(Machine machine) throws Exception {
        long pid = ((QemuMachine) machine).pid();
        assertThat(ProcessHandle.of(pid)).as("QEMU process " + pid).isEmpty();
        try (var files = Files.list(qemuDirectory(machine))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ram-")))
                    .as("RAM files left in the VM directory").isEmpty();
        }
    }

    @Test
    @Order(20)
    void aSaveKilledHalfwayFailsClearlyAndTheLastStateStillRestores() throws Exception {
        long before = count(machine);
        lastSaved = hibernate(machine);
        nextExit();
        machine = qemu.restore(machine.spec(), lastSaved);
        List<String> hashes = hashes(lastSaved);
        long pid = ((QemuMachine) machine).pid();
        // SIGSTOP holds QEMU inside the save; SIGKILL then ends it there.
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        Machine saving = machine;
        CompletableFuture<SavedState> save = CompletableFuture.supplyAsync(() -> hibernate(saving));
        Thread.sleep(300);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

        assertThat(save).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(HypervisorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HypervisorException.Kind.SAVE_FAILED);
                    assertThat(e.getMessage()).contains("save failed");
                });
        nextExit();
        assertThat(hashes(lastSaved)).isEqualTo(hashes);
        machine = qemu.restore(machine.spec(), lastSaved);
        assertThat(count(machine)).isEqualTo(before + 1);
    }

    @Test
    @Order(21)
    void aRestoreKilledHalfwayFailsClearlyAndTheStateRestoresAfterwards() throws Exception {
        long before = count(machine);
        lastSaved = hibernate(machine);
        nextExit();
        VmSpec spec = machine.spec();
        long self = ProcessHandle.current().pid();
        CompletableFuture<Machine> restore = CompletableFuture.supplyAsync(() -> qemu.restore(spec, lastSaved));
        ProcessHandle incoming = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (incoming == null && System.nanoTime() < deadline) {
            incoming = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("-incoming defer"))
                    .findFirst().orElse(null);
        }
        assertThat(incoming).as("the restoring QEMU of JVM " + self).isNotNull();
        incoming.destroyForcibly();

        assertThat(restore).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.kind()).isIn(HypervisorException.Kind.RESTORE_FAILED,
                                HypervisorException.Kind.CRASHED));
        assertThat(qemu.running()).isEmpty();
        // killed after cont the process had become a machine, whose crash was reported
        exits.clear();
        machine = qemu.restore(spec, lastSaved);
        assertThat(count(machine)).isEqualTo(before + 1);
    }

    @Test
    @Order(22)
    void restoresFromAPreStartedProcess() throws Exception {
        long before = count(machine);
        try (QemuHypervisor pooled = QemuHypervisor.create(QemuSettings.defaults(dir.resolve("pooled"))
                .withAcceleration(Acceleration.TCG).withPoolSize(1).withAddressOctet(76)
                .withStopTimeout(Duration.ofSeconds(2)))) {
            SavedState state = hibernate(machine);
            nextExit();
            List<String> hashes = hashes(state);
            assertThat(pooled.awaitPool(machine.spec(), WAIT)).isTrue();
            Machine woken = pooled.restore(machine.spec(), state);
            assertThat(((QemuMachine) woken).wakeSteps().source()).isEqualTo("pool");
            assertThat(count(woken)).isEqualTo(before + 1);
            lastSaved = pooled.hibernate(woken, dir.resolve("from-pool"));
            assertThat(hashes(state)).as("the state restored into a pooled process, after it ran").isEqualTo(hashes);
        }
        machine = qemu.restore(machine.spec(), lastSaved);
        assertThat(count(machine)).isEqualTo(before + 2);
    }

    @Test
    @Order(23)
    void restoresIntoAPreparedProcessOnlyForTheStateItWasPreparedFor() throws Exception {
        long before = count(machine);
        SavedState first = hibernate(machine);
        nextExit();
        qemu.prepare(machine.spec(), first);
        machine = qemu.restore(machine.spec(), first);
        assertThat(((QemuMachine) machine).wakeSteps().source()).isEqualTo("prepared");
        assertThat(count(machine)).isEqualTo(before + 1);

        SavedState second = hibernate(machine);
        nextExit();
        qemu.prepare(machine.spec(), first);
        machine = qemu.restore(machine.spec(), second);
        assertThat(((QemuMachine) machine).wakeSteps().source()).isEqualTo("new");
        assertThat(count(machine)).isEqualTo(before + 2);
        lastSaved = second;
    }

    @Test
    @Order(24)
    void thePoolFollowsTheSizeItIsGivenWhileItRuns() throws Exception {
        long before = count(machine);
        Path data = dir.resolve("resized");
        try (QemuHypervisor resized = QemuHypervisor.create(QemuSettings.defaults(data)
                .withAcceleration(Acceleration.TCG).withAddressOctet(75).withStopTimeout(Duration.ofSeconds(2)))) {
            SavedState state = hibernate(machine);
            nextExit();
            resized.warmPool(machine.spec());
            assertThat(poolProcesses(data)).as("size 0: nothing pre-started").isEmpty();

            resized.poolSize(2);
            assertThat(resized.awaitPool(machine.spec(), WAIT)).isTrue();
            assertThat(poolProcesses(data)).as("size 2, for the shape warmed before").hasSize(2);
            Machine woken = resized.restore(machine.spec(), state);
            assertThat(((QemuMachine) woken).wakeSteps().source()).isEqualTo("pool");
            assertThat(count(woken)).isEqualTo(before + 1);

            resized.poolSize(0);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (poolProcesses(data).size() > 1 && System.nanoTime() < deadline) {
                sleep(50); // a refill under way ends its process once launched
            }
            assertThat(poolProcesses(data)).as("size 0: only the restored machine runs from the pool directory")
                    .containsExactly(((QemuMachine) woken).pid());
            try (var files = Files.walk(data.resolve("pool"))) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("ram-")))
                        .as("RAM files in the pool directory").hasSize(1);
            }
            lastSaved = resized.hibernate(woken, dir.resolve("from-resized-pool"));
        }
        machine = qemu.restore(machine.spec(), lastSaved);
        assertThat(count(machine)).isEqualTo(before + 2);
    }

    @Test
    @Order(25)
    void aDiscardEndsAPreparationStillLoadingItsState() throws Exception {
        long before = count(machine);
        SavedState state = hibernate(machine);
        nextExit();
        Path data = dir.resolve("discarded");
        QemuSettings settings = QemuSettings.defaults(data).withAcceleration(Acceleration.TCG);
        VmSpec spec = machine.spec();
        try (RestoreProcesses processes = new RestoreProcesses(QemuInstallation.find(settings.binary()).binary(),
                new StateFiles(data), settings)) {
            CountDownLatch loading = new CountDownLatch(1);
            CountDownLatch discarded = new CountDownLatch(1);
            CompletableFuture<Void> preparing = CompletableFuture.runAsync(() -> {
                try {
                    processes.prepare(spec, new QemuCommand(spec, "tcg", true), state, process -> {
                        loading.countDown();
                        discarded.await(); // the VM is terminated while its state loads
                    });
                } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                }
            });
            assertThat(loading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the process started").isTrue();
            assertThat(processesUnder(data)).as("the process being prepared").hasSize(1);
            processes.discard(spec.name());
            discarded.countDown();
            assertThatThrownBy(preparing::join).hasMessageContaining("discarded while it loaded");
            assertThat(processesUnder(data)).as("QEMU processes left of the discarded preparation").isEmpty();
        }
        machine = qemu.restore(spec, state);
        assertThat(((QemuMachine) machine).wakeSteps().source()).as("nothing prepared here").isNotEqualTo("prepared");
        assertThat(count(machine)).isEqualTo(before + 1);
        lastSaved = state;
    }

    @Test
    @Order(40)
    void qemuRunsInASessionOfItsOwnSoAnInterruptAtTheServersTerminalSparesTheGuests() throws Exception {
        Machine own = hypervisor.start(demoSpec("session"));
        try {
            long pid = ((QemuMachine) own).pid();
            assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).as("QEMU is still our child")
                    .contains(pid);
            assertThat(session(pid)).as("session of QEMU " + pid).isEqualTo(pid)
                    .isNotEqualTo(session(ProcessHandle.current().pid()));
        } finally {
            hypervisor.stop(own);
        }
    }

    /** The session id of a process, from /proc/PID/stat (the fields after the command: state ppid pgrp session). */
    private static long session(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    /** QEMU processes of this JVM whose files live in {@code data}'s pool directory. */
    private static List<Long> poolProcesses(Path data) {
        return processesUnder(data.resolve("pool"));
    }

    /** QEMU processes of this JVM with a file in {@code directory}. */
    private static List<Long> processesUnder(Path directory) {
        String pool = directory.toAbsolutePath().normalize() + "/";
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).stream().anyMatch(s -> s.contains(pool)))
                        .orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private Path qemuDirectory(Machine m) {
        return dir.resolve("data/vms").resolve(m.name());
    }

    static void sleep(long millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(millis);
    }
}
