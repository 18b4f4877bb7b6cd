package io.dormouse.dns;

import java.util.concurrent.CompletableFuture;

/**
 * Starts the restore of a hibernated VM. One restore per VM however many calls arrive: the
 * implementation returns the same shared future to every caller while a restore is under way.
 * Must not block; the future completes when the VM is reachable or the restore failed.
 */
@FunctionalInterface
public interface Waker {

    CompletableFuture<WakeResult> wake(String vmName);
}
