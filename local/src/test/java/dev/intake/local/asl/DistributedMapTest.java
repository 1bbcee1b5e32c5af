package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Distributed Map states: items read by an ItemReader from a JSON Lines object, ItemSelector, MaxConcurrency,
 * child executions (own variables, context and transition count), tolerated failures and the Map Run's errors.
 */
class DistributedMapTest extends ScriptedExecutorTest {
    private static final String READER = """
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
                           "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "{% $states.input.key %}"}},""";

    /**
     * A Pass that assigns $job, then a Distributed Map over s3://items/list.jsonl whose children call "work" with
     * what ItemSelector makes of each item and output its Payload; the Map's Output is its result.
     */
    private static StateMachine distributed(String mapFields) {
        return machine("Remember", """
                {"Remember": {"Type": "Pass", "Assign": {"job": "job-7"}, "Next": "Each"},
                 "Each": {"Type": "Map", READER MAP_FIELDS
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                             "StartAt": "Work", "States": {
                             "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "work", "Payload": "{% $states.input %}"},
                                      "Output": "{% $states.result.Payload %}", "End": true}}},
                          "End": true}}
                """.replace("READER", READER).replace("MAP_FIELDS", mapFields));
    }

    private static final JsonNode LOCATION = json("{\"bucket\": \"items\", \"key\": \"list.jsonl\"}");

    private void putItems(int count) {
        StringBuilder lines = new StringBuilder();
        IntStream.range(0, count).forEach(i -> lines.append("{\"n\": ").append(i).append("}\n"));
        objects.put("s3://items/list.jsonl", lines.toString());
    }

    @Test
    void readsOneItemPerLineAndSelectsEachChildsInputFromItAndTheParentsVariables() {
        objects.put("s3://items/list.jsonl", "{\"n\": 0}\n\n{\"n\": 1}\n{\"n\": 2}"); // a blank line; no final newline
        functions.define("work", payload -> payload);

        ExecutionResult result = executor.run(distributed("""
                "ItemSelector": {"job": "{% $job %}", "n": "{% $states.context.Map.Item.Value.n %}",
                                 "index": "{% $states.context.Map.Item.Index %}", "pass": 1},
                "Label": "Ingest", "ToleratedFailurePercentage": 0,"""), LOCATION);

        assertThat(result.status()).as("%s: %s", result.error(), result.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo(json("""
                [{"job": "job-7", "n": 0, "index": 0, "pass": 1}, {"job": "job-7", "n": 1, "index": 1, "pass": 1},
                 {"job": "job-7", "n": 2, "index": 2, "pass": 1}]"""));
        assertThat(result.history()).as("the children's states are in their own histories").containsExactly("Remember", "Each");
    }

    @Test
    void maxConcurrencyLimitsHowManyChildrenRunAtOnce() {
        putItems(40);
        functions.define("work", payload -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return payload;
        });

        ExecutionResult result = executor.run(distributed("\"MaxConcurrency\": \"{% 3 %}\","), LOCATION);

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).hasSize(40);
        assertThat(functions.maxConcurrentInvocations()).isBetween(2, 3);
    }

    @Test
    void aChildExecutionSeesNoneOfTheParentsVariablesAndHasAContextOfItsOwn() {
        objects.put("s3://items/list.jsonl", "{\"n\": 0}\n{\"n\": 1}\n");
        StateMachine machine = machine("Remember", """
                {"Remember": {"Type": "Pass", "Assign": {"job": "job-7"}, "Next": "Each"},
                 "Each": {"Type": "Map", READER "Label": "Ingest",
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                             "StartAt": "Look", "States": {
                             "Look": {"Type": "Pass", "Output": {"sees": "{% $exists($job) %}",
                                      "name": "{% $states.context.Execution.Name %}",
                                      "id": "{% $states.context.Execution.Id %}",
                                      "input": "{% $states.context.Execution.Input %}"}, "End": true}}},
                          "End": true}}
                """.replace("READER", READER));

        ExecutionResult result = executor.run(machine, LOCATION);

        assertThat(result.status()).as("%s: %s", result.error(), result.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            JsonNode child = result.output().get(i);
            assertThat(child.get("sees").asBoolean()).as("the parent's $job").isFalse();
            assertThat(child.get("input")).isEqualTo(json("{\"n\": " + i + "}"));
            assertThat(child.get("id").asText()).contains("/Ingest:").endsWith(":" + i);
            names.add(child.get("name").asText());
        }
        assertThat(names).as("each child execution has a name of its own").hasSize(2);
    }

    @Test
    void eachChildCountsItsOwnStateTransitionsSoAMapRunCanHaveMoreItemsThanAnExecutionHasTransitions() {
        putItems(Interpreter.MAX_STATE_TRANSITIONS + 100);
        StateMachine machine = machine("Each", """
                {"Each": {"Type": "Map", READER "MaxConcurrency": 8,
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                             "StartAt": "Work", "States": {"Work": {"Type": "Pass", "Output": {}, "End": true}}},
                          "End": true}}
                """.replace("READER", READER)); // each child outputs {}: the Map's result must fit 256 KiB

        ExecutionResult result = executor.run(machine, LOCATION);

        assertThat(result.status()).as("%s: %s", result.error(), result.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).hasSize(Interpreter.MAX_STATE_TRANSITIONS + 100);
    }

    @Test
    void aFailedChildFailsTheMapRunWithTheThresholdErrorAndStopsTheOthers() {
        putItems(50);
        functions.define("work", payload -> {
            if (payload.get("n").asInt() == 2) {
                throw new FunctionError("Chunk.Broken", "item 2 is broken");
            }
            return payload;
        });

        ExecutionResult result = executor.run(distributed("\"MaxConcurrency\": 1, \"ToleratedFailurePercentage\": 0,"),
                LOCATION);

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertThat(result.cause()).isEqualTo("The specified tolerated failure threshold was exceeded");
        assertThat(functions.payloads("work")).as("no child starts after the Map Run failed").hasSize(3);
    }

    @Test
    void theMapRunsErrorIsCaughtLikeAnyStatesError() {
        putItems(3);
        functions.define("work", payload -> {
            throw new FunctionError("Chunk.Broken", "broken");
        });
        StateMachine machine = machine("Each", """
                {"Each": {"Type": "Map", READER
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                             "StartAt": "Work", "States": {
                             "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "work", "Payload": "{% $states.input %}"}, "End": true}}},
                          "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Caught",
                                     "Output": "{% $states.errorOutput %}"}],
                          "End": true},
                 "Caught": {"Type": "Succeed"}}
                """.replace("READER", READER));

        ExecutionResult result = executor.run(machine, LOCATION);

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo(json("{\"Error\": \"States.ExceedToleratedFailureThreshold\","
                + " \"Cause\": \"The specified tolerated failure threshold was exceeded\"}"));
    }

    @Test
    void failuresUpToTheToleratedCountLeaveTheChildsErrorOutputAsItsResult() {
        putItems(4);
        functions.define("work", payload -> {
            if (payload.get("n").asInt() == 1) {
                throw new FunctionError("Chunk.Broken", "item 1 is broken");
            }
            return payload;
        });

        ExecutionResult tolerated = executor.run(distributed("\"ToleratedFailureCount\": 1,"), LOCATION);

        assertThat(tolerated.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(tolerated.output().get(0)).isEqualTo(json("{\"n\": 0}"));
        assertThat(tolerated.output().get(1).get("Error").asText()).isEqualTo("Chunk.Broken");
        assertThat(json(tolerated.output().get(1).get("Cause").asText()).get("errorMessage").asText())
                .isEqualTo("item 1 is broken");
    }

    @Test
    void theToleratedPercentageIsOfAllItems() {
        putItems(4);
        functions.define("work", payload -> {
            if (payload.get("n").asInt() < 2) {
                throw new FunctionError("Chunk.Broken", "broken");
            }
            return payload;
        });
        assertThat(executor.run(distributed("\"ToleratedFailurePercentage\": 50,"), LOCATION).status())
                .as("2 of 4 failed: 50 %").isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(executor.run(distributed("\"ToleratedFailurePercentage\": 49.5,"), LOCATION).error())
                .isEqualTo("States.ExceedToleratedFailureThreshold");
    }

    @Test
    void aMissingObjectFailsTheStateWithItemReaderFailed() {
        functions.define("work", payload -> payload);

        ExecutionResult result = executor.run(distributed(""), LOCATION);

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.ItemReaderFailed");
        assertThat(result.cause()).startsWith("Could not read the items of s3://items/list.jsonl: ")
                .contains("The specified key does not exist");
        assertThat(functions.invocations()).isEmpty();
    }

    @Test
    void aLineThatIsNotJsonFailsTheStateWithItemReaderFailedNamingTheLine() {
        objects.put("s3://items/list.jsonl", "{\"n\": 0}\n{\"n\": \n");
        functions.define("work", payload -> payload);

        ExecutionResult result = executor.run(distributed(""), LOCATION);

        assertThat(result.error()).isEqualTo("States.ItemReaderFailed");
        assertThat(result.cause()).startsWith("Line 2 of s3://items/list.jsonl is not a JSON value");
        assertThat(functions.invocations()).isEmpty();
    }

    @Test
    void itemReaderArgumentsThatAreNotStringsFailWithItemReaderFailed() {
        functions.define("work", payload -> payload);

        ExecutionResult result = executor.run(distributed(""), json("{\"bucket\": \"items\", \"key\": 7}"));

        assertThat(result.error()).isEqualTo("States.ItemReaderFailed");
        assertThat(result.cause()).contains("must give Bucket and Key as strings");
    }

    @Test
    void withoutAnItemReaderADistributedMapIteratesItsItemsLikeAnInlineOne() {
        functions.define("work", payload -> IntNode.valueOf(payload.intValue() * 2));
        StateMachine machine = machine("Each", """
                {"Each": {"Type": "Map", "Items": "{% $states.input.values %}",
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                             "StartAt": "Work", "States": {
                             "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "work", "Payload": "{% $states.input %}"},
                                      "Output": "{% $states.result.Payload %}", "End": true}}},
                          "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{\"values\": [1, 2, 3]}"));

        assertThat(result.output()).isEqualTo(json("[2, 4, 6]"));
    }
}
