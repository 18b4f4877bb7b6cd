package io.dormouse.hypervisor.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.HypervisorContract;
import io.dormouse.hypervisor.LoopbackAddresses;
import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The hypervisor contract against the fake, plus its latency model. */
class FakeHypervisorTest extends HypervisorContract {

    private FakeHypervisor fake;

    @Override
    protected Hypervisor createHypervisor(Path dataDir) {
        fake = FakeHypervisor.create();
        return fake;
    }

    @Override
    protected VmSpec demoSpec(String name) throws Exception {
        Path kernel = dir.resolve("vmlinuz");
        if (!Files.exists(kernel)) {
            Files.writeString(kernel, "not a kernel: the fake never reads it");
        }
        return VmSpec.kernel(name, 128, kernel, null, "", 80);
    }

    @Override
    protected void kill(Machine machine) {
        fake.crash(machine);
    }

    @Override
    protected void assertReleased(Machine machine) {
        assertThat(fake.running()).doesNotContain(machine);
    }

    @Test
    @Order(50)
    void takesTheModelsLatencies() throws Exception {
        LatencyModel slow = new LatencyModel(Duration.ofMillis(150), Duration.ofMillis(100), Duration.ofMillis(200));
        try (FakeHypervisor timed = new FakeHypervisor(slow, new LoopbackAddresses(79))) {
            long t0 = System.nanoTime();
            Machine m = timed.start(demoSpec("timed"));
            long started = System.nanoTime();
            var state = timed.hibernate(m, dir.resolve("timed"));
            long hibernated = System.nanoTime();
            Machine back = timed.restore(m.spec(), state);
            long restored = System.nanoTime();

            assertThat(Duration.ofNanos(started - t0)).isGreaterThanOrEqualTo(slow.start());
            assertThat(Duration.ofNanos(hibernated - started)).isGreaterThanOrEqualTo(slow.hibernate());
            assertThat(state.pausedFor()).isGreaterThanOrEqualTo(slow.hibernate());
            assertThat(Duration.ofNanos(restored - hibernated)).isGreaterThanOrEqualTo(slow.restore());
            assertThat(count(back)).isEqualTo(1);
        }
    }
}
