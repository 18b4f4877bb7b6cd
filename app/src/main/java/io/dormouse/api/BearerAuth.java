package io.dormouse.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Requires {@code Authorization: Bearer <token>} on everything under {@code /v1}. */
final class BearerAuth implements Filter {

    private static final String PREFIX = "Bearer ";

    private final byte[] token;

    BearerAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!path.startsWith("/v1/") && !path.equals("/v1")) {
            chain.proceed();
            return;
        }
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() || !header.get().startsWith(PREFIX)) {
            ApiServer.answer(res, Problem.of(401, "unauthorized", "Unauthorized",
                    "missing bearer token: send 'Authorization: Bearer <token>' (the token is in the data directory's "
                            + ApiToken.FILE + " file, or set DORMOUSE_TOKEN for the CLI)"));
            return;
        }
        byte[] given = header.get().substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            ApiServer.answer(res, Problem.of(401, "unauthorized", "Unauthorized",
                    "wrong bearer token: use the token in the server's data directory (" + ApiToken.FILE + ") or the configured api.token"));
            return;
        }
        chain.proceed();
    }
}
