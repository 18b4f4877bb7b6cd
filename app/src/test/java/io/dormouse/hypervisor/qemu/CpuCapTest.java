package io.dormouse.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.hypervisor.ResizeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CPU caps written into a stand-in cgroup tree (the real one needs root and a cgroup mount). */
class CpuCapTest {

    @TempDir
    Path root;

    @Test
    void writesCgroupV2CpuMax() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");

        ResizeResult.Outcome outcome = new CpuCap(root).apply("web", 4242, 50);

        assertThat(outcome).isEqualTo(new ResizeResult.Applied("cgroup v2 cpu.max 50000 100000"));
        assertThat(root.resolve("dormouse-web/cpu.max")).hasContent("50000 100000");
        assertThat(root.resolve("dormouse-web/cgroup.procs")).hasContent("4242");
    }

    @Test
    void writesCgroupV1Quota() throws Exception {
        Files.createDirectories(root.resolve("cpu"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1\n");

        ResizeResult.Outcome outcome = new CpuCap(root).apply("web", 4242, 150);

        assertThat(outcome).isInstanceOf(ResizeResult.Applied.class);
        assertThat(root.resolve("cpu/dormouse/web/cpu.cfs_quota_us")).hasContent("150000");
        assertThat(root.resolve("cpu/dormouse/web/cpu.cfs_period_us")).hasContent("100000");
    }

    @Test
    void saysWhyWhenThereIsNoCpuController() throws Exception {
        assertThat(new CpuCap(root).apply("web", 1, 50)).isInstanceOfSatisfying(ResizeResult.Unsupported.class,
                u -> assertThat(u.why()).contains("no cgroup cpu controller"));
        Files.writeString(root.resolve("cgroup.controllers"), "memory pids\n");
        assertThat(new CpuCap(root).apply("web", 1, 50)).isInstanceOfSatisfying(ResizeResult.Unsupported.class,
                u -> assertThat(u.why()).contains("without the cpu controller"));
    }
}
