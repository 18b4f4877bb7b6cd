package io.dormouse.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.ResizeResult;
import io.dormouse.hypervisor.Resize;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.hypervisor.VmSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM without file-backed RAM: hibernation writes the whole state as one stream, and a live
 * checkpoint uses QEMU's background-snapshot (userfaultfd write protection on anonymous RAM).
 * Also resize and the acceleration probe, which need a running process.
 */
class QemuStreamStateIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void hibernatesAndCheckpointsWholeStateStreams() throws Exception {
        Path image = GuestImage.directory();
        VmSpec spec = VmSpec.kernel("stream", 128, image.resolve("vmlinuz"), image.resolve("initrd.img"),
                "console=ttyS0 quiet no_timer_check", 80).withFileBackedRam(false);
        try (QemuHypervisor qemu = QemuHypervisor.create(QemuSettings.defaults(dir.resolve("data"))
                .withAcceleration(Acceleration.TCG).withAddressOctet(75).withStopTimeout(Duration.ofSeconds(2)))) {
            Machine machine = qemu.start(spec);
            count(machine);
            long atCheckpoint = count(machine);

            SavedState checkpoint = qemu.checkpoint(machine, dir.resolve("checkpoint"));

            assertThat(checkpoint.parts()).extracting(SavedState.Part::name).containsExactly("state");
            assertThat(checkpoint.pausedFor()).isLessThan(Duration.ofSeconds(1));
            assertThat(count(machine)).isEqualTo(atCheckpoint + 1);

            SavedState saved = qemu.hibernate(machine, dir.resolve("saved"));
            assertThat(saved.parts()).extracting(SavedState.Part::name).containsExactly("state");
            assertThat(Files.size(saved.parts().getFirst().file())).isGreaterThan(1 << 20);

            Machine back = qemu.restore(spec, saved);
            assertThat(count(back)).isEqualTo(atCheckpoint + 2);
            Machine copy = qemu.restore(spec.withName("stream-copy"), checkpoint);
            assertThat(count(copy)).isEqualTo(atCheckpoint + 1);

            ResizeResult resized = qemu.resize(back, new Resize(java.util.OptionalInt.of(50),
                    java.util.OptionalInt.of(96)));
            assertThat(resized.cpu()).isNotInstanceOf(ResizeResult.Unchanged.class);
            if (resized.cpu() instanceof ResizeResult.Applied applied) {
                Path procs = applied.how().startsWith("cgroup v2")
                        ? Path.of("/sys/fs/cgroup/dormouse-stream/cgroup.procs")
                        : Path.of("/sys/fs/cgroup/cpu/dormouse/stream/cgroup.procs");
                assertThat(Files.readAllLines(procs)).as(applied.how())
                        .contains(Long.toString(((QemuMachine) back).pid()));
            }
            // the demo guest has no virtio_balloon driver: the driver must say so, not claim success
            assertThat(resized.memory()).isInstanceOfSatisfying(ResizeResult.Unsupported.class,
                    u -> assertThat(u.why()).contains("96 MiB"));
            assertThat(count(back)).isEqualTo(atCheckpoint + 3);
        }
    }

    @Test
    void probesWhetherAKernelRunsUnderAnAccelerator() throws Exception {
        Path kernel = GuestImage.directory().resolve("vmlinuz");
        assertThat(AccelerationProbe.runs("qemu-system-x86_64", "tcg", kernel, Duration.ofSeconds(30))).isTrue();
        assertThat(AccelerationProbe.runs("qemu-system-x86_64", "no-such-accel", kernel, Duration.ofSeconds(10)))
                .isFalse();
    }

    @Test
    void autoFallsBackToTcgWithoutAProbeKernel() throws Exception {
        try (QemuHypervisor qemu = QemuHypervisor.create(QemuSettings.defaults(dir.resolve("auto")))) {
            assertThat(qemu.accelerator()).isEqualTo("tcg");
        }
    }

    private static long count(Machine m) throws Exception {
        URI uri = URI.create("http://" + m.address().getHostAddress() + ":80/cgi-bin/count");
        String body = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Long.parseLong(body.replace("count=", "").trim());
    }
}
