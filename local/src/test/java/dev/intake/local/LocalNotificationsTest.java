package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * `intake local`: an object put into the landing bucket reaches the landing queue's consumer as
 * S3's notification inside Lambda's SQS event; what is queued survives a restart.
 */
class LocalNotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private static LocalRuntime.Options options(Path dataDir) {
        return new LocalRuntime.Options(0, 0, dataDir, 1 << 20, LocalRuntime.LANDING_ONLY)
                .withArrivalWindow(java.time.Duration.ofMillis(200));
    }

    @Test
    void anObjectPutIntoTheLandingBucketReachesTheConsumer() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(options(null))) {
            List<JsonNode> bodies = new CopyOnWriteArrayList<>();
            List<String> sources = new CopyOnWriteArrayList<>();
            CountDownLatch created = new CountDownLatch(1);
            // in place of the S3 trigger the runtime wires (which may already have had the start's s3:TestEvent)
            runtime.landingConsumer(event -> {
                for (SQSEvent.SQSMessage m : event.getRecords()) {
                    sources.add(m.getEventSourceArn());
                    JsonNode body = read(m.getBody());
                    if (!body.has("Event")) {
                        bodies.add(body);
                        created.countDown();
                    }
                }
                return new SQSBatchResponse(List.of());
            });
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("items/items 1.csv"),
                    RequestBody.fromString("ID\nx\n", StandardCharsets.UTF_8));
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.RESULTS_BUCKET).key("not-notified.json"),
                    RequestBody.fromString("{}", StandardCharsets.UTF_8));

            assertThat(created.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(bodies.get(0).at("/Records/0/eventName").asText()).isEqualTo("ObjectCreated:Put");
            assertThat(bodies.get(0).at("/Records/0/s3/bucket/name").asText()).isEqualTo(LocalRuntime.LANDING_BUCKET);
            assertThat(bodies.get(0).at("/Records/0/s3/object/key").asText()).isEqualTo("items/items+1.csv");
            assertThat(sources).containsOnly("arn:aws:sqs:us-east-1:000000000000:" + LocalRuntime.LANDING_QUEUE);
            Thread.sleep(300); // a notification of the results bucket would have arrived by now
            assertThat(bodies).hasSize(1);
            assertThat(runtime.landingQueue().messages()).isEmpty();
            assertThat(runtime.landingDeadLetters().messages()).isEmpty();
        }
    }

    @Test
    void notificationsQueuedWhileNothingConsumesThemAreThereAfterARestartAndThenImported() throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"I\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}";
        try (LocalRuntime runtime = new LocalRuntime(options(dataDir))) {
            runtime.landingConsumer(null); // as if the trigger were down
            runtime.services().datasets.create("items", schema, List.of("ID"));
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("items/a.csv"),
                    RequestBody.fromString("ID\nx\n", StandardCharsets.UTF_8));
            assertThat(runtime.landingQueue().messages()).extracting(m -> event(m.body())).contains("ObjectCreated:Put");
        }
        try (LocalRuntime again = new LocalRuntime(options(dataDir))) {
            // the restarted runtime's trigger takes the queued notification: the file is imported
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (again.services().datasets.record("items", java.util.Map.of("ID", "x")).isEmpty()) {
                assertThat(System.nanoTime()).as("imported within a minute").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(again.landingDeadLetters().messages()).isEmpty();
        }
    }

    private static String event(String body) {
        JsonNode message = read(body);
        return message.has("Event") ? message.get("Event").asText() : message.at("/Records/0/eventName").asText();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
