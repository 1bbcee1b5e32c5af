package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.local.events.LocalQueue;
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
        return new LocalRuntime.Options(0, 0, dataDir, 1 << 20, LocalRuntime.LANDING_ONLY);
    }

    @Test
    void anObjectPutIntoTheLandingBucketReachesTheConsumer() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(options(null))) {
            List<JsonNode> bodies = new CopyOnWriteArrayList<>();
            List<String> sources = new CopyOnWriteArrayList<>();
            CountDownLatch two = new CountDownLatch(2);
            runtime.landingConsumer(event -> {
                for (SQSEvent.SQSMessage m : event.getRecords()) {
                    sources.add(m.getEventSourceArn());
                    bodies.add(read(m.getBody()));
                    two.countDown();
                }
                return new SQSBatchResponse(List.of());
            });
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("items/items 1.csv"),
                    RequestBody.fromString("ID\nx\n", StandardCharsets.UTF_8));
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.RESULTS_BUCKET).key("not-notified.json"),
                    RequestBody.fromString("{}", StandardCharsets.UTF_8));

            assertThat(two.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(bodies.get(0).get("Event").asText()).as("sent when the runtime started").isEqualTo("s3:TestEvent");
            assertThat(bodies.get(1).at("/Records/0/eventName").asText()).isEqualTo("ObjectCreated:Put");
            assertThat(bodies.get(1).at("/Records/0/s3/bucket/name").asText()).isEqualTo(LocalRuntime.LANDING_BUCKET);
            assertThat(bodies.get(1).at("/Records/0/s3/object/key").asText()).isEqualTo("items/items+1.csv");
            assertThat(sources).containsOnly("arn:aws:sqs:us-east-1:000000000000:" + LocalRuntime.LANDING_QUEUE);
            Thread.sleep(300); // a notification of the results bucket would have arrived by now
            assertThat(bodies).hasSize(2);
            assertThat(runtime.landingQueue().messages()).isEmpty();
            assertThat(runtime.landingDeadLetters().messages()).isEmpty();
        }
    }

    @Test
    void notificationsQueuedWithoutAConsumerAreThereAfterARestart() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(options(dataDir))) {
            runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("items/a.csv"),
                    RequestBody.fromString("ID\nx\n", StandardCharsets.UTF_8));
            assertThat(runtime.landingQueue().messages()).hasSize(2);
        }
        try (LocalRuntime again = new LocalRuntime(options(dataDir))) {
            List<LocalQueue.Message> queued = again.landingQueue().messages();
            assertThat(queued).extracting(m -> event(m.body())).as("one test event per start")
                    .containsExactly("s3:TestEvent", "ObjectCreated:Put", "s3:TestEvent");
            assertThat(read(queued.get(1).body()).at("/Records/0/s3/object/key").asText()).isEqualTo("items/a.csv");
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
