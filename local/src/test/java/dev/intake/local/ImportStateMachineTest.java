package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.local.asl.ExecutionResult;
import dev.intake.local.asl.ExecutionStatus;
import dev.intake.local.asl.Executor;
import dev.intake.local.asl.FunctionError;
import dev.intake.local.asl.FunctionInvoker;
import dev.intake.local.asl.StateMachine;
import dev.intake.local.asl.VirtualSleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * statemachine/import-job.asl.json run by the local executor with the real task handlers, with
 * failures injected into chosen tasks to exercise its Retry and Catch paths.
 */
class ImportStateMachineTest {
    private static LocalFixture aws;
    private static Services services;
    private static LocalFunctions functions;
    private static int counter;

    @BeforeAll
    static void start() throws Exception {
        aws = new LocalFixture();
        services = aws.services(256);
        functions = new LocalFunctions(services);
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    /** Fails a task's first {@code times} calls with the given error, then lets it through. */
    private static class FaultyFunctions implements FunctionInvoker {
        final Map<String, AtomicInteger> failuresLeft = new HashMap<>();
        final Map<String, String> errorTypes = new HashMap<>();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        FaultyFunctions fail(String task, int times, String errorType) {
            failuresLeft.put(task, new AtomicInteger(times));
            errorTypes.put(task, errorType);
            return this;
        }

        @Override
        public JsonNode invoke(String functionName, JsonNode payload) throws FunctionError {
            calls.add(functionName);
            AtomicInteger left = failuresLeft.get(functionName);
            if (left != null && left.getAndDecrement() > 0) {
                throw new FunctionError(errorTypes.get(functionName), "injected failure of " + functionName);
            }
            return functions.invoke(functionName, payload);
        }
    }

    private record Run(ExecutionResult result, ImportJob job, FaultyFunctions functions, VirtualSleeper sleeper) {
    }

    private static Run run(String csv, FaultyFunctions faults) throws Exception {
        String ds = "sm-" + (++counter);
        services.datasets.create(ds, "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
                + "{\"name\":\"V\",\"type\":\"int\"}]}", List.of("ID"));
        aws.put(ds + "/data.csv", csv);
        ImportJob job = services.jobs.create(new NewImport(ds + "-job", ds, "s3://data/" + ds + "/data.csv", ImportMode.FULL,
                null, Map.of(), false, null));
        VirtualSleeper sleeper = new VirtualSleeper();
        try (Executor executor = new Executor(faults, sleeper, 2, LocalFunctions.objectReader(aws.s3.client()))) {
            StateMachine machine = StateMachine.parse(LocalRuntime.stateMachineDefinition(), LocalFunctions.substitutions());
            ExecutionResult result = executor.run(machine, Json.parse("{\"jobName\":\"" + job.name() + "\"}"));
            return new Run(result, services.jobs.describe(job.name()), faults, sleeper);
        }
    }

    private static String rows(int n) {
        StringBuilder sb = new StringBuilder("ID,V\n");
        for (int i = 0; i < n; i++) {
            sb.append("id-").append(i).append(',').append(i).append('\n');
        }
        return sb.toString();
    }

    @Test
    void anArrivalBatchWaitsOutItsWindowInAWaitStateThenImportsWhatArrived() throws Exception {
        Services withArrivals = LocalRuntime.services(aws.storage, aws.s3.client(), dev.intake.core.ports.WorkflowStarter
                .manual(job -> { }), new dev.intake.core.EngineSettings(LocalFixture.RESULTS_BUCKET, 256, LocalFixture.ACCESS)
                .withArrivals(new dev.intake.core.ArrivalSettings(LocalFixture.DATA_BUCKET, Duration.ofSeconds(3), 500)));
        String ds = "sm-" + (++counter);
        withArrivals.datasets.create(ds, "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
                + "{\"name\":\"V\",\"type\":\"int\"}]}", List.of("ID"));
        String job = null;
        for (int i = 0; i < 2; i++) {
            String key = ds + "/part-" + i + ".csv";
            String csv = "ID,V\nid-" + i + "," + i + "\n";
            var put = aws.s3.client().putObject(r -> r.bucket(LocalFixture.DATA_BUCKET).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromString(csv));
            job = withArrivals.arrivals.arrived(new dev.intake.core.ObjectArrival(LocalFixture.DATA_BUCKET, key, csv.length(),
                    put.eTag(), null, "0A0" + i)).jobName();
        }
        LocalFunctions batchFunctions = new LocalFunctions(withArrivals);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        try (Executor executor = new Executor((name, payload) -> {
            calls.add(name);
            return batchFunctions.invoke(name, payload);
        }, dev.intake.local.asl.Sleeper.realTime(), 2, LocalFunctions.objectReader(aws.s3.client()))) {
            StateMachine machine = StateMachine.parse(LocalRuntime.stateMachineDefinition(), LocalFunctions.substitutions());
            ExecutionResult result = executor.run(machine, Json.parse("{\"jobName\":\"" + job + "\"}"));
            assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        ImportJob done = withArrivals.jobs.describe(job);
        assertThat(done.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(done.statistics().added()).isEqualTo(2);
        // Start found the batch collecting, the execution waited until the window's end, and Start ran it
        assertThat(calls).startsWith("Start", "Start", "Plan");
    }

    @Test
    void aCleanRunEndsActiveThroughEveryStep() throws Exception {
        Run run = run(rows(100), new FaultyFunctions());
        assertThat(run.result().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(run.job().status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(run.job().statistics().added()).isEqualTo(100);
        assertThat(run.functions().calls).startsWith("Start", "Plan").endsWith("Finish")
                .filteredOn("IngestChunk"::equals).hasSizeGreaterThan(1); // 256-byte chunks: several
    }

    @Test
    void transientErrorsAreRetriedWithBackoffAndChangeNoCounts() throws Exception {
        Run run = run(rows(50), new FaultyFunctions()
                .fail("IngestChunk", 3, "dev.intake.core.TransientImportException")
                .fail("Finish", 1, "Lambda.TooManyRequestsException"));
        assertThat(run.result().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(run.job().status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(run.job().statistics().added()).isEqualTo(50);
        assertThat(run.job().statistics().rowsRead()).isEqualTo(50);
        // Full jitter: each wait is at most the backoff interval (1 s, 2 s, 4 s ...).
        assertThat(run.sleeper().sleeps()).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void aFinalEngineErrorIsCaughtAndTheJobFailsWithItsMessage() throws Exception {
        Run run = run("ID,WRONG\na,1\n", new FaultyFunctions());
        assertThat(run.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.result().error()).isEqualTo("Intake.ImportFailed");
        assertThat(run.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.job().failureReason()).startsWith("The header of s3://data/").contains("column 'WRONG'");
        // the chunk checks its file's header (Plan reads no file) and fails before it reads a row; its
        // child execution records the reason (Fail), then the parent's MarkFailed finds it recorded (Fail)
        assertThat(run.functions().calls).as("ImportFailedException is not retried")
                .containsExactly("Start", "Plan", "IngestChunk", "Fail", "Fail");
    }

    @Test
    void anUnexpectedErrorIsRetriedThenCaughtWithoutLeakingItsMessage() throws Exception {
        Run run = run(rows(5), new FaultyFunctions().fail("Finish", 100, "java.lang.NullPointerException"));
        assertThat(run.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.job().failureReason())
                .isEqualTo("The import stopped on an internal error; it can be started again");
        assertThat(run.functions().calls).filteredOn("Finish"::equals).hasSize(3); // 1 + 2 retries
    }

    @Test
    void exhaustedRetriesOfAChunkFailTheJobAndLeaveNoData() throws Exception {
        Run run = run(rows(20), new FaultyFunctions().fail("IngestChunk", 1000, "dev.intake.core.TransientImportException"));
        assertThat(run.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.job().failureReason()).isEqualTo("The import kept failing after retries: injected failure of IngestChunk");
        assertThat(services.datasets.describe(run.job().datasetName()).fullImported()).isFalse();
    }

    @Test
    void whenEvenMarkingFailedFailsTheExecutionSaysSo() throws Exception {
        Run run = run("ID,WRONG\na,1\n", new FaultyFunctions().fail("Fail", 1000, "Lambda.ServiceException"));
        assertThat(run.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.result().error()).isEqualTo("Intake.FailureNotRecorded");
    }

    /** Runs an import of {@code location} (under s3://data/) through the state machine with the real tasks. */
    private static Run runImport(String ds, String location, FaultyFunctions faults) {
        ImportJob job = services.jobs.create(new NewImport(ds + "-job", ds, "s3://data/" + location, ImportMode.FULL,
                null, Map.of(), false, null));
        VirtualSleeper sleeper = new VirtualSleeper();
        try (Executor executor = new Executor(faults, sleeper, 2, LocalFunctions.objectReader(aws.s3.client()))) {
            StateMachine machine = StateMachine.parse(LocalRuntime.stateMachineDefinition(), LocalFunctions.substitutions());
            ExecutionResult result = executor.run(machine, Json.parse("{\"jobName\":\"" + job.name() + "\"}"));
            return new Run(result, services.jobs.describe(job.name()), faults, sleeper);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String dataset() {
        String ds = "sm-" + (++counter);
        services.datasets.create(ds, "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
                + "{\"name\":\"V\",\"type\":\"int\"}]}", List.of("ID"));
        return ds;
    }

    /** The old limit was 500 files per import: 600 go through the Distributed Map, each a chunk of its own. */
    @Test
    void sixHundredFilesImportThroughTheDistributedMapWithExactCounts() throws Exception {
        String ds = dataset();
        for (int i = 0; i < 600; i++) {
            aws.put(ds + "/files/part-" + String.format("%03d", i) + ".csv", "ID,V\nid-" + i + "-a," + i + "\nid-" + i + "-b," + i + "\n");
        }

        Run run = runImport(ds, ds + "/files/", new FaultyFunctions());

        assertThat(run.result().status()).as("%s: %s", run.result().error(), run.result().cause())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(run.job().status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(run.job().statistics().filesTotal()).isEqualTo(600);
        assertThat(run.job().statistics().filesIngested()).isEqualTo(600);
        assertThat(run.job().statistics().rowsRead()).isEqualTo(1200);
        assertThat(run.job().statistics().added()).isEqualTo(1200);
        assertThat(services.datasets.record(ds, Map.of("ID", "id-599-b"))).isPresent();
        assertThat(run.functions().calls).filteredOn("IngestChunk"::equals).hasSize(600);

        // The chunk list travelled as a manifest in the results bucket, one chunk per line, not in the payload.
        String manifest = aws.s3.client().getObjectAsBytes(r -> r.bucket(LocalFixture.RESULTS_BUCKET)
                .key("manifests/" + run.job().name() + "/pass-1.jsonl")).asUtf8String();
        List<String> lines = manifest.lines().toList();
        assertThat(lines).hasSize(600);
        assertThat(manifest).endsWith("\n");
        for (int i = 0; i < 600; i++) {
            JsonNode chunk = Json.parse(lines.get(i));
            assertThat(chunk.get("index").asInt()).isEqualTo(i);
            assertThat(chunk.get("bucket").asText()).isEqualTo("data");
            assertThat(chunk.get("key").asText()).isEqualTo(ds + "/files/part-" + String.format("%03d", i) + ".csv");
            assertThat(chunk.get("format").asText()).isEqualTo("CSV");
            assertThat(chunk.has("etag")).isTrue();
        }
    }

    /**
     * A chunk that fails ends the Map Run with States.ExceedToleratedFailureThreshold, which says nothing of
     * why: the job must still fail with the chunk's own reason (here: its file was replaced after planning).
     */
    @Test
    void aFailingChunkFailsTheJobWithThatChunksReasonNotTheMapRunsError() throws Exception {
        String ds = dataset();
        for (int i = 0; i < 6; i++) {
            aws.put(ds + "/files/part-" + i + ".csv", "ID,V\nid-" + i + "," + i + "\n");
        }
        FaultyFunctions replacing = new FaultyFunctions() {
            @Override
            public JsonNode invoke(String functionName, JsonNode payload) throws FunctionError {
                if (functionName.equals("IngestChunk") && payload.path("chunk").path("index").asInt() == 3) {
                    aws.put(ds + "/files/part-3.csv", "ID,V\nreplaced,1\n"); // a new version after Plan
                }
                return super.invoke(functionName, payload);
            }
        };

        Run run = runImport(ds, ds + "/files/", replacing);

        assertThat(run.result().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.result().error()).isEqualTo("Intake.ImportFailed");
        assertThat(run.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.job().failureReason()).contains("s3://data/" + ds + "/files/part-3.csv")
                .doesNotContain("States.").doesNotContain("threshold");
        assertThat(run.result().cause()).isEqualTo(run.job().failureReason());
        // The child recorded it, then the parent's catch-all found the job already FAILED with that reason
        // (children running at the time may find the job ended and call Fail too: it keeps the first reason).
        assertThat(run.functions().calls).filteredOn("Fail"::equals).hasSizeGreaterThanOrEqualTo(2);
        assertThat(run.functions().calls).doesNotContain("Reconcile", "Finish");
    }
}
