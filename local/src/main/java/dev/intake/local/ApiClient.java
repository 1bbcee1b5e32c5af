package dev.intake.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny client for Intake's HTTP API, as a user's script would call it. */
public final class ApiClient {
    /** One answer: HTTP status and JSON body. */
    public record Reply(int status, JsonNode body, String errorType) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    public ApiClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** POST /{service}/{operation} with a JSON body. */
    public Reply call(String service, String operation, Object body) throws IOException, InterruptedException {
        String json = body instanceof String s ? s : Json.write(body);
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/" + service + "/" + operation))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.parse(response.body());
        return new Reply(response.statusCode(), parsed, response.headers().firstValue("x-amzn-ErrorType").orElse(null));
    }

    /** Like {@link #call} but fails unless the answer is 200. */
    public JsonNode ok(String service, String operation, Object body) throws IOException, InterruptedException {
        Reply reply = call(service, operation, body);
        if (!reply.ok()) {
            throw new IllegalStateException(operation + " failed: HTTP " + reply.status() + " " + reply.body());
        }
        return reply.body();
    }
}
