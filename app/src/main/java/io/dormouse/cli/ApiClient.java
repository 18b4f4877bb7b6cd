package io.dormouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** The CLI's side of the REST API: JSON in and out, problem documents turned into clear errors. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Supplier<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String base, Supplier<String> token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    }

    JsonNode put(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpRequest built = request.header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json")
                .timeout(Duration.ofMinutes(5))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw e.getCause() instanceof ConnectException ? unreachable(e) : new CliException(Cli.UNREACHABLE,
                    "lost the connection to dormouse at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Cli.INTERNAL, "interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw new CliException(Cli.SERVER_ERROR, problem(response.statusCode(), body));
        }
        return body;
    }

    private CliException unreachable(Exception e) {
        return new CliException(Cli.UNREACHABLE, "cannot reach dormouse at " + base
                + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + "); is 'dormouse serve' running? Set --api or DORMOUSE_API to its address");
    }

    private static String problem(int status, JsonNode body) {
        if (body.has("title")) {
            return "server answered " + status + " " + body.path("title").asText()
                    + (body.has("detail") ? ": " + body.path("detail").asText() : "")
                    + (body.has("code") ? " [" + body.path("code").asText() + "]" : "");
        }
        return "server answered " + status;
    }

    private URI uri(String path) {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(Cli.USAGE, "invalid API address " + base + ": " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
