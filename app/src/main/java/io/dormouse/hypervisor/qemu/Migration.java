package io.dormouse.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The QMP side of QEMU migration (docs/devel/migration.rst): capabilities and waiting for the end. */
final class Migration {

    private static final Duration POLL = Duration.ofMillis(2);

    private Migration() {
    }

    /** Sets each capability to its value; the same set must be used on the saving and restoring side. */
    static void capabilities(QmpClient qmp, Map<String, Boolean> capabilities, Duration timeout)
            throws InterruptedException {
        List<Map<String, Object>> list = new ArrayList<>();
        capabilities.forEach((name, on) -> list.add(Map.of("capability", name, "state", on)));
        qmp.execute("migrate-set-capabilities", Map.of("capabilities", list), timeout);
    }

    /**
     * Polls {@code query-migrate} until the migration completed; polling rather than events
     * because the saving side emits no MIGRATION events without the {@code events} capability
     * and a dead process emits nothing at all.
     *
     * @throws MigrationFailed when QEMU reports failure, exits, or the time runs out
     */
    static void await(QemuProcess process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status;
            try {
                status = process.qmp().execute("query-migrate", timeout);
            } catch (QmpException e) {
                throw new MigrationFailed("QEMU stopped answering during the migration: " + process.exitDetail());
            }
            switch (status.path("status").asText()) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" -> throw new MigrationFailed("migration " + status.path("status").asText()
                        + ": " + status.path("error-desc").asText("no reason given") + "; " + process.logTail());
                default -> {
                    if (!process.isAlive()) {
                        throw new MigrationFailed("QEMU exited during the migration: " + process.exitDetail());
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw new MigrationFailed("migration not completed within " + timeout);
                    }
                    Thread.sleep(POLL);
                }
            }
        }
    }

    /** A migration that did not complete, with QEMU's reason. */
    static final class MigrationFailed extends RuntimeException {
        MigrationFailed(String message) {
            super(message);
        }
    }
}
