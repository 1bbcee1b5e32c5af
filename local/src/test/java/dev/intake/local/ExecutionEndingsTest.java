package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.NewImport;
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
 * Every way an execution can end frees its dataset: the real state machine in the local executor,
 * whose status-change events reach the same handler as in AWS. Nothing polls for its turn.
 */
class ExecutionEndingsTest {
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"ID\",\"type\":\"string\"}]}";

    private LocalFixture aws;
    private Services services;
    private LocalWorkflowStarter starter;
    private Executor executor;
    private final VirtualSleeper sleeper = new VirtualSleeper();
    /** Tasks that wait for {@link #release} before they run, by "Task:job". */
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch release;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    private void startRuntime(int timeoutSeconds) throws Exception {
        release = new CountDownLatch(1);
        aws = new LocalFixture();
        starter = new LocalWorkflowStarter(dev.intake.adapters.sfn.StepFunctionsStarter::jobInput);
        services = aws.services(starter, 1 << 20);
        LocalFunctions functions = new LocalFunctions(services);
        FunctionInvoker invoker = (name, payload) -> {
            if (blocked.contains(name + ":" + payload.path("jobName").asText())) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FunctionError("Lambda.Interrupted", "interrupted");
                }
            }
            if (failing.contains(name)) {
                throw new FunctionError("Lambda.ServiceException", "injected failure of " + name);
            }
            return functions.invoke(name, payload);
        };
        executor = new Executor(invoker, sleeper, 8, LocalFunctions.objectReader(aws.s3.client()));
        ObjectNode definition = (ObjectNode) Json.parse(LocalRuntime.stateMachineDefinition());
        if (timeoutSeconds > 0) {
            definition.put("TimeoutSeconds", timeoutSeconds);
        }
        starter.connect(executor, StateMachine.parse(definition.toString(), LocalFunctions.substitutions()),
                LocalWorkflowStarter.to(new ExecutionEndedTask(services)));
        services.datasets.create("ds", SCHEMA, List.of("ID"));
        aws.put("ds/good.csv", "ID\na\nb\n");
        aws.put("ds/bad.csv", "WRONG\na\n");
    }

    @BeforeEach
    void start() throws Exception {
        startRuntime(0);
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        executor.close();
        aws.close();
    }

    private ImportJob create(String name, String file) {
        return services.jobs.create(new NewImport(name, "ds", "s3://data/ds/" + file, ImportMode.FULL, null, Map.of(),
                false, null));
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

    private Execution awaitRunning(String job, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Execution e = starter.execution(job);
            if (e != null && e.history().contains(state)) {
                return e;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the execution of " + job + " did not reach " + state);
    }

    @Test
    void aJobQueuedBehindAnotherIsStartedByThatOnesEndAndNothingPolls() throws Exception {
        blocked.add("Plan:first");
        create("first", "good.csv");
        awaitRunning("first", "Plan");
        create("second", "good.csv");

        assertThat(starter.execution("second")).as("a job that is not first waits without an execution").isNull();
        release.countDown();

        assertThat(awaitEnd("first").status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(awaitEnd("second").status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(starter.execution("second").name()).isEqualTo("second.1");
        assertThat(sleeper.sleeps()).as("no waiting for a turn").isEmpty();
    }

    @Test
    void aStoppedExecutionFailsItsJobAndTheNextJobRuns() throws Exception {
        blocked.add("Plan:first");
        create("first", "good.csv");
        Execution execution = awaitRunning("first", "Plan");
        create("second", "good.csv");

        execution.stop("Stopped", "stopped by an operator");

        ImportJob first = awaitEnd("first");
        assertThat(first.status()).isEqualTo(JobStatus.FAILED);
        assertThat(first.failureReason())
                .isEqualTo("The import's workflow (execution first.1) was stopped before the job ended");
        assertThat(awaitEnd("second").status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void whenMarkingFailedItselfFailsTheJobStillEndsFailedAndFreesTheDataset() throws Exception {
        failing.add("Fail");
        create("broken", "bad.csv");
        create("after", "good.csv");

        ImportJob broken = awaitEnd("broken");
        assertThat(broken.status()).isEqualTo(JobStatus.FAILED);
        assertThat(broken.failureReason()).isEqualTo(
                "The import's workflow (execution broken.1) failed before the job ended: error Intake.FailureNotRecorded");
        assertThat(awaitEnd("after").status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void anExecutionThatTimesOutFailsItsJob() throws Exception {
        stop();
        startRuntime(1);
        blocked.add("Plan:slow");
        create("slow", "good.csv");
        create("next", "good.csv");

        ImportJob slow = awaitEnd("slow");
        assertThat(slow.failureReason()).isEqualTo("The import's workflow (execution slow.1) timed out before the job ended");
        release.countDown();
        assertThat(awaitEnd("next").status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void aStepOverStepFunctionsPayloadLimitFailsTheJobNamingTheLimit() throws Exception {
        blocked.add("Plan:big");
        create("big", "good.csv");
        awaitRunning("big", "Plan");

        // What the status-change event of an execution that hit States.DataLimitExceeded carries.
        new ExecutionEndedTask(services).run(event("big.1", "FAILED", "States.DataLimitExceeded"));

        assertThat(services.jobs.describe("big").failureReason()).isEqualTo("The import's workflow (execution big.1) failed"
                + " before the job ended: a step's data exceeded Step Functions' 256 KiB limit (States.DataLimitExceeded)");
    }

    @Test
    void anExecutionThatFailedOutsideItsStepsFailsTheJobNamingTheErrorAndTheNextJobRuns() throws Exception {
        // Step Functions fails an execution whose history passes 25,000 events (or that breaks at
        // run time) with an error no state can catch: only its status-change event tells.
        blocked.add("Plan:long");
        create("long", "good.csv");
        awaitRunning("long", "Plan");
        create("after-long", "good.csv");

        new ExecutionEndedTask(services).run(event("long.1", "FAILED", "States.Runtime"));

        assertThat(services.jobs.describe("long").failureReason())
                .isEqualTo("The import's workflow (execution long.1) failed before the job ended: error States.Runtime");
        release.countDown();
        assertThat(awaitEnd("after-long").status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void aLateEventAboutAnEarlierAttemptDoesNotFailTheAttemptRunningNow() throws Exception {
        blocked.add("Plan:job");
        create("job", "good.csv");
        awaitRunning("job", "Plan");

        new ExecutionEndedTask(services).run(event("job.0", "ABORTED", null));

        assertThat(services.jobs.describe("job").status()).isEqualTo(JobStatus.IN_PROGRESS);
        release.countDown();
        assertThat(awaitEnd("job").status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void eventsThatAreNotAnEndAreIgnored() throws Exception {
        blocked.add("Plan:job");
        create("job", "good.csv");
        awaitRunning("job", "Plan");

        JsonNode reply = new ExecutionEndedTask(services).run(event("job.1", "RUNNING", null));

        assertThat(reply.path("ignored").asBoolean()).isTrue();
        assertThat(services.jobs.describe("job").status()).isEqualTo(JobStatus.IN_PROGRESS);
    }

    @Test
    void theResumerFailsAJobWhoseExecutionEndedUnreportedAndStartsTheNextOne() throws Exception {
        List<String> started = new ArrayList<>();
        Map<String, WorkflowStarter.Execution> latest = new ConcurrentHashMap<>();
        WorkflowStarter fake = new WorkflowStarter() {
            @Override
            public void start(String jobName) {
                started.add(jobName);
            }

            @Override
            public Optional<Execution> latest(String jobName) {
                return Optional.ofNullable(latest.get(jobName));
            }

            @Override
            public void stop(String executionName, String cause) {
                throw new AssertionError("nothing is stopped here");
            }
        };
        Services with = aws.services(fake, 1 << 20);
        with.datasets.create("queue", SCHEMA, List.of("ID"));
        with.jobs.create(new NewImport("lost", "queue", "s3://data/ds/good.csv", ImportMode.FULL, null, Map.of(), false, null));
        with.jobs.create(new NewImport("waiting", "queue", "s3://data/ds/good.csv", ImportMode.FULL, null, Map.of(), false, null));
        assertThat(started).containsExactly("lost");

        started.clear();
        latest.put("lost", new WorkflowStarter.Execution("lost.1", ExecutionStatus.RUNNING));
        assertThat(with.workflow.resumeUnfinished()).isEqualTo(1);
        assertThat(started).as("a running head is left alone").isEmpty();

        latest.put("lost", new WorkflowStarter.Execution("lost.1", ExecutionStatus.ABORTED));
        with.workflow.resumeUnfinished();

        assertThat(with.jobs.describe("lost").status()).isEqualTo(JobStatus.FAILED);
        assertThat(with.jobs.describe("lost").failureReason()).contains("was stopped");
        assertThat(started).containsExactly("waiting");
        assertThat(with.jobs.describe("waiting").status()).isEqualTo(JobStatus.PENDING);
    }

    private static JsonNode event(String execution, String status, String error) throws Exception {
        ObjectNode event = (ObjectNode) Json.parse("{\"version\":\"0\",\"detail-type\":\"Step Functions Execution Status Change\","
                + "\"source\":\"aws.states\",\"detail\":{}}");
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("name", execution).put("status", status).put("input", "{\"jobName\":\"x\"}");
        if (error != null) {
            detail.put("error", error);
        }
        return event;
    }
}
