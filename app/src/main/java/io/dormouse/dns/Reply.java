package io.dormouse.dns;

import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/** What the responder makes of a query: an answer now, or one held while a VM wakes. */
sealed interface Reply {

    record Now(Message response) implements Reply {}

    /**
     * An answer that completes when the wake ends or the hold budget runs out. {@code joined} is true
     * for a retransmit of a query already held: the first one's answer serves both.
     */
    record Held(CompletableFuture<Message> response, boolean joined) implements Reply {}
}
