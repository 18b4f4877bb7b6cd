package io.dormouse.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Commands sent to QEMU and not yet answered, keyed by the {@code id} each carries so that
 * answers may come in any order (qmp-spec.txt 2.3). Once closed it fails every call, the
 * ones waiting and the ones still to come.
 */
final class PendingCalls {

    record Call(long id, String command, CompletableFuture<JsonNode> answer) {
    }

    private final Map<Long, Call> waiting = new ConcurrentHashMap<>();
    private long nextId = 1;
    private Function<String, QmpException> closedBy;

    /** Registers a call to {@code command}, or fails at once when the connection is closed. */
    synchronized Call open(String command) {
        if (closedBy != null) {
            throw closedBy.apply(command);
        }
        Call call = new Call(nextId++, command, new CompletableFuture<>());
        waiting.put(call.id(), call);
        return call;
    }

    /** Completes call {@code id}; false when no such call waits (it timed out, or QEMU invented the id). */
    boolean succeed(long id, JsonNode value) {
        Call call = waiting.remove(id);
        return call != null && call.answer().complete(value);
    }

    boolean fail(long id, String errorClass, String description) {
        Call call = waiting.remove(id);
        return call != null
                && call.answer().completeExceptionally(new QmpException.ErrorResponse(call.command(), errorClass, description));
    }

    /** Drops a call whose caller stopped waiting, so that its late answer is ignored. */
    void forget(long id) {
        waiting.remove(id);
    }

    /** Fails every waiting call and every later {@link #open} with the exception {@code reason} makes. */
    void close(Function<String, QmpException> reason) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = reason;
        }
        waiting.values().forEach(call -> call.answer().completeExceptionally(reason.apply(call.command())));
        waiting.clear();
    }
}
