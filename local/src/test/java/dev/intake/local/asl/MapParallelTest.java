package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Inline Map and Parallel states: ordering, concurrency limits, failures and cancellation. */
class MapParallelTest extends ScriptedExecutorTest {
    /** A Map whose iterations call function "work" with the item and output its Payload. */
    private static StateMachine mapOverWork(String mapFields) {
        return machine("Each", """
                {"Each": {"Type": "Map", MAP_FIELDS
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Work", "States": {
                             "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "work", "Payload": "{% $states.input %}"},
                                      "Output": "{% $states.result.Payload %}", "End": true}}},
                          "End": true}}
                """.replace("MAP_FIELDS", mapFields));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch timed out");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Test
    void mapResultsKeepTheItemOrderWhenIterationsFinishOutOfOrder() {
        CountDownLatch othersDone = new CountDownLatch(3);
        functions.define("work", item -> {
            if (item.intValue() == 0) {
                await(othersDone); // the first item finishes last
            } else {
                othersDone.countDown();
            }
            return IntNode.valueOf(item.intValue() * 10);
        });

        ExecutionResult result = executor.run(mapOverWork(""), json("[0, 1, 2, 3]"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo(json("[0, 10, 20, 30]"));
    }

    @Test
    void maxConcurrencyLimitsHowManyIterationsRunAtOnce() {
        CyclicBarrier threeAtATime = new CyclicBarrier(3);
        functions.define("work", item -> {
            try {
                threeAtATime.await(5, TimeUnit.SECONDS); // only passes when three iterations run together
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException(e);
            }
            return item;
        });

        ExecutionResult result = executor.run(mapOverWork("\"MaxConcurrency\": 3,"), json("[1, 2, 3, 4, 5, 6, 7, 8, 9]"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(functions.maxConcurrentInvocations()).isEqualTo(3);
        assertThat(result.output()).isEqualTo(json("[1, 2, 3, 4, 5, 6, 7, 8, 9]"));
    }

    @Test
    void maxConcurrencyOneRunsIterationsOneAfterAnother() {
        functions.define("work", item -> item);

        executor.run(mapOverWork("\"MaxConcurrency\": \"{% 1 %}\","), json("[3, 1, 2]"));

        assertThat(functions.maxConcurrentInvocations()).isEqualTo(1);
        assertThat(functions.payloads("work")).containsExactly(json("3"), json("1"), json("2"));
    }

    @Test
    void withoutMaxConcurrencyAnInlineMapRunsAtMostFortyIterationsAtOnce() {
        CountDownLatch fortyStarted = new CountDownLatch(40);
        functions.define("work", item -> {
            fortyStarted.countDown();
            await(fortyStarted);
            return item;
        });

        ExecutionResult result = executor.run(mapOverWork(""), json("[" + "1,".repeat(59) + "1]"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(functions.maxConcurrentInvocations()).isEqualTo(Interpreter.INLINE_MAP_MAX_CONCURRENCY);
    }

    @Test
    void itemsAndItemSelectorShapeEachIterationInput() {
        functions.define("work", input -> input);
        StateMachine machine = machine("Prepare", """
                {"Prepare": {"Type": "Pass", "Assign": {"bucket": "landing"}, "Next": "Each"},
                 "Each": {"Type": "Map", "Items": "{% $states.input.files %}",
                          "ItemSelector": {"key": "{% $states.context.Map.Item.Value %}", "index": "{% $states.context.Map.Item.Index %}",
                                           "bucket": "{% $bucket %}", "job": "{% $states.input.job %}"},
                          "ItemProcessor": {"StartAt": "Work", "States": {
                             "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "work", "Payload": "{% $states.input %}"},
                                      "Output": "{% $states.result.Payload %}", "End": true}}},
                          "Output": {"count": "{% $count($states.result) %}", "results": "{% $states.result %}"},
                          "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{\"job\": \"j1\", \"files\": [\"a.csv\", \"b.csv\"]}"));

        assertThat(result.output()).isEqualTo(json("""
                {"count": 2, "results": [{"key": "a.csv", "index": 0, "bucket": "landing", "job": "j1"},
                                         {"key": "b.csv", "index": 1, "bucket": "landing", "job": "j1"}]}
                """));
    }

    @Test
    void itemsThatAreNotAnArrayAreAQueryEvaluationError() {
        functions.define("work", input -> input);

        ExecutionResult fromItems = executor.run(mapOverWork("\"Items\": \"{% $states.input.files %}\","), json("{\"files\": \"a.csv\"}"));
        ExecutionResult fromInput = executor.run(mapOverWork(""), json("{\"files\": []}"));

        assertThat(fromItems.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(fromInput.error()).isEqualTo("States.QueryEvaluationError");
    }

    @Test
    void anEmptyArrayGivesAnEmptyResult() {
        assertThat(executor.run(mapOverWork("\"Items\": [],"), json("{}")).output()).isEqualTo(json("[]"));
    }

    @Test
    void aFailedIterationFailsTheMapAndStopsTheOtherIterations() {
        functions.define("work", item -> {
            if (item.intValue() == 2) {
                throw new FunctionError("BadItem", "item 2");
            }
            return item;
        });

        ExecutionResult result = executor.run(mapOverWork("\"MaxConcurrency\": 1,"), json("[0, 1, 2, 3, 4, 5]"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("BadItem");
        assertThat(functions.payloads("work")).containsExactly(json("0"), json("1"), json("2"));
    }

    @Test
    void aFailedIterationCancelsRunningSiblingsAndTheMapCatchHandlesIt() {
        CountDownLatch never = new CountDownLatch(1);
        functions.define("work", item -> {
            if (item.intValue() == 0) {
                throw new FunctionError("BadItem", "item 0");
            }
            try {
                never.await(); // only an interrupt (cancellation) ends this
            } catch (InterruptedException e) {
                throw new IllegalStateException("cancelled");
            }
            return item;
        });
        StateMachine machine = machine("Each", """
                {"Each": {"Type": "Map", "ItemProcessor": {"StartAt": "Work", "States": {
                             "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "work", "Payload": "{% $states.input %}"}, "Next": "After"},
                             "After": {"Type": "Pass", "End": true}}},
                          "Catch": [{"ErrorEquals": ["BadItem"], "Next": "Handler"}], "End": true},
                 "Handler": {"Type": "Pass", "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("[0, 1, 2]"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output().path("Error").asText()).isEqualTo("BadItem");
        assertThat(result.history()).contains("Handler").doesNotContain("After");
    }

    @Test
    void aMapIsRetriedAsAWhole() {
        AtomicInteger calls = new AtomicInteger();
        functions.define("work", item -> {
            if (calls.incrementAndGet() == 2) {
                throw new FunctionError("Flaky", "once");
            }
            return item;
        });

        ExecutionResult result = executor.run(mapOverWork("\"MaxConcurrency\": 1, \"Retry\": [{\"ErrorEquals\": [\"Flaky\"]}],"),
                json("[1, 2]"));

        assertThat(result.output()).isEqualTo(json("[1, 2]"));
        assertThat(functions.payloads("work")).containsExactly(json("1"), json("2"), json("1"), json("2"));
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    private static final String TWO_BRANCHES = """
            {"Both": {"Type": "Parallel", "Arguments": {"file": "{% $states.input.file %}"},
                      "Branches": [
                        {"StartAt": "Slow", "States": {"Slow": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                              "Arguments": {"FunctionName": "slow", "Payload": "{% $states.input %}"}, "Output": "{% $states.result.Payload %}", "End": true}}},
                        {"StartAt": "Fast", "States": {"Fast": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                              "Arguments": {"FunctionName": "fast", "Payload": "{% $states.input %}"}, "Output": "{% $states.result.Payload %}", "Next": "FastDone"},
                              "FastDone": {"Type": "Pass", "End": true}}}],
                      CATCH_FIELD
                      "End": true} HANDLER}
            """;

    private static StateMachine twoBranches(String catchField) {
        String handler = catchField.isEmpty() ? "" : ", \"Handler\": {\"Type\": \"Pass\", \"End\": true}";
        return machine("Both", TWO_BRANCHES.replace("CATCH_FIELD", catchField).replace("HANDLER", handler));
    }

    @Test
    void parallelResultsFollowTheBranchOrderAndBranchesGetTheArguments() {
        CountDownLatch fastDone = new CountDownLatch(1);
        functions.define("slow", input -> {
            await(fastDone);
            return json("{\"branch\": \"slow\", \"file\": \"" + input.path("file").asText() + "\"}");
        });
        functions.define("fast", input -> {
            fastDone.countDown();
            return json("{\"branch\": \"fast\"}");
        });

        ExecutionResult result = executor.run(twoBranches(""), json("{\"file\": \"a.csv\", \"other\": 1}"));

        assertThat(result.output()).isEqualTo(json("[{\"branch\": \"slow\", \"file\": \"a.csv\"}, {\"branch\": \"fast\"}]"));
        assertThat(functions.payloads("fast")).containsExactly(json("{\"file\": \"a.csv\"}"));
    }

    @Test
    void aFailedBranchFailsTheParallelWithItsErrorAndCancelsTheOthers() {
        CountDownLatch never = new CountDownLatch(1);
        functions.define("slow", input -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("cancelled");
            }
            return input;
        });
        functions.define("fast", input -> {
            throw new FunctionError("FastFailed", "no");
        });

        ExecutionResult failed = executor.run(twoBranches(""), json("{\"file\": \"a\"}"));
        ExecutionResult caught = executor.run(twoBranches(
                "\"Catch\": [{\"ErrorEquals\": [\"FastFailed\"], \"Next\": \"Handler\"}],"), json("{\"file\": \"a\"}"));

        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("FastFailed");
        assertThat(failed.history()).doesNotContain("FastDone");
        assertThat(caught.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(caught.history()).contains("Handler");
    }

    @Test
    void aFailStateInABranchFailsTheParallel() {
        StateMachine machine = machine("Both", """
                {"Both": {"Type": "Parallel", "Branches": [
                            {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": true}}},
                            {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Branch.No", "Cause": "because"}}}],
                          "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{}"));

        assertThat(result.error()).isEqualTo("Branch.No");
        assertThat(result.cause()).isEqualTo("because");
    }
}
