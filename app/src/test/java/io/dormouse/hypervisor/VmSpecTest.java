package io.dormouse.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmSpecTest {

    @TempDir
    Path dir;

    private VmSpec spec() throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "k");
        return VmSpec.kernel("web-1", 128, kernel, null, "console=ttyS0", 80);
    }

    @Test
    void namesTheFieldValueAndRangeOfEveryBadNumber() throws Exception {
        VmSpec good = spec();
        assertThatThrownBy(() -> good.withMemoryMib(0)).hasMessage("memoryMib must be 16 to 1048576, got 0");
        assertThatThrownBy(() -> good.withPorts(List.of(80, 70000), good.readiness()))
                .hasMessage("ports[1] must be 1 to 65535, got 70000");
        assertThatThrownBy(() -> good.withPorts(List.of(0), good.readiness()))
                .hasMessage("ports[0] must be 1 to 65535, got 0");
        assertThatThrownBy(() -> good.withPorts(List.of(80, 80), good.readiness())).hasMessageContaining("distinct");
        assertThatThrownBy(() -> good.withName("Web_1")).hasMessageContaining("name").hasMessageContaining("Web_1");
    }

    @Test
    void requiresTheReadinessPortToBeDeclared() throws Exception {
        VmSpec good = spec();
        assertThatThrownBy(() -> good.withPorts(List.of(22), good.readiness()))
                .hasMessage("readiness.port must be one of ports [22], got 80");
        assertThat(good.withPorts(List.of(22), new VmSpec.TcpReadiness(22, Duration.ofSeconds(5))).ports())
                .containsExactly(22);
    }

    @Test
    void acceptsOnlyLoopbackAddresses() throws Exception {
        VmSpec good = spec();
        assertThatThrownBy(() -> good.withAddress(InetAddress.getByName("10.0.0.1")))
                .hasMessageContaining("address").hasMessageContaining("10.0.0.1");
        assertThat(good.withAddress(InetAddress.getByName("127.77.0.9")).address().getHostAddress())
                .isEqualTo("127.77.0.9");
    }

    @Test
    void namesTheMissingFile() throws Exception {
        VmSpec good = spec();
        good.requireFiles();
        VmSpec noInitrd = good.withBoot(new VmSpec.KernelBoot(dir.resolve("vmlinuz"), dir.resolve("initrd.img"), ""));
        assertThatThrownBy(noInitrd::requireFiles)
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.INVALID_SPEC))
                .hasMessageContaining("boot.initrd").hasMessageContaining("no such file");
    }
}
