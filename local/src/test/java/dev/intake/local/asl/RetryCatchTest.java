package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retry (backoff, caps, jitter, per-retrier counts) and Catch (ordering, wildcards, error output). */
class RetryCatchTest extends ScriptedExecutorTest {
    /** Task Ingest, then Done; the handler states exist only when a catcher goes to them (unreachable states are invalid). */
    private static StateMachine task(String retry, String catchers) {
        String handlers = (catchers.contains("\"Handler\"") ? ", \"Handler\": {\"Type\": \"Pass\", \"End\": true}" : "")
                + (catchers.contains("\"OtherHandler\"") ? ", \"OtherHandler\": {\"Type\": \"Pass\", \"End\": true}" : "");
        return machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "ingest", "Payload": {"retryCount": "{% $states.context.State.RetryCount %}"}},
                            "Retry": RETRIERS, "Catch": CATCHERS, "Next": "Done"},
                 "Done": {"Type": "Succeed"} HANDLERS}
                """.replace("RETRIERS", retry).replace("CATCHERS", catchers).replace("HANDLERS", handlers));
    }

    /** A function that fails with {@code error} the first {@code failures} times, then succeeds. */
    private void failTimes(int failures, String error) {
        AtomicInteger calls = new AtomicInteger();
        functions.define("ingest", payload -> {
            if (calls.incrementAndGet() <= failures) {
                throw new FunctionError(error, "attempt " + calls.get());
            }
            return json("{\"ok\": true}");
        });
    }

    @Test
    void retriesWithExponentialBackoffAndCountsRetriesInTheContext() {
        failTimes(3, "Flaky");

        ExecutionResult result = executor.run(task("[{\"ErrorEquals\": [\"Flaky\"], \"IntervalSeconds\": 1, \"MaxAttempts\": 3, \"BackoffRate\": 2}]", "[]"),
                json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(functions.payloads("ingest")).extracting(p -> p.get("retryCount").intValue()).containsExactly(0, 1, 2, 3);
        assertThat(result.history()).containsExactly("Ingest", "Done");
    }

    @Test
    void retryDefaultsAreOneSecondThreeAttemptsBackoffTwo() {
        failTimes(10, "Flaky");

        ExecutionResult result = executor.run(task("[{\"ErrorEquals\": [\"Flaky\"]}]", "[]"), json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("Flaky");
        assertThat(functions.invocations()).hasSize(4);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void maxDelaySecondsCapsTheInterval() {
        failTimes(10, "Flaky");

        executor.run(task("[{\"ErrorEquals\": [\"Flaky\"], \"IntervalSeconds\": 3, \"BackoffRate\": 3, \"MaxAttempts\": 4,"
                + " \"MaxDelaySeconds\": 10}]", "[]"), json("{}"));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    @Test
    void fractionalBackoffRatesGiveFractionalIntervals() {
        failTimes(10, "Flaky");

        executor.run(task("[{\"ErrorEquals\": [\"Flaky\"], \"IntervalSeconds\": 1, \"BackoffRate\": 1.5, \"MaxAttempts\": 3}]", "[]"), json("{}"));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofMillis(2250));
    }

    @Test
    void fullJitterWaitsBetweenZeroAndTheComputedInterval() {
        failTimes(10, "Flaky");

        executor.run(task("[{\"ErrorEquals\": [\"Flaky\"], \"IntervalSeconds\": 4, \"MaxAttempts\": 3, \"JitterStrategy\": \"FULL\"}]", "[]"),
                json("{}"));

        assertThat(sleeper.sleeps()).hasSizeLessThanOrEqualTo(3);
        long[] caps = {4000, 8000, 16000};
        for (int i = 0; i < sleeper.sleeps().size(); i++) {
            assertThat(sleeper.sleeps().get(i).toMillis()).isBetween(0L, caps[i]);
        }
        assertThat(functions.invocations()).hasSize(4);
    }

    @Test
    void maxAttemptsZeroNeverRetries() {
        failTimes(1, "Flaky");

        ExecutionResult result = executor.run(task("[{\"ErrorEquals\": [\"Flaky\"], \"MaxAttempts\": 0}]", "[]"), json("{}"));

        assertThat(result.error()).isEqualTo("Flaky");
        assertThat(functions.invocations()).hasSize(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void theFirstMatchingRetrierDecidesAndKeepsItsOwnCount() {
        failTimes(10, "Flaky");

        ExecutionResult result = executor.run(task("[{\"ErrorEquals\": [\"Flaky\"], \"MaxAttempts\": 1},"
                + " {\"ErrorEquals\": [\"States.ALL\"], \"MaxAttempts\": 5}]", "[]"), json("{}"));

        assertThat(result.error()).isEqualTo("Flaky");
        assertThat(functions.invocations()).hasSize(2); // once plus one retry; States.ALL is never consulted
    }

    @Test
    void exhaustedRetriesGoToTheCatchWithTheErrorOutput() {
        failTimes(10, "Flaky");
        StateMachine machine = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "ingest", "Payload": {}},
                            "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 2}],
                            "Catch": [{"ErrorEquals": ["Flaky"], "Next": "Handler",
                                       "Assign": {"failedWith": "{% $states.errorOutput.Error %}"}}],
                            "End": true},
                 "Handler": {"Type": "Pass", "Output": "{% {'caught': $states.input, 'variable': $failedWith} %}", "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{\"file\": \"a\"}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(functions.invocations()).hasSize(3);
        assertThat(result.history()).containsExactly("Ingest", "Handler");
        assertThat(result.output().path("variable").asText()).isEqualTo("Flaky");
        assertThat(result.output().path("caught").path("Error").asText()).isEqualTo("Flaky");
        assertThat(json(result.output().path("caught").path("Cause").asText())).isEqualTo(
                json("{\"errorMessage\": \"attempt 3\", \"errorType\": \"Flaky\", \"stackTrace\": []}"));
    }

    @Test
    void theFirstMatchingCatcherWins() {
        failTimes(10, "Specific");

        ExecutionResult result = executor.run(task("[]", "[{\"ErrorEquals\": [\"Other\"], \"Next\": \"OtherHandler\"},"
                + " {\"ErrorEquals\": [\"Specific\"], \"Next\": \"Handler\"}, {\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"OtherHandler\"}]"),
                json("{}"));

        assertThat(result.history()).containsExactly("Ingest", "Handler");
    }

    @Test
    void statesAllCatchesAnyError() {
        failTimes(10, "Anything");

        ExecutionResult result = executor.run(task("[]", "[{\"ErrorEquals\": [\"Other\"], \"Next\": \"OtherHandler\"},"
                + " {\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"Handler\"}]"), json("{}"));

        assertThat(result.history()).containsExactly("Ingest", "Handler");
        assertThat(result.output().path("Error").asText()).isEqualTo("Anything");
    }

    @Test
    void catchOutputShapesTheOutputAndDefaultsToTheErrorOutput() {
        failTimes(10, "Bad");
        StateMachine machine = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "ingest", "Payload": {}},
                            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler",
                                       "Output": {"file": "{% $states.input.file %}", "error": "{% $states.errorOutput.Error %}"}}],
                            "End": true},
                 "Handler": {"Type": "Pass", "End": true}}
                """);

        assertThat(executor.run(machine, json("{\"file\": \"a\"}")).output()).isEqualTo(json("{\"file\": \"a\", \"error\": \"Bad\"}"));
    }

    @Test
    void statesTaskFailedMatchesFunctionErrorsButNotTimeouts() {
        failTimes(10, "Custom");
        ExecutionResult caught = executor.run(task("[]", "[{\"ErrorEquals\": [\"States.TaskFailed\"], \"Next\": \"Handler\"}]"), json("{}"));
        assertThat(caught.history()).containsExactly("Ingest", "Handler");

        functions.define("ingest", payload -> {
            try {
                sleeper.sleep(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json("{}");
        });
        StateMachine timingOut = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5,
                            "Arguments": {"FunctionName": "ingest", "Payload": {}},
                            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Handler"},
                                      {"ErrorEquals": ["States.ALL"], "Next": "TimeoutHandler"}], "End": true},
                 "Handler": {"Type": "Pass", "End": true},
                 "TimeoutHandler": {"Type": "Pass", "End": true}}
                """);
        ExecutionResult timedOut = executor.run(timingOut, json("{}"));
        assertThat(timedOut.history()).containsExactly("Ingest", "TimeoutHandler");
        assertThat(timedOut.output().path("Error").asText()).isEqualTo("States.Timeout");
    }

    @Test
    void retriesAStatesTimeout() {
        AtomicInteger calls = new AtomicInteger();
        functions.define("ingest", payload -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    sleeper.sleep(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return json("{\"attempt\": " + calls.get() + "}");
        });
        StateMachine machine = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5,
                            "Arguments": {"FunctionName": "ingest", "Payload": {}},
                            "Retry": [{"ErrorEquals": ["States.Timeout"]}], "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output().at("/Payload/attempt").intValue()).isEqualTo(2);
    }

    @Test
    void aQueryEvaluationErrorCanBeCaught() {
        functions.define("ingest", payload -> json("{}"));
        StateMachine machine = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "ingest", "Payload": "{% $states.input.missing %}"},
                            "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Handler"}], "End": true},
                 "Handler": {"Type": "Pass", "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{}"));

        assertThat(result.history()).containsExactly("Ingest", "Handler");
        assertThat(result.output().path("Error").asText()).isEqualTo("States.QueryEvaluationError");
        assertThat(functions.invocations()).isEmpty();
    }

    @Test
    void statesAllDoesNotCatchStatesRuntime() {
        StateMachine machine = machine("P", """
                {"P": {"Type": "Parallel", "Branches": [{"StartAt": "Loop", "States": {
                          "Loop": {"Type": "Pass", "Next": "Again"},
                          "Again": {"Type": "Choice", "Choices": [{"Condition": true, "Next": "Loop"}], "Default": "Out"},
                          "Out": {"Type": "Succeed"}}}],
                       "Retry": [{"ErrorEquals": ["States.ALL"]}],
                       "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}], "End": true},
                 "Handler": {"Type": "Pass", "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.Runtime");
        assertThat(result.history()).doesNotContain("Handler").hasSize(Interpreter.MAX_STATE_TRANSITIONS);
        assertThat(sleeper.sleeps()).isEmpty();
    }
}
