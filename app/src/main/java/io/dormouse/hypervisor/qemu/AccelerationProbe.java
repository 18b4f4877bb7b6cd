package io.dormouse.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds out whether guest code really runs under an accelerator: boots the default
 * firmware (SeaBIOS) with its debug port on a file and waits for its banner. Opening
 * {@code /dev/kvm} is not enough: under nested KVM a guest may hang before its first output.
 */
final class AccelerationProbe {

    private AccelerationProbe() {
    }

    /** True when SeaBIOS prints its banner under {@code accel} within {@code timeout}. */
    static boolean runs(String binary, String accel, Duration timeout) throws InterruptedException {
        Path dir = null;
        Process process = null;
        try {
            dir = Files.createTempDirectory("dormouse-accel");
            Path debug = dir.resolve("seabios.log");
            process = new ProcessBuilder(List.of(binary, "-accel", accel, "-nodefaults", "-no-user-config",
                    "-display", "none", "-machine", "pc", "-m", "16",
                    "-chardev", "file,id=debug,path=" + debug, "-device", "isa-debugcon,iobase=0x402,chardev=debug"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() - deadline < 0 && process.isAlive()) {
                if (Files.exists(debug) && Files.readString(debug, StandardCharsets.ISO_8859_1).contains("SeaBIOS")) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        } catch (IOException e) {
            return false;
        } finally {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
