package dev.intake.local;

import dev.intake.core.ports.WorkflowStarter;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.personalize.CreateDatasetImportJobHandler;
import dev.intake.personalize.DescribeDatasetImportJobHandler;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Handlers fed the API Gateway REST proxy events Lambda receives in AWS. */
class HandlerEventTest {
    private static LocalFixture aws;
    private static Services services;

    @BeforeAll
    static void start() throws Exception {
        aws = new LocalFixture();
        services = aws.services(1 << 20);
        services.datasets.create("events", "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}",
                List.of("ID"));
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    @Test
    void createDatasetImportJobFromAnApiGatewayEvent() throws Exception {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("apigateway/create-dataset-import-job.json");
        APIGatewayProxyResponseEvent response = new CreateDatasetImportJobHandler(services).handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/x-amz-json-1.1").containsKey("x-amzn-RequestId");
        JsonNode body = Json.parse(response.getBody());
        assertThat(body.get("datasetImportJobArn").asText())
                .isEqualTo("arn:aws:personalize:us-east-1:000000000000:dataset-import-job/from-api-gateway");
        assertThat(aws.started).containsExactly("from-api-gateway");

        APIGatewayProxyRequestEvent describe = new APIGatewayProxyRequestEvent().withHttpMethod("POST")
                .withBody("{\"datasetImportJobArn\":\"" + body.get("datasetImportJobArn").asText() + "\"}");
        JsonNode job = Json.parse(new DescribeDatasetImportJobHandler(services).handleRequest(describe, null).getBody())
                .get("datasetImportJob");
        assertThat(job.get("status").asText()).isEqualTo("CREATE PENDING");
        assertThat(job.get("dataSource").get("dataLocation").asText()).isEqualTo("s3://data/events/");
        assertThat(job.get("creationDateTime").isNumber()).isTrue();
        assertThat(job.has("failureReason")).isFalse();
    }

    @Test
    void anInvalidEventGetsTheModelsErrorAndWritesNothing() throws Exception {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("apigateway/create-dataset-import-job-invalid.json");
        APIGatewayProxyResponseEvent response = new CreateDatasetImportJobHandler(services).handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("x-amzn-ErrorType", "InvalidInputException");
        assertThat(Json.parse(response.getBody()).get("message").asText()).isEqualTo("1 validation error detected: Value "
                + "'SOMETIMES' at 'importMode' failed to satisfy constraint: Member must satisfy enum value set: [FULL, INCREMENTAL]");
    }

    @Test
    void unexpectedFailuresAnswer500WithoutInternals() throws Exception {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("POST")
                .withBody("{\"datasetImportJobArn\":\"arn:aws:personalize:us-east-1:000000000000:dataset-import-job/x\"}");
        // DynamoDB that cannot be reached: the SDK's error must not reach the caller.
        var unreachable = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:1"))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("x", "x")))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1)))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder().build()).build();
        var storage = dev.intake.adapters.dynamodb.DynamoStorage.of(unreachable,
                new dev.intake.adapters.dynamodb.TableNames("control", "records"), Runnable::run,
                new dev.intake.adapters.dynamodb.CapacityMeter());
        Services broken = LocalRuntime.services(storage, aws.s3.client(), WorkflowStarter.manual(name -> { }), 1024);
        APIGatewayProxyResponseEvent response = new DescribeDatasetImportJobHandler(broken).handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getHeaders()).containsEntry("x-amzn-ErrorType", "InternalFailure");
        assertThat(response.getBody()).contains("internal error (request id ").doesNotContain("Exception").doesNotContain("dynamo");
    }
}
