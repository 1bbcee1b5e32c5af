package dev.intake.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The meter counts throttled attempts as the SDK reports them to its metric publisher, including
 * those its own retries absorbed: a real DynamoDbClient, its default retries, and an HTTP client
 * that answers with DynamoDB's own error responses.
 */
class CapacityMeterThrottlingTest {
    private final ScriptedHttp http = new ScriptedHttp();
    private final CapacityMeter meter = new CapacityMeter();
    private final DynamoDbClient dynamo = DynamoDbClient.builder()
            .httpClient(http)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret")))
            .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
            .overrideConfiguration(o -> o.addMetricPublisher(meter)) // as Services builds it
            .build();

    @AfterEach
    void close() {
        dynamo.close();
    }

    private void put() {
        dynamo.putItem(r -> r.tableName("records").item(Map.of("pk", AttributeValue.fromS("k"))));
    }

    @Test
    void throttledAttemptsThatTheSdksRetriesAbsorbedAreCounted() {
        http.error(400, "ProvisionedThroughputExceededException");
        http.error(400, "ThrottlingException");
        http.ok("{}");

        put();

        assertThat(http.calls).isEqualTo(3);
        assertThat(meter.throttledRequests()).isEqualTo(2);
        assertThat(meter.totals().throttledRequests()).isEqualTo(2);
    }

    @Test
    void otherErrorsAreNotThrottling() {
        http.error(500, "InternalServerError");
        http.ok("{}");
        put();
        http.error(400, "ConditionalCheckFailedException");
        assertThatThrownBy(this::put).isInstanceOf(ConditionalCheckFailedException.class);

        assertThat(http.calls).isEqualTo(3);
        assertThat(meter.throttledRequests()).isZero();
    }

    /** Answers each request with the next scripted response. */
    private static final class ScriptedHttp implements SdkHttpClient {
        private record Answer(int status, String body) {
        }

        private final Deque<Answer> answers = new ArrayDeque<>();
        int calls;

        void error(int status, String type) {
            answers.add(new Answer(status, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type
                    + "\",\"message\":\"scripted " + type + "\"}"));
        }

        void ok(String body) {
            answers.add(new Answer(200, body));
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    calls++;
                    Answer answer = answers.remove();
                    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(answer.status())
                                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("Content-Length", Integer.toString(body.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
