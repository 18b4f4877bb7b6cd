package io.dormouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU processes a previous server on this data directory left running when it was killed: their
 * machines cannot be adopted (the hypervisor knows only what it started), so they are ended, and their
 * RAM files deleted, before the reconciler settles their VMs from the journal and the last committed versions.
 */
final class Orphans {

    private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Orphans() {
    }

    /** Ends every QEMU process whose files live under {@code dataDir}; returns their pids. */
    static List<Long> end(Path dataDir) {
        String vms = dataDir.toAbsolutePath().normalize().resolve("vms") + "/";
        String pool = dataDir.toAbsolutePath().normalize().resolve("pool") + "/";
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .filter(p -> p.info().arguments().map(args -> List.of(args).stream()
                        .anyMatch(a -> a.contains(vms) || a.contains(pool))).orElse(false))
                .toList();
        for (ProcessHandle p : orphans) {
            LOG.atWarn().addKeyValue("pid", p.pid()).log("ending a QEMU process a previous server left running");
            p.destroyForcibly();
        }
        for (ProcessHandle p : orphans) {
            CompletableFuture<ProcessHandle> gone = p.onExit();
            try {
                gone.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                LOG.atWarn().addKeyValue("pid", p.pid()).log("an orphan QEMU process did not end within " + WAIT);
            }
        }
        sweep(dataDir);
        return orphans.stream().map(ProcessHandle::pid).toList();
    }

    /** Deletes what the ended processes left: pool directories and RAM files (128 MiB each for the demo guest). */
    private static void sweep(Path dataDir) {
        try (Stream<Path> pool = list(dataDir.resolve("pool")); Stream<Path> vms = list(dataDir.resolve("vms"))) {
            pool.forEach(Orphans::delete);
            vms.flatMap(Orphans::list).filter(f -> f.getFileName().toString().startsWith("ram-")).forEach(Orphans::delete);
        }
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("dir", dir).log("cannot list a directory of leftovers: " + e.getMessage());
            return Stream.empty();
        }
    }

    private static void delete(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.atWarn().addKeyValue("path", path).log("cannot delete a leftover: " + e.getMessage());
        }
    }
}
