package io.dormouse.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Answers held while a hibernated VM wakes: who may wake it (ACL, token buckets), the wait up to the
 * hold budget, and retransmits of a held query joining the same wait instead of starting another.
 * Nothing blocks here: the wait is a future that the wake or the budget's timer completes.
 */
final class Holds {

    /** More held answers than this and new ones get the front address at once. */
    static final int MAX_HELD = 10_000;

    private record Key(InetAddress client, int port, int id, Name qname, int qtype) {}

    private final DnsSettings settings;
    private final Waker waker;
    private final DnsMetrics metrics;
    private final TokenBuckets perVm;
    private final TokenBuckets perClient;
    private final ConcurrentHashMap<Key, CompletableFuture<Message>> held = new ConcurrentHashMap<>();
    private final AtomicInteger holding = new AtomicInteger();

    Holds(DnsSettings settings, Waker waker, DnsMetrics metrics, InstantSource clock) {
        this.settings = settings;
        this.waker = waker;
        this.metrics = metrics;
        this.perVm = new TokenBuckets(settings.wakesPerVm(), clock);
        this.perClient = new TokenBuckets(settings.wakesPerClient(), clock);
    }

    Reply hold(Query q, String vmName, Inet4Address frontAddress, Message r, Responder responder) {
        Message query = q.message();
        Key key = new Key(q.client(), q.port(), query.getHeader().getID(), query.getQuestion().getName(),
                query.getQuestion().getType());
        if (q.transport() == Query.Transport.UDP) {
            CompletableFuture<Message> joined = held.get(key);
            if (joined != null) {
                return new Reply.Held(joined, true);
            }
        }
        if (!Cidr.anyContains(settings.wakeAcl(), q.client())) {
            metrics.frontAnswer();
            return new Reply.Now(responder.front(r, q, frontAddress));
        }
        // The client's bucket first: a flood from one network must not drain the VM's bucket for everyone.
        if (holding.get() >= MAX_HELD || !perClient.take(TokenBuckets.network(q.client())) || !perVm.take(vmName)) {
            metrics.wakeLimited();
            metrics.frontAnswer();
            return new Reply.Now(responder.front(r, q, frontAddress));
        }
        metrics.wake();
        holding.incrementAndGet();
        long start = System.nanoTime();
        CompletableFuture<WakeResult> wake;
        try {
            wake = waker.wake(vmName);
        } catch (RuntimeException e) {
            wake = CompletableFuture.failedFuture(e);
        }
        // One outcome wins: the wake's result, or null when the budget runs out first. The answer is
        // built once, from the winner, so a late wake never touches a message already sent.
        CompletableFuture<WakeResult> outcome = new CompletableFuture<>();
        wake.whenComplete((result, failure) -> outcome.complete(
                result != null ? result : new WakeResult.Failed(describe(failure))));
        outcome.completeOnTimeout(null, settings.holdBudget().toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<Message> bounded = outcome.thenApply(result -> switch (result) {
            case null -> late(r, q, frontAddress, responder);
            case WakeResult.Ready ready -> responder.ready(r, q, ready.address());
            case WakeResult.Failed failed -> responder.servFail(r, q, "restore failed: " + failed.reason());
        });
        if (q.transport() == Query.Transport.UDP) {
            held.put(key, bounded);
        }
        bounded.whenComplete((m, e) -> {
            held.remove(key, bounded);
            holding.decrementAndGet();
            metrics.held(System.nanoTime() - start);
        });
        return new Reply.Held(bounded, false);
    }

    private Message late(Message r, Query q, Inet4Address frontAddress, Responder responder) {
        if (settings.notReady() == DnsSettings.NotReady.SERVFAIL) {
            return responder.notReady(r, q);
        }
        metrics.frontAnswer();
        return responder.front(r, q, frontAddress);
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause == null ? "unknown" : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
