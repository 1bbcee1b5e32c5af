package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.JobStateChangeEvents;
import dev.intake.api.Json;
import dev.intake.app.Deployment;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.ImportStatistics;
import dev.intake.core.ImportTrigger;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.core.ports.JobEventPublisher;
import dev.intake.core.ports.JobEventPublisher.JobEvent;
import dev.intake.core.ports.JobEventPublisher.PublishFailedException;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteJobEvents;
import dev.intake.local.store.SqliteJobStore;
import dev.intake.local.store.SqliteStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Local imports publish each job's state changes once, in order, with the documented detail, on the
 * runtime's event bus; a failing publisher delays the events but changes no job, and loses or
 * repeats none of them.
 */
class LocalJobEventsTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
            + "{\"name\":\"V\",\"type\":\"int\"}]}";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private static LocalRuntime.Options inMemory() {
        return LocalRuntime.Options.defaults().withPorts(0, 0).inMemory().withChunkBytes(1 << 20);
    }

    private static void put(LocalRuntime runtime, String key, String content) {
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key(key), RequestBody.fromString(content));
    }

    /** Creates the job, waits for its execution to end and for the job's {@code count} events. */
    private static List<JobEvent> importAndWait(LocalRuntime runtime, String job, String location, int count)
            throws InterruptedException {
        runtime.services().jobs.create(new NewImport(job, "items", location, ImportMode.FULL, null, Map.of(), false, null));
        assertThat(runtime.workflows().execution(job).await(WAIT)).isTrue();
        runtime.events().await(events -> events.stream().filter(e -> e.jobName().equals(job)).count() >= count, WAIT);
        return runtime.events().events(job);
    }

    private static JsonNode detail(JobEvent event) {
        try {
            return Json.parse(event.detail());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> transitions(List<JobEvent> events) {
        return events.stream().map(e -> detail(e).path("previousStatus").asText("null") + " -> "
                + detail(e).path("status").asText()).toList();
    }

    @Test
    void anImportPublishesPendingInProgressAndActiveInOrderWithTheDocumentedDetail() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(inMemory())) {
            runtime.services().datasets.create("items", SCHEMA, List.of("ID"));
            put(runtime, "exports/items/a.csv", "ID,V\na,1\nb,2\nc,3\n");
            List<JobEvent> events = importAndWait(runtime, "items-1", "s3://intake-landing/exports/items/", 3);

            assertThat(transitions(events)).containsExactly("null -> PENDING", "PENDING -> IN_PROGRESS", "IN_PROGRESS -> ACTIVE");
            ImportJob job = runtime.services().jobs.describe("items-1");
            assertThat(events).extracting(JobEvent::jobArn)
                    .containsOnly("arn:aws:personalize:us-east-1:000000000000:dataset-import-job/items-1");
            assertThat(events.get(0).time()).isEqualTo(job.createdAt());
            assertThat(events.get(2).time()).isEqualTo(job.updatedAt());
            assertThat(detail(events.get(0))).isEqualTo(Json.parse("{\"jobName\":\"items-1\",\"jobArn\":\"arn:aws:personalize:"
                    + "us-east-1:000000000000:dataset-import-job/items-1\",\"datasetName\":\"items\",\"datasetArn\":\"arn:aws:"
                    + "personalize:us-east-1:000000000000:dataset/items\",\"importMode\":\"FULL\",\"dataLocation\":"
                    + "\"s3://intake-landing/exports/items/\",\"startedBy\":{\"type\":\"API\"},\"previousStatus\":null,\"status\":"
                    + "\"PENDING\",\"createdAt\":\"" + job.createdAt() + "\",\"updatedAt\":\"" + job.createdAt() + "\"}"));
            assertThat(detail(events.get(1)).has("statistics")).isFalse();
            JsonNode ended = detail(events.get(2));
            assertThat(ended.path("statistics")).isEqualTo(Json.parse("{\"recordsAdded\":3,\"recordsUpdated\":0,"
                    + "\"recordsUnchanged\":0,\"recordsSkipped\":0,\"recordsFailed\":0,\"filesTotal\":1,\"filesIngested\":1,"
                    + "\"filesDiscarded\":0,\"bytes\":" + job.statistics().bytes() + "}"));
            assertThat(ended.has("failureReason")).isFalse();

            Thread.sleep(300); // nothing more comes: one event per transition
            assertThat(runtime.events().events("items-1")).hasSize(3);
        }
    }

    @Test
    void aFailedImportsLastEventIsFailedWithItsReason() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(inMemory())) {
            runtime.services().datasets.create("items", SCHEMA, List.of("ID"));
            put(runtime, "exports/items/bad.csv", "ID,NOT_A_FIELD\na,1\n");
            List<JobEvent> events = importAndWait(runtime, "items-bad", "s3://intake-landing/exports/items/bad.csv", 3);

            assertThat(transitions(events)).containsExactly("null -> PENDING", "PENDING -> IN_PROGRESS", "IN_PROGRESS -> FAILED");
            String reason = runtime.services().jobs.describe("items-bad").failureReason();
            assertThat(reason).contains("NOT_A_FIELD");
            assertThat(detail(events.get(2)).path("failureReason").asText()).isEqualTo(reason);
            assertThat(detail(events.get(2)).has("statistics")).isTrue();
        }
    }

    @Test
    void aSubscriberThatFailsThreeTimesDelaysTheEventsButGetsEachOnceInOrderAndTheJobSucceeds() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(inMemory())) {
            AtomicInteger failures = new AtomicInteger();
            List<String> received = new CopyOnWriteArrayList<>();
            runtime.events().subscribe(event -> {
                if (failures.getAndIncrement() < 3) {
                    throw new IllegalStateException("subscriber down");
                }
                // the object put below also lands in the dataset's landing folder, which opens an arrival
                // batch of its own: only the import's events count here
                if (detail(event).path("jobName").asText().equals("items-1")) {
                    received.add(detail(event).path("status").asText());
                }
            });
            runtime.services().datasets.create("items", SCHEMA, List.of("ID"));
            put(runtime, "exports/items/a.csv", "ID,V\na,1\n");
            List<JobEvent> events = importAndWait(runtime, "items-1", "s3://intake-landing/exports/items/", 3);

            assertThat(runtime.services().jobs.describe("items-1").status()).isEqualTo(JobStatus.ACTIVE);
            assertThat(failures.get()).isGreaterThanOrEqualTo(3);
            assertThat(received).containsExactly("PENDING", "IN_PROGRESS", "ACTIVE");
            assertThat(transitions(events)).containsExactly("null -> PENDING", "PENDING -> IN_PROGRESS", "IN_PROGRESS -> ACTIVE");
        }
    }

    @Test
    void changesMadeWhileNoRuntimeRanArePublishedWhenOneStarts() throws Exception {
        // A process that stores a job and stops before anything publishes its creation.
        try (SqliteDatabase database = SqliteDatabase.inDirectory(dataDir);
             EmbeddedS3 s3 = EmbeddedS3.inDirectory(dataDir.resolve("s3"), 0)) {
            s3.createBucket(LocalRuntime.LANDING_BUCKET);
            s3.client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("exports/items/a.csv"), RequestBody.fromString("ID,V\na,1\n"));
            Services stopped = LocalRuntime.services(SqliteStorage.of(database), s3.client(), WorkflowStarter.manual(name -> { }),
                    1 << 20);
            stopped.datasets.create("items", SCHEMA, List.of("ID"));
            stopped.jobs.create(new NewImport("orphan", "items", "s3://intake-landing/exports/items/", ImportMode.FULL, null, Map.of(),
                    false, null));
        }
        try (LocalRuntime runtime = new LocalRuntime(inMemory().withDataDir(dataDir))) {
            runtime.workflows().execution("orphan").await(WAIT);
            List<JobEvent> events = runtime.events().await(e -> e.size() >= 3, WAIT);
            assertThat(transitions(events)).containsExactly("null -> PENDING", "PENDING -> IN_PROGRESS", "IN_PROGRESS -> ACTIVE");
        }
    }

    /** The outbox drained straight from the store: a publisher that takes part of a batch, then none, then all. */
    @Test
    void aPublisherThatFailsPartWayIsResumedFromTheFirstEventItDidNotTakeAndNothingIsRepeated() throws Exception {
        try (SqliteDatabase database = SqliteDatabase.inMemory()) {
            var storage = SqliteStorage.of(database);
            Instant t0 = Instant.parse("2025-03-01T10:00:00Z");
            storage.datasets().create(new dev.intake.core.Dataset("items", SCHEMA, List.of("ID"), t0, t0, "g1", false, 0));
            for (String name : List.of("a", "b")) {
                storage.jobs().create(new ImportJob(name, "items", "s3://intake-landing/exports/items/", ImportMode.FULL,
                        JobStatus.PENDING, t0, t0, null, null, Map.of(), false, 10, null, null, null,
                        new ImportTrigger(ImportTrigger.Type.SCHEDULE, "nightly")));
            }
            storage.jobs().transition("a", JobStatus.PENDING, JobStatus.IN_PROGRESS, t0.plusSeconds(1));
            ImportJob a = storage.jobs().find("a").orElseThrow();
            storage.jobs().finish(new ImportJob("a", "items", a.dataLocation(), a.mode(), JobStatus.FAILED, t0, t0.plusSeconds(2),
                    "it broke", null, Map.of(), false, 10, ImportStatistics.EMPTY, null, null, a.trigger()), null, null);
            storage.jobs().transition("a", JobStatus.PENDING, JobStatus.IN_PROGRESS, t0.plusSeconds(3)); // refused: no change

            List<String> taken = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            JobEventPublisher flaky = events -> {
                int call = calls.incrementAndGet();
                if (call == 1) { // takes the first two, then fails
                    events.subList(0, 2).forEach(e -> taken.add(e.jobName() + " " + detail(e).path("status").asText()));
                    throw new PublishFailedException("refused", 2, null);
                }
                if (call == 2) {
                    throw new IllegalStateException("bus unavailable");
                }
                events.forEach(e -> taken.add(e.jobName() + " " + detail(e).path("status").asText()));
            };
            SqliteJobEvents outbox = new SqliteJobEvents(database);
            try (LocalJobEvents publisher = new LocalJobEvents(outbox, new SqliteJobStore(database),
                    new JobStateChangeEvents(Deployment.LOCAL), flaky, Duration.ofMillis(10))) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (taken.size() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            assertThat(taken).containsExactly("a PENDING", "b PENDING", "a IN_PROGRESS", "a FAILED");
            assertThat(calls.get()).isEqualTo(3);
            assertThat(outbox.oldest(10)).as("delivered events leave the outbox").isEmpty();
            assertThat(storage.jobs().find("a").orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        }
    }
}
