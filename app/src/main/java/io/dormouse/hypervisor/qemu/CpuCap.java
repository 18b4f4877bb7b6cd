package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.ResizeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Caps a QEMU process's CPU time with a cgroup of its own: cgroup v2 {@code cpu.max} when
 * the unified hierarchy is mounted at {@code /sys/fs/cgroup} with the cpu controller, else
 * v1 CFS quota under {@code /sys/fs/cgroup/cpu}. Anything else is reported unsupported.
 */
final class CpuCap {

    private static final long PERIOD_US = 100_000;

    private final Path root;

    CpuCap(Path root) {
        this.root = root;
    }

    ResizeResult.Outcome apply(String machine, long pid, int percent) {
        long quota = PERIOD_US * percent / 100;
        try {
            if (Files.exists(root.resolve("cgroup.controllers"))) {
                if (!Files.readString(root.resolve("cgroup.controllers")).contains("cpu")) {
                    return new ResizeResult.Unsupported("cgroup v2 without the cpu controller at " + root);
                }
                Path group = Files.createDirectories(root.resolve("dormouse-" + machine));
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_US);
                Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
                return new ResizeResult.Applied("cgroup v2 cpu.max " + quota + " " + PERIOD_US);
            }
            Path v1 = root.resolve("cpu");
            if (Files.exists(v1.resolve("cpu.cfs_quota_us"))) {
                Path group = Files.createDirectories(v1.resolve("dormouse").resolve(machine));
                Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
                Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
                return new ResizeResult.Applied("cgroup v1 cpu.cfs_quota_us " + quota + " of " + PERIOD_US);
            }
            return new ResizeResult.Unsupported("no cgroup cpu controller under " + root);
        } catch (IOException | SecurityException e) {
            return new ResizeResult.Unsupported("cannot write the cgroup under " + root + ": " + e.getMessage());
        }
    }

    /** Removes the machine's cgroup once its process is gone; an empty cgroup directory is removed with rmdir. */
    void release(String machine) {
        for (Path group : new Path[] {root.resolve("dormouse-" + machine), root.resolve("cpu/dormouse/" + machine)}) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException e) {
                // still populated or not ours: left for the next release
            }
        }
    }
}
