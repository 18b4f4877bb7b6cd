package io.dormouse.api;

import io.dormouse.config.ListenAddress;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API on Helidon SE (virtual threads): health, readiness, Prometheus metrics, and
 * the authenticated {@code /v1} routes of each feature.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final WebServer server;

    private ApiServer(WebServer server) {
        this.server = server;
    }

    /**
     * Starts listening.
     *
     * @param ready    answers {@code /readyz}
     * @param services the features' routes, mounted under {@code /v1}
     */
    public static ApiServer start(ListenAddress listen, String token, PrometheusMeterRegistry registry,
                                  BooleanSupplier ready, Map<String, Object> versionInfo, List<HttpService> services) {
        HttpRouting.Builder routing = HttpRouting.builder()
                .addFilter(new RequestMetrics(registry))
                .addFilter(new BearerAuth(token))
                .get("/healthz", (req, res) -> Json.send(res, Map.of("status", "ok")))
                .get("/readyz", (req, res) -> {
                    if (!ready.getAsBoolean()) {
                        throw new ApiException(503, "not-ready", "Not ready", "dormouse is starting");
                    }
                    Json.send(res, Map.of("status", "ready"));
                })
                .get("/metrics", (req, res) -> res
                        .header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                        .send(registry.scrape()))
                .get("/v1/version", (req, res) -> Json.send(res, versionInfo));
        services.forEach(service -> routing.register("/v1", service));
        routing.any((req, res) -> {
            throw ApiException.notFound("no route for " + req.prologue().method().text() + " " + req.path().path());
        });
        routing.error(ApiException.class, (req, res, e) -> answer(res, e.problem()));
        routing.error(Exception.class, (req, res, e) -> answer(res, Problems.of(e)));
        WebServer server = WebServer.builder()
                .host(listen.host())
                .port(listen.port())
                .routing(routing)
                .build()
                .start();
        if (!server.isRunning()) {
            // Helidon logs the cause and returns a stopped server instead of throwing
            throw new UncheckedIOException(new IOException("API cannot listen on " + listen.host() + ":"
                    + listen.port() + " (see the error above: in use by another process?); choose another address"
                    + " with api.listen or --api-listen"));
        }
        LOG.atInfo().addKeyValue("address", listen.host() + ":" + server.port()).log("API listening");
        return new ApiServer(server);
    }

    static void answer(ServerResponse res, Problem problem) {
        res.status(Status.create(problem.status()));
        if (problem.status() == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"dormouse\"");
        }
        Json.send(res, problem, Problem.MEDIA_TYPE);
    }

    /** The bound port (useful when the configured port was 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Counts and times every request by method and status. */
    private record RequestMetrics(PrometheusMeterRegistry registry) implements Filter {
        @Override
        public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
            long start = System.nanoTime();
            try {
                chain.proceed();
            } finally {
                Timer.builder("dormouse.api.requests")
                        .description("REST API requests")
                        .tag("method", req.prologue().method().text())
                        .tag("status", String.valueOf(res.status().code()))
                        .register(registry)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }
}
