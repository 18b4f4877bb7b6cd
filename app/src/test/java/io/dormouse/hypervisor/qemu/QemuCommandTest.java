package io.dormouse.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.hypervisor.VmSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandTest {

    private final VmSpec spec = VmSpec.kernel("web", 128, Path.of("/img/vmlinuz"), Path.of("/img/initrd.img"),
            "console=ttyS0 quiet", 80);
    private final QemuCommand.Paths paths = new QemuCommand.Paths(Path.of("/d/vms/web/ram-1"),
            Path.of("/d/vms/web/console.log"), Path.of("/tmp/dm1/2.sock"));

    @Test
    void buildsTheArgumentsTheNotesFoundToWork() {
        List<String> args = new QemuCommand(spec, "tcg", true).arguments("qemu-system-x86_64", paths, true);

        assertThat(String.join(" ", args)).contains("-accel tcg -nodefaults")
                .contains("-machine q35,memory-backend=ram0")
                .contains("-m 128 -object memory-backend-file,id=ram0,size=128M,mem-path=/d/vms/web/ram-1,share=on")
                .contains("-device virtio-net-pci,netdev=n0,romfile=")
                .contains("-serial file:/d/vms/web/console.log")
                .contains("-qmp unix:/tmp/dm1/2.sock,server=on,wait=off")
                .endsWith("-incoming defer");
        assertThat(args).containsSequence("-append", "console=ttyS0 quiet");
    }

    @Test
    void fingerprintIgnoresPerVmPathsButNotTheMachineShape() {
        String fingerprint = new QemuCommand(spec, "tcg", true).fingerprint();

        assertThat(new QemuCommand(spec.withName("other"), "tcg", true).fingerprint()).isEqualTo(fingerprint);
        assertThat(new QemuCommand(spec.withBoot(new VmSpec.KernelBoot(Path.of("/elsewhere/vmlinuz"),
                Path.of("/elsewhere/initrd"), "console=ttyS0 quiet")), "tcg", true).fingerprint())
                .isEqualTo(fingerprint);
        assertThat(new QemuCommand(spec.withMemoryMib(256), "tcg", true).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new QemuCommand(spec, "kvm", true).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new QemuCommand(spec, "tcg", false).fingerprint()).isNotEqualTo(fingerprint);
    }

    @Test
    void doublesCommasInPathsAndQuotesShellWords() {
        QemuCommand.Paths odd = new QemuCommand.Paths(Path.of("/d/a,b/ram"), paths.console(), paths.qmp());
        assertThat(String.join(" ", new QemuCommand(spec, "tcg", true).arguments("q", odd, false)))
                .contains("mem-path=/d/a,,b/ram,share=on");
        assertThat(QemuCommand.shellWord(Path.of("/d/it's"))).isEqualTo("'/d/it'\\''s'");
    }
}
