package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ChunkResult;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
import dev.intake.core.RecordCounts;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.core.ports.WorkflowStarter.ExecutionStatus;
import dev.intake.local.asl.Execution;
import dev.intake.local.asl.Executor;
import dev.intake.local.asl.FunctionError;
import dev.intake.local.asl.FunctionInvoker;
import dev.intake.local.asl.StateMachine;
import dev.intake.local.asl.VirtualSleeper;
import dev.intake.workflow.ExecutionEndedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping imports: the real state machine in the local executor, whose stopped executions' end
 * events reach the same handler as in AWS. Chunks after the first are held back, so a job is
 * stopped with part of its chunks done.
 */
class StopImportTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"},"
            + "{\"name\":\"V\",\"type\":\"int\"}]}";

    private LocalFixture aws;
    private Services services;
    private LocalWorkflowStarter starter;
    private Executor executor;
    /** Tasks that wait for {@link #release} before they run: "Task:job", or "IngestChunk:job:held" for chunks after the first. */
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        aws = new LocalFixture();
        starter = new LocalWorkflowStarter(dev.intake.adapters.sfn.StepFunctionsStarter::jobInput);
        services = aws.services(starter, 64); // small chunks: a file of a few hundred rows is several
        LocalFunctions functions = new LocalFunctions(services);
        FunctionInvoker invoker = (name, payload) -> {
            String job = payload.path("jobName").asText();
            boolean held = blocked.contains(name + ":" + job) || name.equals("IngestChunk")
                    && payload.path("chunk").path("index").asInt() > 0 && blocked.contains(name + ":" + job + ":held");
            if (held) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FunctionError("Lambda.Interrupted", "interrupted");
                }
            }
            return functions.invoke(name, payload);
        };
        executor = new Executor(invoker, new VirtualSleeper(), 8, LocalFunctions.objectReader(aws.s3.client()));
        starter.connect(executor, StateMachine.parse(LocalRuntime.stateMachineDefinition(), LocalFunctions.substitutions()),
                LocalWorkflowStarter.to(new ExecutionEndedTask(services)));
        services.datasets.create("ds", SCHEMA, List.of("ID"));
        aws.put("ds/base.csv", "ID,V\na,1\nb,2\n");
        StringBuilder more = new StringBuilder("ID,V\n");
        for (int i = 0; i < 300; i++) {
            more.append("n").append(i).append(',').append(i).append('\n');
        }
        aws.put("ds/more.csv", more.toString());
        create("base", "base.csv", ImportMode.FULL);
        assertThat(awaitEnd("base").status()).isEqualTo(JobStatus.ACTIVE);
        // the job is ACTIVE at its Finish step; its execution's end (which starts the next job) comes after
        assertThat(starter.execution("base").await(Duration.ofSeconds(30))).isTrue();
        while (!services.datasets.deleteSome("ds")) {
            // the generation the base import replaced (no deletion workflow runs here)
        }
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        executor.close();
        aws.close();
    }

    private ImportJob create(String name, String file, ImportMode mode) {
        return services.jobs.create(new NewImport(name, "ds", "s3://data/ds/" + file, mode, null, Map.of(), false, null));
    }

    private ImportJob awaitEnd(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            ImportJob job = services.jobs.describe(name);
            if (job.status().isTerminal()) {
                return job;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job " + name + " did not end; it is " + services.jobs.describe(name).status());
    }

    /** Waits until the job's first chunk stored its result (the others are held back). */
    private ChunkResult awaitFirstChunk(String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ChunkResult> first = aws.storage.jobs().chunkResult(job, 0, 1);
            if (first.isPresent()) {
                return first.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the first chunk of " + job + " did not finish");
    }

    private String encodedKey(String id) {
        return services.datasets.describe("ds").recordSchema().encodeKey(Map.of("ID", id));
    }

    private Optional<String> record(String id) {
        return services.datasets.record("ds", Map.of("ID", id));
    }

    @Test
    void aStoppedFullImportLeavesTheDatasetAsItWasAndItsGenerationIsDeleted() throws Exception {
        blocked.add("IngestChunk:full:held");
        create("full", "more.csv", ImportMode.FULL);
        awaitFirstChunk("full");
        String before = services.datasets.describe("ds").generation();
        Optional<String> a = record("a");

        ImportJob stopped = services.workflow.stop("full");

        assertThat(stopped.status()).as("the aborted execution's end ended it").isEqualTo(JobStatus.STOPPED);
        assertThat(starter.execution("full").status()).isEqualTo(dev.intake.local.asl.ExecutionStatus.ABORTED);
        assertThat(stopped.failureReason()).contains("stopped before it ended").contains("dataset is unchanged");
        assertThat(stopped.statistics().added()).as("nothing of a FULL import was applied").isZero();
        var dataset = services.datasets.describe("ds");
        assertThat(dataset.generation()).isEqualTo(before);
        assertThat(dataset.activeJobs()).isZero();
        assertThat(dataset.retiredGenerations()).containsExactly("job-full");
        assertThat(record("a")).isEqualTo(a).isPresent();
        assertThat(record("n0")).isEmpty();
        assertThat(aws.storage.records().get("ds", "job-full", encodedKey("n0")))
                .as("written by the first chunk").isPresent();
        while (!services.datasets.deleteSome("ds")) {
            // the deletion workflow's loop
        }
        assertThat(services.datasets.describe("ds").retiredGenerations()).isEmpty();
        assertThat(aws.storage.records().get("ds", "job-full", encodedKey("n0"))).isEmpty();
    }

    @Test
    void aStoppedIncrementalImportKeepsAndCountsTheRowsOfItsFinishedChunks() throws Exception {
        blocked.add("IngestChunk:inc:held");
        create("inc", "more.csv", ImportMode.INCREMENTAL);
        RecordCounts first = awaitFirstChunk("inc").counts();
        assertThat(first.added()).isPositive().isLessThan(300);

        services.workflow.stop("inc");
        release.countDown(); // the held chunks, cancelled with the execution, write nothing

        ImportJob stopped = awaitEnd("inc");
        assertThat(stopped.status()).isEqualTo(JobStatus.STOPPED);
        assertThat(stopped.failureReason()).contains("the rows it applied stay");
        assertThat(stopped.statistics().added()).isEqualTo(first.added());
        assertThat(stopped.statistics().rowsRead()).isEqualTo(first.total());
        assertThat(stopped.statistics().filesTotal()).isEqualTo(1);
        assertThat(record("n0")).isPresent();
        assertThat(record("n299")).as("in a held chunk").isEmpty();
        assertThat(services.datasets.describe("ds").retiredGenerations()).isEmpty();
        assertThat(services.datasets.describe("ds").activeJobs()).isZero();
    }

    @Test
    void aPendingJobStopsAtOnceAndTheNextJobStarts() throws Exception {
        blocked.add("Start:waiting"); // first in the queue, its execution is held in Start
        create("waiting", "more.csv", ImportMode.FULL);
        create("behind", "base.csv", ImportMode.INCREMENTAL);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (starter.execution("waiting") == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // the execution held in Start: a late start of the dataset's next job may add a second attempt
        // (which ends at its Start step, the job having ended), so the one that ran is asked for by name
        dev.intake.local.asl.Execution held = starter.execution("waiting");

        ImportJob stopped = services.workflow.stop("waiting");

        assertThat(stopped.status()).isEqualTo(JobStatus.STOPPED);
        assertThat(stopped.failureReason()).isEqualTo("The import was stopped before it started; the dataset is unchanged");
        assertThat(held.status()).isEqualTo(dev.intake.local.asl.ExecutionStatus.ABORTED);
        assertThat(awaitEnd("behind").status()).as("the next job ran").isEqualTo(JobStatus.ACTIVE);
        assertThat(services.datasets.describe("ds").retiredGenerations()).isEmpty();
    }

    @Test
    void aQueuedJobStoppedBehindARunningOneNeverRuns() throws Exception {
        blocked.add("Plan:first");
        create("first", "base.csv", ImportMode.FULL);
        create("queued", "more.csv", ImportMode.FULL);
        create("last", "base.csv", ImportMode.INCREMENTAL);

        assertThat(services.workflow.stop("queued").status()).isEqualTo(JobStatus.STOPPED);
        release.countDown();

        assertThat(awaitEnd("first").status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(awaitEnd("last").status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(starter.execution("queued")).as("never started").isNull();
        assertThat(record("n0")).isEmpty();
    }

    @Test
    void stoppingIsIdempotentAndAnEndedJobCannotBeStopped() {
        List<String> stoppedExecutions = new ArrayList<>();
        Map<String, WorkflowStarter.Execution> latest = new ConcurrentHashMap<>();
        WorkflowStarter fake = new WorkflowStarter() {
            @Override
            public void start(String jobName) {
                latest.put(jobName, new Execution(WorkflowStarter.executionName(jobName, 1), ExecutionStatus.RUNNING));
            }

            @Override
            public Optional<Execution> latest(String jobName) {
                return Optional.ofNullable(latest.get(jobName));
            }

            @Override
            public void stop(String executionName, String cause) {
                stoppedExecutions.add(executionName + ": " + cause);
            }
        };
        Services with = aws.services(fake, 1 << 20);
        with.datasets.create("twice", SCHEMA, List.of("ID"));
        with.jobs.create(new NewImport("j", "twice", "s3://data/ds/base.csv", ImportMode.FULL, null, Map.of(), false, null));
        with.workflow.start("j");

        assertThat(with.workflow.stop("j").status()).isEqualTo(JobStatus.STOPPING);
        assertThat(with.workflow.stop("j").status()).as("again: still stopping").isEqualTo(JobStatus.STOPPING);
        assertThat(stoppedExecutions).containsExactly("j.1: Import job j was stopped", "j.1: Import job j was stopped");
        assertThatThrownBy(() -> with.workflow.ingest("j", new dev.intake.core.ChunkTask(0, "data", "ds/base.csv",
                dev.intake.core.format.DataFormat.CSV, false, 0, 100, 1, "etag", 100)))
                .as("a stopping job's chunks write nothing").isInstanceOf(dev.intake.core.JobNotRunningException.class);
        assertThat(with.jobs.describe("j").status()).isEqualTo(JobStatus.STOPPING);

        with.workflow.executionEnded("j.1", ExecutionStatus.ABORTED, "Intake.JobStopped");
        assertThat(with.jobs.describe("j").status()).isEqualTo(JobStatus.STOPPED);
        assertThat(with.datasets.describe("twice").retiredGenerations()).containsExactly("job-j");

        assertThatThrownBy(() -> with.workflow.stop("j")).isInstanceOfSatisfying(IntakeException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(e.getMessage()).isEqualTo("Import job 'j' has already ended (STOPPED); only a job that has not ended"
                    + " can be stopped");
        });
        assertThatThrownBy(() -> with.workflow.stop("nope")).isInstanceOfSatisfying(IntakeException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void aStoppingJobEndsStoppedWhenItsExecutionEndsHoweverItEnds() throws Exception {
        blocked.add("IngestChunk:lost:held");
        create("lost", "more.csv", ImportMode.INCREMENTAL);
        awaitFirstChunk("lost");
        // As if the stop came just after the execution ended without a word: no running execution
        Execution first = starter.execution("lost");
        aws.storage.jobs().transition("lost", JobStatus.IN_PROGRESS, JobStatus.STOPPING, java.time.Instant.now());
        first.stop("Test.Lost", "lost");
        assertThat(awaitEnd("lost").status()).as("the end of the execution ends a stopping job").isEqualTo(JobStatus.STOPPED);
        assertThat(services.jobs.describe("lost").statistics().added()).isEqualTo(
                aws.storage.jobs().chunkResult("lost", 0, 1).orElseThrow().counts().added());
    }
}
