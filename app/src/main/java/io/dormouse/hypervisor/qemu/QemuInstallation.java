package io.dormouse.hypervisor.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The QEMU program and the version it reports, which saved states are tagged with. */
record QemuInstallation(String binary, String version) {

    private static final String PREFIX = "QEMU emulator version ";

    static QemuInstallation find(String binary) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + binary + ": install the Debian package qemu-system-x86"
                    + " (apt-get install qemu-system-x86)", e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(binary + " --version failed: " + out.strip());
        }
        String first = out.lines().findFirst().orElse("");
        if (!first.startsWith(PREFIX)) {
            throw new IOException(binary + " --version printed no version: " + first);
        }
        return new QemuInstallation(binary, first.substring(PREFIX.length()).strip());
    }
}
