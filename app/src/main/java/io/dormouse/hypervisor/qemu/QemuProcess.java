package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.HypervisorException;
import io.dormouse.hypervisor.VmSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running QEMU process with its QMP connection and files: standard error goes to
 * {@code qemu.log}, the serial console to {@code console.log}, both in the process's directory.
 */
final class QemuProcess {

    private final Process process;
    private final QmpClient qmp;
    private final Path directory;
    private final QemuCommand.Paths paths;

    private QemuProcess(Process process, QmpClient qmp, Path directory, QemuCommand.Paths paths) {
        this.process = process;
        this.qmp = qmp;
        this.directory = directory;
        this.paths = paths;
    }

    /**
     * Starts {@code command} and connects to its QMP socket.
     *
     * @throws IOException when the process cannot start, or exits or stays silent before QMP answers
     */
    static QemuProcess launch(List<String> command, Path directory, QemuCommand.Paths paths, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path log = directory.resolve("qemu.log");
        Files.writeString(log, "+ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(inOwnSession(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            QmpClient qmp = connect(process, paths.qmp(), timeout);
            return new QemuProcess(process, qmp, directory, paths);
        } catch (IOException | RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * The command run through {@code setsid}, so that QEMU leaves the server's process group: an interrupt
     * typed at the server's terminal (Ctrl-C reaches the whole foreground group) then stops the server,
     * which hibernates its VMs, instead of killing every guest with it. {@code setsid} execs QEMU in
     * place (a child is never a group leader), so the process id stays QEMU's.
     */
    static List<String> inOwnSession(List<String> command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path setsid = Path.of(dir.isEmpty() ? "." : dir, "setsid");
            if (Files.isExecutable(setsid)) {
                List<String> wrapped = new ArrayList<>(command.size() + 1);
                wrapped.add(setsid.toString());
                wrapped.addAll(command);
                return wrapped;
            }
        }
        return command;
    }

    private static QmpClient connect(Process process, Path socket, Duration timeout)
            throws IOException, InterruptedException {
        // QmpClient.connect waits for the socket; a process that dies first must fail fast.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new IOException("QEMU exited with status " + process.exitValue() + " before opening QMP");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("QEMU opened no QMP socket at " + socket + " within " + timeout);
            }
            Thread.sleep(2);
        }
        try {
            return QmpClient.connect(socket, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (QmpException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Forwards each of {@code spec}'s ports from {@code address} (host port = guest port) with
     * HMP {@code hostfwd_add}, which answers with text only when it fails.
     */
    void forward(VmSpec spec, InetAddress address, Duration timeout) throws InterruptedException {
        for (int port : spec.ports()) {
            String rule = "tcp:" + address.getHostAddress() + ":" + port + "-:" + port;
            String said = qmp.execute("human-monitor-command", Map.of("command-line", "hostfwd_add n0 " + rule),
                    timeout).asText();
            if (!said.isBlank()) {
                throw new HypervisorException(HypervisorException.Kind.START_FAILED, spec.name(),
                        "cannot forward " + rule + ": " + said.strip());
            }
        }
    }

    QmpClient qmp() {
        return qmp;
    }

    long pid() {
        return process.pid();
    }

    Path directory() {
        return directory;
    }

    QemuCommand.Paths paths() {
        return paths;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Waits for the process to end; false when it still runs after {@code timeout}. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** SIGKILL, then wait for it to be gone. */
    void kill() throws InterruptedException {
        qmp.close();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The exit status and the last lines QEMU wrote, for error messages. */
    String exitDetail() {
        String status = process.isAlive() ? "still running" : "exit status " + process.exitValue();
        return status + "; " + logTail();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("qemu.log"), StandardCharsets.UTF_8);
            int start = lines.size();
            while (start > 0 && !lines.get(start - 1).startsWith("+ ")) {
                start--;
            }
            List<String> tail = lines.subList(Math.max(start, lines.size() - 3), lines.size());
            return tail.isEmpty() ? "QEMU wrote nothing" : "QEMU said: " + String.join(" / ", tail);
        } catch (IOException e) {
            return "no QEMU log: " + e.getMessage();
        }
    }
}
