package io.dormouse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMU processes a previous server on this data directory left running when it was killed: their
 * machines cannot be adopted (the hypervisor knows only what it started), so they are ended before
 * the reconciler settles their VMs from the journal and the last committed versions.
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
        return orphans.stream().map(ProcessHandle::pid).toList();
    }
}
