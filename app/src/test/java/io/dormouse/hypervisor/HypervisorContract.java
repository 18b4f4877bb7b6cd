package io.dormouse.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Hypervisor} must do, run against the fake and against QEMU. One machine
 * is booted per class (a TCG boot takes seconds) and carried through the ordered tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class HypervisorContract {

    protected static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A temporary directory for the whole class. */
    protected Path dir;

    protected Hypervisor hypervisor;
    /** The machine the ordered tests carry along; replaced by each restore. */
    protected Machine machine;
    /** The last state a hibernation of {@link #machine} produced. */
    protected SavedState lastSaved;
    protected final BlockingQueue<MachineExit> exits = new LinkedBlockingQueue<>();
    private int saves;

    /** A hypervisor keeping its files under {@code dataDir}. */
    protected abstract Hypervisor createHypervisor(Path dataDir) throws Exception;

    /** A spec of the demo guest (HTTP counter on port 80) named {@code name}. */
    protected abstract VmSpec demoSpec(String name) throws Exception;

    /** Ends the machine's process as a crash would (SIGKILL for QEMU). */
    protected abstract void kill(Machine machine) throws Exception;

    /** Asserts that nothing of the ended machine still runs or holds memory. */
    protected abstract void assertReleased(Machine machine) throws Exception;

    @BeforeAll
    void bootOnce(@TempDir Path classDir) throws Exception {
        dir = classDir;
        hypervisor = createHypervisor(dir.resolve("data"));
        hypervisor.addExitListener(exits::add);
        machine = hypervisor.start(demoSpec("contract"));
    }

    @AfterAll
    void closeHypervisor() {
        if (hypervisor != null) {
            hypervisor.close();
        }
    }

    @Test
    @Order(1)
    void bootsAGuestThatCounts() throws Exception {
        assertThat(machine.isRunning()).isTrue();
        assertThat(machine.address().isLoopbackAddress()).isTrue();
        assertThat(hypervisor.running()).extracting(Machine::name).contains("contract");
        long first = count(machine);
        assertThat(count(machine)).isEqualTo(first + 1);
        assertThat(count(machine)).isEqualTo(first + 2);
    }

    @Test
    @Order(2)
    void hibernatesAndRestoresWithMemoryIntact() throws Exception {
        long before = count(machine);
        Machine old = machine;

        lastSaved = hibernate(machine);

        assertThat(old.isRunning()).isFalse();
        assertThat(nextExit().reason()).isEqualTo(MachineExit.Reason.HIBERNATED);
        assertThat(hypervisor.running()).extracting(Machine::name).doesNotContain("contract");
        assertReleased(old);
        assertThat(lastSaved.parts()).extracting(SavedState.Part::name).contains("ram", "devices");
        for (SavedState.Part part : lastSaved.parts()) {
            assertThat(Files.size(part.file())).as(part.name()).isEqualTo(part.size()).isPositive();
        }
        assertThat(lastSaved.pausedFor()).isPositive();

        machine = hypervisor.restore(old.spec(), lastSaved);

        assertThat(count(machine)).isEqualTo(before + 1);
    }

    @Test
    @Order(3)
    void survivesTwentyCyclesInARow() throws Exception {
        long expected = count(machine);
        for (int cycle = 1; cycle <= 20; cycle++) {
            lastSaved = hibernate(machine);
            assertThat(nextExit().reason()).isEqualTo(MachineExit.Reason.HIBERNATED);
            machine = hypervisor.restore(machine.spec(), lastSaved);
            assertThat(count(machine)).as("count after cycle " + cycle).isEqualTo(expected + cycle);
        }
    }

    @Test
    @Order(4)
    void restoresALiveCheckpointToItsMoment() throws Exception {
        long atCheckpoint = count(machine);
        Machine serving = machine;
        CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
            int answered = 0;
            try {
                for (long end = System.nanoTime() + Duration.ofMillis(800).toNanos(); System.nanoTime() < end; ) {
                    get(serving, "/healthz");
                    answered++;
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("a request failed while the checkpoint was taken", e);
            }
            return answered;
        });
        SavedState checkpoint = hypervisor.checkpoint(machine, dir.resolve("checkpoint"));
        assertThat(load.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("requests answered meanwhile").isPositive();
        assertThat(machine.isRunning()).isTrue();
        assertThat(count(machine)).isEqualTo(atCheckpoint + 1);
        assertThat(count(machine)).isEqualTo(atCheckpoint + 2);

        Machine copy = hypervisor.restore(machine.spec().withName("contract-copy"), checkpoint);
        try {
            assertThat(copy.address()).isNotEqualTo(machine.address());
            assertThat(count(copy)).isEqualTo(atCheckpoint + 1);
            assertThat(count(machine)).isEqualTo(atCheckpoint + 3);
        } finally {
            hypervisor.stop(copy);
        }
        assertThat(nextExit()).isEqualTo(new MachineExit("contract-copy", MachineExit.Reason.STOPPED,
                nextExitDetailOf(copy)));
    }

    @Test
    @Order(5)
    void refusesAStateOfOtherMachineArgumentsOrVersionAndLeavesItIntact() throws Exception {
        List<String> hashes = hashes(lastSaved);
        VmSpec other = machine.spec().withName("contract-other").withMemoryMib(machine.spec().memoryMib() + 16);

        assertThatThrownBy(() -> hypervisor.restore(other, lastSaved))
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INCOMPATIBLE_STATE));
        SavedState otherVersion = new SavedState(lastSaved.parts(), "0.0.1", lastSaved.machineFingerprint(),
                lastSaved.pausedFor());
        assertThatThrownBy(() -> hypervisor.restore(machine.spec().withName("contract-other"), otherVersion))
                .isInstanceOfSatisfying(HypervisorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INCOMPATIBLE_STATE);
                    assertThat(e.getMessage()).contains("0.0.1");
                });

        assertThat(hashes(lastSaved)).isEqualTo(hashes);
        assertThat(hypervisor.running()).extracting(Machine::name).containsExactly("contract");
    }

    @Test
    @Order(6)
    void rejectsBadSpecsNamingTheFieldAndStartsNothing() throws Exception {
        VmSpec good = demoSpec("contract-bad");
        assertThatThrownBy(() -> good.withMemoryMib(0)).hasMessageContaining("memoryMib");
        assertThatThrownBy(() -> good.withPorts(List.of(0), good.readiness())).hasMessageContaining("ports[0]");
        assertThatThrownBy(() -> good.withPorts(List.of(70000), good.readiness()))
                .hasMessageContaining("ports[0]").hasMessageContaining("70000");

        VmSpec.KernelBoot boot = (VmSpec.KernelBoot) good.boot();
        VmSpec noKernel = good.withBoot(new VmSpec.KernelBoot(dir.resolve("no-such-vmlinuz"), boot.initrd(),
                boot.cmdline()));
        assertThatThrownBy(() -> hypervisor.start(noKernel))
                .isInstanceOfSatisfying(HypervisorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INVALID_SPEC);
                    assertThat(e.getMessage()).contains("boot.kernel").contains("no-such-vmlinuz");
                });

        InetAddress taken = InetAddress.getByName("127.0.0.66");
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(taken, good.readiness().port()));
            assertThatThrownBy(() -> hypervisor.start(good.withAddress(taken)))
                    .isInstanceOfSatisfying(HypervisorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INVALID_SPEC);
                        assertThat(e.getMessage()).contains("address").contains("127.0.0.66:80");
                    });
        }
        assertThat(hypervisor.running()).extracting(Machine::name).containsExactly("contract");
    }

    @Test
    @Order(7)
    void reportsResizeOutcomes() {
        ResizeResult result = hypervisor.resize(machine, Resize.cpu(50));
        assertThat(result.cpu()).isNotInstanceOf(ResizeResult.Unchanged.class);
        assertThat(result.memory()).isInstanceOf(ResizeResult.Unchanged.class);
    }

    @Test
    @Order(8)
    void noticesACrashAtOnceAndTheLastSavedStateStillRestores() throws Exception {
        long before = count(machine);
        lastSaved = hibernate(machine);
        nextExit();
        machine = hypervisor.restore(machine.spec(), lastSaved);
        assertThat(count(machine)).isEqualTo(before + 1);

        kill(machine);

        MachineExit exit = nextExit();
        assertThat(exit.machine()).isEqualTo("contract");
        assertThat(exit.reason()).isEqualTo(MachineExit.Reason.CRASHED);
        assertThat(machine.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS).reason())
                .isEqualTo(MachineExit.Reason.CRASHED);
        assertThat(hypervisor.running()).isEmpty();

        machine = hypervisor.restore(machine.spec(), lastSaved);
        assertThat(count(machine)).isEqualTo(before + 1);
    }

    @Test
    @Order(9)
    void aRestoredGuestNeverWritesTheFilesOfItsState() throws Exception {
        long before = count(machine);
        SavedState saved = hibernate(machine);
        nextExit();
        List<String> hashes = hashes(saved);
        machine = hypervisor.restore(machine.spec(), saved);
        for (int i = 1; i <= 20; i++) {
            assertThat(count(machine)).isEqualTo(before + i);
        }
        hypervisor.stop(machine);
        nextExit();

        assertThat(hashes(saved)).as("the state's files after its guest changed its memory").isEqualTo(hashes);
        machine = hypervisor.restore(machine.spec(), saved);
        assertThat(count(machine)).as("a second restore of the same state").isEqualTo(before + 1);
        lastSaved = saved;
    }

    @Test
    @Order(100)
    void stopsAndFreesTheAddress() throws Exception {
        Machine stopping = machine;
        hypervisor.stop(stopping);

        assertThat(stopping.isRunning()).isFalse();
        assertThat(nextExit().reason()).isEqualTo(MachineExit.Reason.STOPPED);
        assertReleased(stopping);
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(stopping.address(), stopping.spec().readiness().port()));
        }
        hypervisor.stop(stopping);
        assertThat(hypervisor.running()).isEmpty();
    }

    /** Hibernates {@link #machine} into a fresh directory. */
    protected SavedState hibernate(Machine m) {
        return hypervisor.hibernate(m, dir.resolve("saved-" + ++saves));
    }

    protected MachineExit nextExit() throws InterruptedException {
        MachineExit exit = exits.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(exit).as("a machine exit within " + WAIT).isNotNull();
        return exit;
    }

    private static String nextExitDetailOf(Machine m) throws Exception {
        return m.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS).detail();
    }

    /** GET /cgi-bin/count: the guest's counter after this request. */
    protected static long count(Machine m) throws IOException, InterruptedException {
        return Long.parseLong(get(m, "/cgi-bin/count").replace("count=", "").trim());
    }

    protected static String get(Machine m, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + m.address().getHostAddress() + ":" + m.spec().readiness().port() + path);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + uri).isEqualTo(200);
        return response.body();
    }

    protected static List<String> hashes(SavedState state) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (SavedState.Part part : state.parts()) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(part.file())) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            hashes.add(part.name() + ":" + HexFormat.of().formatHex(sha.digest()));
        }
        return hashes;
    }
}
