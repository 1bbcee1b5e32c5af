package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Amazon Forecast's wire form where the stock SDK cannot go: bodies that are not JSON, members of the
 * wrong JSON type, and the raw error shape (header, {@code __type}, {@code Message}). Everything the
 * SDK can send is tested through the SDK's ForecastClient in ForecastSdkTest.
 */
class ForecastHttpTest {
    private static final String ARN = "arn:aws:forecast:us-east-1:000000000000:";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalRuntime runtime;

    record Reply(int status, JsonNode body, String errorType) {
    }

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static Reply send(String operation, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.apiEndpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonForecast." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.parse(response.body());
        return new Reply(response.statusCode(), json, response.headers().firstValue("x-amzn-ErrorType").orElse(null));
    }

    static void error(String operation, String body, String type, String message) throws Exception {
        Reply reply = send(operation, body);
        assertThat(reply.status()).as(operation + " " + reply.body()).isEqualTo(400);
        assertThat(reply.errorType()).isEqualTo(type);
        assertThat(reply.body().get("__type").asText()).isEqualTo(type);
        assertThat(reply.body().get("Message").asText()).contains(message);
    }

    static Map<String, Object> attribute(String name, String type) {
        return Map.of("AttributeName", name, "AttributeType", type);
    }

    @Test
    void aBodyThatIsNotJsonIsASerializationError() throws Exception {
        error("CreateDataset", "{\"DatasetName\": \"x\",", "SerializationException", "The request body is not valid JSON");
        error("ListDatasets", "[1, 2]", "SerializationException", "The request body must be a JSON object");
        assertThat(send("ListDatasets", "{}").status()).isEqualTo(200);
    }

    @Test
    void membersOfTheWrongTypeAreSerializationErrorsAndCreateNothing() throws Exception {
        String schema = Json.write(Map.of("Attributes", List.of(attribute("item_id", "string"))));
        error("CreateDataset", "{\"DatasetName\": \"typed\", \"Domain\": \"CUSTOM\", \"DatasetType\": \"ITEM_METADATA\","
                + " \"Schema\": {\"Attributes\": {\"AttributeName\": \"item_id\"}}}", "SerializationException",
                "Value at 'Schema.Attributes' must be a list");
        error("CreateDataset", "{\"DatasetName\": 7, \"Domain\": \"CUSTOM\", \"DatasetType\": \"ITEM_METADATA\","
                + " \"Schema\": " + schema + "}", "SerializationException", "Value at 'DatasetName' must be a string");
        error("ListDatasetGroups", "{\"MaxResults\": \"ten\"}", "SerializationException",
                "Value at 'MaxResults' must be an integer");
        error("ListDatasetImportJobs", "{\"MaxResults\": 1.5}", "SerializationException",
                "Value at 'MaxResults' must be an integer");
        error("CreateDatasetGroup", "{\"DatasetGroupName\": \"g\", \"Domain\": \"CUSTOM\", \"DatasetArns\": [5]}",
                "SerializationException", "must be a string");
        error("CreateDatasetImportJob", "{\"DatasetImportJobName\": \"typed_job\", \"DatasetArn\": \"" + ARN
                + "dataset/typed\", \"DataSource\": {\"S3Config\": {\"Path\": \"s3://intake-landing/x.csv\","
                + " \"RoleArn\": \"arn:aws:iam::000000000000:role/r\"}}, \"UseGeolocationForTimeZone\": \"true\"}",
                "SerializationException", "Value at 'UseGeolocationForTimeZone' must be a boolean");
        // none of them made anything
        error("DescribeDataset", Json.write(Map.of("DatasetArn", ARN + "dataset/typed")), "ResourceNotFoundException", "typed");
        error("DescribeDatasetGroup", Json.write(Map.of("DatasetGroupArn", ARN + "dataset-group/g")),
                "ResourceNotFoundException", "g");
    }

    @Test
    void errorsCarryTheModelsShapeWithMessageAndTheTypeInHeaderAndBody() throws Exception {
        Reply reply = send("DescribeDatasetGroup", Json.write(Map.of("DatasetGroupArn", ARN + "dataset-group/none")));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(reply.body().properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("__type", "Message");
        assertThat(reply.body().get("Message").asText()).isEqualTo("Dataset group 'none' does not exist");
    }
}
