package io.dormouse.api;

import io.dormouse.snapshot.Progress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * How far the long operations under way are (verify, gc), by a token the client chose when it
 * started one, so that it can poll while its request is still running. An entry lives only as long
 * as its operation.
 */
final class OperationProgress {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    /** One operation's state: what it is doing now, and how far that is in {@code unit}s. */
    record View(String operation, String unit, long done, long total) {
    }

    private final Map<String, View> running = new ConcurrentHashMap<>();

    /** Checks a token from a request: 8 to 64 letters, digits, '-' or '_'. */
    static String token(String text) {
        if (text == null || !TOKEN.matcher(text).matches()) {
            throw ApiException.badRequest("progress must be a token of 8 to 64 letters, digits, '-' or '_', got " + text);
        }
        return text;
    }

    /** A progress sink that records {@code operation} under {@code token}, or nothing without a token. */
    Progress track(Optional<String> token, String operation, String unit) {
        if (token.isEmpty()) {
            return Progress.NONE;
        }
        String key = token.get();
        running.put(key, new View(operation, unit, 0, 0));
        return (done, total) -> running.put(key, new View(operation, unit, done, total));
    }

    void end(Optional<String> token) {
        token.ifPresent(running::remove);
    }

    Optional<View> find(String token) {
        return Optional.ofNullable(running.get(token));
    }
}
