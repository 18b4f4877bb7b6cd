package io.dormouse.hypervisor.qemu;

import io.dormouse.hypervisor.VmSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-started QEMU processes waiting with {@code -incoming defer}, per machine shape, so a
 * restore skips process start. They start without host forwarding: the restore adds the
 * VM's own address over QMP, so a VM keeps its address whichever process it wakes in.
 * Machines with disks are never pooled: QEMU opens a drive's file at start.
 */
final class ProcessPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessPool.class);

    /** Starts one waiting process for a command. */
    interface Launcher {
        QemuProcess launch(QemuCommand command) throws IOException, InterruptedException;
    }

    private volatile int size;
    private final Launcher launcher;
    private final Map<String, ConcurrentLinkedDeque<QemuProcess>> spares = new ConcurrentHashMap<>();
    /** Every shape asked for, so that a larger size can fill them all. */
    private final Map<String, QemuCommand> shapes = new ConcurrentHashMap<>();
    private final Set<String> filling = ConcurrentHashMap.newKeySet();
    private final Consumer<QemuProcess> ended;
    private volatile boolean closed;

    /** @param ended cleans up after a waiting process the pool ended (its RAM file) */
    ProcessPool(int size, Launcher launcher, Consumer<QemuProcess> ended) {
        this.size = size;
        this.launcher = launcher;
        this.ended = ended;
    }

    /** A waiting process for {@code command}'s shape, or null; the pool refills in the background. */
    QemuProcess take(QemuCommand command) {
        if (!poolable(command)) {
            return null;
        }
        ConcurrentLinkedDeque<QemuProcess> queue = queue(command);
        QemuProcess spare;
        while ((spare = queue.pollFirst()) != null && !spare.isAlive()) {
            LOG.warn("pre-started QEMU {} had exited: {}", spare.directory(), spare.exitDetail());
        }
        fill(command);
        return spare;
    }

    /** Keeps {@code next} processes per shape from now on: fills every known shape, or ends the extra ones. */
    void resize(int next) {
        if (next < 0) {
            throw new IllegalArgumentException("pool size must be 0 or more, got " + next);
        }
        int before = size;
        size = next;
        if (next != before) {
            LOG.info("QEMU pool: {} pre-started processes per machine shape (was {})", next, before);
        }
        for (ConcurrentLinkedDeque<QemuProcess> queue : spares.values()) {
            QemuProcess extra;
            while (queue.size() > next && (extra = queue.pollLast()) != null) {
                end(extra);
            }
        }
        shapes.values().forEach(this::fill);
    }

    /** Starts processes in the background until {@code command}'s shape has {@code size} waiting. */
    void fill(QemuCommand command) {
        if (!closed && command.spec().disks().isEmpty()) {
            shapes.putIfAbsent(key(command), command);
        }
        if (!poolable(command) || !filling.add(key(command))) {
            return;
        }
        Thread.ofVirtual().name("qemu-pool").start(() -> {
            try {
                ConcurrentLinkedDeque<QemuProcess> queue = queue(command);
                while (!closed && queue.size() < size) {
                    QemuProcess spare = launcher.launch(command);
                    // the pool may have shrunk or closed during the launch: no process outlives it
                    if (closed || queue.size() >= size) {
                        end(spare);
                        break;
                    }
                    queue.add(spare);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot pre-start QEMU for the pool: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                filling.remove(key(command));
            }
        });
    }

    /** Fills and waits until {@code command}'s shape has its processes waiting, or the time is up. */
    boolean awaitFilled(QemuCommand command, Duration timeout) throws InterruptedException {
        fill(command);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queue(command).size() < size || filling.contains(key(command))) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        for (ConcurrentLinkedDeque<QemuProcess> queue : spares.values()) {
            QemuProcess spare;
            while ((spare = queue.pollFirst()) != null) {
                end(spare);
            }
        }
    }

    private void end(QemuProcess spare) {
        try {
            spare.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ended.accept(spare);
    }

    private boolean poolable(QemuCommand command) {
        return size > 0 && !closed && command.spec().disks().isEmpty();
    }

    private ConcurrentLinkedDeque<QemuProcess> queue(QemuCommand command) {
        return spares.computeIfAbsent(key(command), k -> new ConcurrentLinkedDeque<>());
    }

    private static String key(QemuCommand command) {
        VmSpec.Boot boot = command.spec().boot();
        return command.fingerprint() + " " + boot;
    }
}
