package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Starting, naming, awaiting and stopping executions. */
class ExecutorTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AslTestKit.ScriptedFunctions functions = new AslTestKit.ScriptedFunctions()
            .define("block", payload -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted");
                }
                return payload;
            })
            .define("echo", payload -> payload);
    private final Executor executor = new Executor(functions, new VirtualSleeper(), 4);

    private static final StateMachine BLOCKING = machine("Block", """
            {"Block": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                       "Arguments": {"FunctionName": "block", "Payload": "{% $states.input %}"}, "Next": "Done"},
             "Done": {"Type": "Succeed"}}
            """);

    @AfterEach
    void close() {
        release.countDown();
        executor.close();
    }

    @Test
    void startRunsTheExecutionInTheBackground() throws InterruptedException {
        Execution execution = executor.start(BLOCKING, "import-1", json("{\"file\": \"a\"}"));

        assertThat(execution.name()).isEqualTo("import-1");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(execution.await(Duration.ofMillis(20))).isFalse();
        release.countDown();
        assertThat(execution.await(Duration.ofSeconds(5))).isTrue();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output().path("Payload")).isEqualTo(json("{\"file\": \"a\"}"));
        assertThat(execution.error()).isNull();
        assertThat(execution.history()).containsExactly("Block", "Done");
    }

    @Test
    void startingTheSameNameWithTheSameInputWhileRunningReturnsTheSameExecution() {
        Execution first = executor.start(BLOCKING, "import-1", json("{\"file\": \"a\"}"));

        Execution again = executor.start(BLOCKING, "import-1", json("{\"file\": \"a\"}"));

        assertThat(again).isSameAs(first);
        assertThat(functions.invocations()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void startingTheSameNameWithADifferentInputFails() {
        executor.start(BLOCKING, "import-1", json("{\"file\": \"a\"}"));

        assertThatThrownBy(() -> executor.start(BLOCKING, "import-1", json("{\"file\": \"b\"}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class)
                .hasMessageContaining("import-1");
    }

    @Test
    void aClosedExecutionsNameCannotBeReusedEvenWithTheSameInput() throws InterruptedException {
        release.countDown();
        Execution first = executor.start(BLOCKING, "import-1", json("{\"file\": \"a\"}"));
        assertThat(first.await(Duration.ofSeconds(5))).isTrue();

        assertThatThrownBy(() -> executor.start(BLOCKING, "import-1", json("{\"file\": \"a\"}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "a:b", "x$y", "tab\tname", "{braces}",
            "012345678901234567890123456789012345678901234567890123456789012345678901234567890"})
    void rejectsInvalidExecutionNames(String name) {
        assertThatThrownBy(() -> executor.start(BLOCKING, name, json("{}"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stopAbortsARunningExecutionAndCancelsItsWork() throws InterruptedException {
        Execution execution = executor.start(BLOCKING, "import-1", json("{}"));
        awaitInvocation();

        execution.stop("Operator.Cancelled", "stopped by test");

        assertThat(execution.await(Duration.ofSeconds(5))).isTrue();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(execution.error()).isEqualTo("Operator.Cancelled");
        assertThat(execution.cause()).isEqualTo("stopped by test");
        Thread.sleep(50); // give the interrupted task a moment: it must not move on to the next state
        assertThat(execution.history()).containsExactly("Block");
    }

    @Test
    void aMissingInputIsAnEmptyObject() {
        StateMachine echo = machine("Echo", "{\"Echo\": {\"Type\": \"Pass\", \"End\": true}}");

        assertThat(executor.run(echo, null).output()).isEqualTo(json("{}"));
    }

    @Test
    void runsOnACallerSuppliedPool() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Executor onPool = new Executor(functions, new VirtualSleeper(), pool)) {
            StateMachine twoBranches = machine("Both", """
                    {"Both": {"Type": "Parallel", "End": true, "Branches": [
                        {"StartAt": "One", "States": {"One": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                              "Arguments": {"FunctionName": "echo", "Payload": 1}, "Output": "{% $states.result.Payload %}", "End": true}}},
                        {"StartAt": "Two", "States": {"Two": {"Type": "Pass", "Output": 2, "End": true}}}]}}
                    """);

            assertThat(onPool.run(twoBranches, json("{}")).output()).isEqualTo(json("[1, 2]"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRunawayLoopFailsWithStatesRuntimeAtTheTransitionLimit() {
        StateMachine loop = machine("Loop", """
                {"Loop": {"Type": "Pass", "Next": "Again"},
                 "Again": {"Type": "Choice", "Choices": [{"Condition": true, "Next": "Loop"}], "Default": "Out"},
                 "Out": {"Type": "Succeed"}}
                """);

        ExecutionResult result = executor.run(loop, json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.Runtime");
        assertThat(result.cause()).contains("25000 state transitions");
        assertThat(result.history()).hasSize(Interpreter.MAX_STATE_TRANSITIONS);
    }

    private void awaitInvocation() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (functions.invocations().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(functions.invocations()).isNotEmpty();
    }
}
