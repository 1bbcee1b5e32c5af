package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import dev.intake.triggers.S3EventTrigger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * intake local as a user drives it: a dataset created over HTTP, files put into its folder of the
 * landing bucket through the S3 API, and the import that follows, observed on the job events.
 */
class S3ArrivalsEndToEndTest {
    private static final int FILES = 20;
    private static final int ROWS = 50;

    private static JsonNode detail(JobEvent event) {
        try {
            return Json.parse(event.detail());
        } catch (Exception e) {
            throw new AssertionError(event.detail(), e);
        }
    }

    private static Set<String> s3Jobs(List<JobEvent> events) {
        Set<String> jobs = new TreeSet<>();
        events.stream().filter(e -> detail(e).at("/startedBy/type").asText().equals("S3_EVENT")).forEach(e -> jobs.add(e.jobName()));
        return jobs;
    }

    @Test
    void filesUploadedWithinTheWindowAreImportedByOneJobAndRedeliveredNotificationsStartNothing() throws Exception {
        LocalRuntime.Options options = LocalRuntime.Options.defaults().inMemory().withPorts(0, 0)
                .withArrivalWindow(Duration.ofSeconds(5));
        try (LocalRuntime runtime = new LocalRuntime(options)) {
            // what reaches the trigger, kept to deliver it all again later
            List<String> delivered = new CopyOnWriteArrayList<>();
            S3EventTrigger trigger = new S3EventTrigger(runtime.services());
            runtime.landingConsumer(event -> {
                event.getRecords().forEach(m -> delivered.add(m.getBody()));
                return trigger.handleRequest(event, null);
            });
            ApiClient api = new ApiClient(runtime.apiEndpoint());
            api.ok("intake", "CreateDataset", Map.of("name", "orders", "keyFields", List.of("ORDER_ID"), "schema",
                    "{\"type\":\"record\",\"name\":\"Orders\",\"fields\":[{\"name\":\"ORDER_ID\",\"type\":\"string\"},"
                            + "{\"name\":\"AMOUNT\",\"type\":\"double\"}]}"));

            for (int f = 0; f < FILES; f++) {
                StringBuilder csv = new StringBuilder("ORDER_ID,AMOUNT\n");
                for (int r = 0; r < ROWS; r++) {
                    csv.append("o-").append(f).append('-').append(r).append(',').append(r).append(".5\n");
                }
                String key = "orders/2026/11/29/part " + f + ".csv"; // a space: S3 sends it as '+'
                runtime.s3().client().putObject(b -> b.bucket(LocalRuntime.LANDING_BUCKET).key(key),
                        RequestBody.fromString(csv.toString(), StandardCharsets.UTF_8));
            }
            // a file nobody should import, and one that is not data
            runtime.s3().client().putObject(b -> b.bucket(LocalRuntime.LANDING_BUCKET).key("orders/_SUCCESS"),
                    RequestBody.fromString("", StandardCharsets.UTF_8));

            List<JobEvent> events = runtime.events().await(all -> all.stream()
                    .anyMatch(e -> detail(e).path("status").asText().matches("ACTIVE|FAILED")), Duration.ofSeconds(60));
            Set<String> jobs = s3Jobs(events);
            assertThat(jobs).hasSize(1);
            String job = jobs.iterator().next();
            JsonNode described = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                    "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + job)).get("importJob");
            assertThat(described.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(described.at("/startedBy/type").asText()).isEqualTo("S3_EVENT");
            assertThat(described.at("/statistics/recordsAdded").asLong()).isEqualTo((long) FILES * ROWS);
            assertThat(described.at("/statistics/filesTotal").asLong()).isEqualTo(FILES);
            assertThat(described.get("objects")).hasSize(FILES);
            assertThat(described.at("/objects/0/uri").asText()).isEqualTo("s3://intake-landing/orders/2026/11/29/part 0.csv");
            assertThat(described.at("/objects/0/eTag").asText()).matches("[0-9a-f]{32}");
            assertThat(api.ok("intake", "GetRecord", Map.of("datasetArn", "arn:aws:personalize:us-east-1:000000000000:dataset/orders",
                    "key", Map.of("ORDER_ID", "o-19-49"))).get("record").toString()).contains("49.5");

            // every notification delivered again, as SQS may: nothing new starts
            List<String> again = new ArrayList<>(delivered);
            again.forEach(body -> runtime.landingQueue().send(body));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!runtime.landingQueue().messages().isEmpty()) {
                assertThat(System.nanoTime()).as("the queue drains").isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(1000); // a new batch's job would have been created by now, and its PENDING event published
            assertThat(s3Jobs(runtime.events().events())).containsExactly(job);
            assertThat(runtime.landingDeadLetters().messages()).isEmpty();
            assertThat(again).hasSizeGreaterThanOrEqualTo(FILES + 1);
        }
    }
}
