package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DataZone's REST paths on the wire, where the stock SDK does not go: methods and status codes (201
 * on create, 202 on DeleteDomain), path parameters and query strings reaching the operation, the
 * error shape with the model's HTTP codes, unknown paths (404) and methods a path does not take (405).
 * Everything the SDK can send is in DataZoneSdkTest.
 */
class DataZoneHttpTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROLE = "arn:aws:iam::000000000000:role/dz";

    private static LocalRuntime runtime;

    record Reply(int status, JsonNode body, String errorType, HttpResponse<String> raw) {
    }

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static Reply send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.apiEndpoint() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.parse(response.body());
        return new Reply(response.statusCode(), json, response.headers().firstValue("x-amzn-ErrorType").orElse(null), response);
    }

    @Test
    void operationsAnswerWithTheModelsStatusCodes() throws Exception {
        Reply created = send("POST", "/datazone/v2/domains", "{\"name\":\"wire\",\"domainExecutionRole\":\"" + ROLE + "\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Content-Type")).contains("application/json");
        String id = created.body().get("id").asText();
        assertThat(created.body().get("status").asText()).isEqualTo("AVAILABLE");

        Reply got = send("GET", "/datazone/v2/domains/" + id, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().get("id").asText()).isEqualTo(id);
        assertThat(got.body().get("createdAt").isNumber()).as("epoch seconds, the model's default form").isTrue();

        // the query string reaches the operation as typed members
        Reply listed = send("GET", "/datazone/v2/domains?maxResults=1&status=AVAILABLE", null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("items")).hasSize(1);

        Reply deleted = send("DELETE", "/datazone/v2/domains/" + id, null);
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(deleted.body().get("status").asText()).isEqualTo("DELETED");

        Reply gone = send("GET", "/datazone/v2/domains/" + id, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(gone.body().get("message").asText()).contains(id);
    }

    @Test
    void badPathParametersAndQueryStringsAreValidationErrors() throws Exception {
        Reply badId = send("GET", "/datazone/v2/domains/not-a-domain", null);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.errorType()).isEqualTo("ValidationException");
        assertThat(badId.body().get("message").asText()).contains("'identifier'", "dzd[-_]");

        Reply notANumber = send("GET", "/datazone/v2/domains?maxResults=many", null);
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.errorType()).isEqualTo("ValidationException");
        assertThat(notANumber.body().get("message").asText()).contains("maxResults", "integer");

        Reply outOfRange = send("GET", "/datazone/v2/domains?maxResults=26", null);
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.body().get("message").asText()).contains("less than or equal to 25");

        Reply notJson = send("POST", "/datazone/v2/domains", "{\"name\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorType()).isEqualTo("ValidationException");
        assertThat(notJson.body().get("message").asText()).contains("not valid JSON");

        Reply missing = send("POST", "/datazone/v2/domains", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("message").asText()).contains("'name'");

        // a body cannot name a path parameter: the path's value is the one the operation sees
        String id = send("POST", "/datazone/v2/domains", "{\"name\":\"p\",\"domainExecutionRole\":\"" + ROLE + "\"}")
                .body().get("id").asText();
        Reply fromPath = send("POST", "/datazone/v2/domains/dzd_elsewhere/data-sources", "{\"domainIdentifier\":\"" + id
                + "\",\"name\":\"s\",\"projectIdentifier\":\"p\",\"type\":\"S3\"}");
        assertThat(fromPath.status()).isEqualTo(404);
        assertThat(fromPath.body().get("message").asText()).contains("dzd_elsewhere");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        Reply unknown = send("GET", "/datazone/v2/projects", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorType()).isEqualTo("NotFoundException");

        Reply tooDeep = send("GET", "/datazone/v2/domains/dzd_x/data-sources/s1/runs/r1", null);
        assertThat(tooDeep.status()).isEqualTo(404);

        Reply wrongMethod = send("PUT", "/datazone/v2/domains/dzd_x", "{}");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.raw().headers().firstValue("Allow")).contains("GET, DELETE");
        assertThat(wrongMethod.body().get("message").asText()).contains("PUT /datazone/v2/domains/dzd_x");

        Reply patchRuns = send("PATCH", "/datazone/v2/domains/dzd_x/data-sources/s1/runs", "{}");
        assertThat(patchRuns.status()).isEqualTo(405);
        assertThat(patchRuns.raw().headers().firstValue("Allow")).contains("POST, GET");
    }
}
