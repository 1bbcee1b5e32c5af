package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Assign and variable scope, Output shaping, $states, number handling and the JSONata functions. */
class VariablesAndDataTest {
    private final Executor executor = new Executor((name, payload) -> payload, new VirtualSleeper(), 2);

    @AfterEach
    void close() {
        executor.close();
    }

    private JsonNode output(StateMachine machine, String input) {
        ExecutionResult result = executor.run(machine, json(input));
        assertThat(result.status()).as("%s %s", result.error(), result.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return result.output();
    }

    @Test
    void assignedVariablesAreVisibleToLaterStates() {
        StateMachine machine = machine("A", """
                {"A": {"Type": "Pass", "Assign": {"job": "{% $states.input.job %}", "count": 1}, "Next": "B"},
                 "B": {"Type": "Pass", "Output": "{% {'job': $job, 'count': $count} %}", "End": true}}
                """);

        assertThat(output(machine, "{\"job\": \"j1\"}")).isEqualTo(json("{\"job\": \"j1\", \"count\": 1}"));
    }

    @Test
    void allExpressionsOfAStateSeeTheValuesFromBeforeItsAssign() {
        StateMachine machine = machine("Init", """
                {"Init": {"Type": "Pass", "Assign": {"a": 1, "b": 2}, "Next": "Swap"},
                 "Swap": {"Type": "Pass", "Assign": {"a": "{% $b %}", "b": "{% $a %}"},
                          "Output": "{% {'outputSees': [$a, $b]} %}", "Next": "Show"},
                 "Show": {"Type": "Pass", "Output": "{% {'before': $states.input, 'after': [$a, $b]} %}", "End": true}}
                """);

        assertThat(output(machine, "{}")).isEqualTo(json("{\"before\": {\"outputSees\": [1, 2]}, \"after\": [2, 1]}"));
    }

    @Test
    void iterationsReadOuterVariablesButTheirOwnAssignmentsDoNotLeakOut() {
        StateMachine machine = machine("Init", """
                {"Init": {"Type": "Pass", "Assign": {"prefix": "row-"}, "Next": "Each"},
                 "Each": {"Type": "Map", "ItemProcessor": {"StartAt": "Name", "States": {
                             "Name": {"Type": "Pass", "Assign": {"name": "{% $prefix & $states.input %}"}, "Next": "Show"},
                             "Show": {"Type": "Pass", "Output": "{% $name %}", "End": true}}},
                          "Next": "After"},
                 "After": {"Type": "Pass", "Output": "{% {'results': $states.input, 'nameOutside': $exists($name)} %}", "End": true}}
                """);

        assertThat(output(machine, "[\"a\", \"b\"]"))
                .isEqualTo(json("{\"results\": [\"row-a\", \"row-b\"], \"nameOutside\": false}"));
    }

    @Test
    void parallelBranchesHaveSeparateScopes() {
        StateMachine machine = machine("Both", """
                {"Both": {"Type": "Parallel", "Branches": [
                             {"StartAt": "Left", "States": {
                                "Left": {"Type": "Pass", "Assign": {"side": "left"}, "Next": "LeftShow"},
                                "LeftShow": {"Type": "Pass", "Output": "{% $side %}", "End": true}}},
                             {"StartAt": "Right", "States": {
                                "Right": {"Type": "Pass", "Assign": {"side": "right"}, "Next": "RightShow"},
                                "RightShow": {"Type": "Pass", "Output": "{% $side %}", "End": true}}}],
                          "Assign": {"sides": "{% $states.result %}"},
                          "Output": "{% $exists($side) %}", "Next": "Show"},
                 "Show": {"Type": "Pass", "Output": "{% {'sides': $sides, 'sideLeakedOut': $states.input} %}", "End": true}}
                """);

        assertThat(output(machine, "{}")).isEqualTo(json("{\"sides\": [\"left\", \"right\"], \"sideLeakedOut\": false}"));
    }

    @Test
    void anUndefinedReferenceIsAQueryEvaluationErrorNamingTheField() {
        StateMachine machine = machine("Shape", "{\"Shape\": {\"Type\": \"Pass\", \"Output\": {\"v\": [\"{% $notAssigned %}\"]}, \"End\": true}}");

        ExecutionResult result = executor.run(machine, json("{}"));

        assertThat(result.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(result.cause()).isEqualTo("An error occurred while executing the state 'Shape'. The JSONata expression"
                + " '$notAssigned' specified for the field 'Output/v[0]' returned nothing (undefined).");
    }

    @Test
    void aJsonataRuntimeErrorIsAQueryEvaluationError() {
        StateMachine machine = machine("Shape", "{\"Shape\": {\"Type\": \"Pass\", \"Output\": \"{% $states.input.name + 1 %}\", \"End\": true}}");

        ExecutionResult result = executor.run(machine, json("{\"name\": \"x\"}"));

        assertThat(result.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(result.cause()).contains("specified for the field 'Output' threw an error during evaluation");
    }

    @Test
    void jsonNullIsAValueNotUndefined() {
        StateMachine machine = machine("A", """
                {"A": {"Type": "Pass", "Assign": {"nothing": "{% $states.input.value %}"}, "Next": "B"},
                 "B": {"Type": "Pass", "Output": {"value": "{% $nothing %}", "exists": "{% $exists($nothing) %}"}, "End": true}}
                """);

        assertThat(output(machine, "{\"value\": null}")).isEqualTo(json("{\"value\": null, \"exists\": true}"));
    }

    @Test
    void integersStayIntegers() {
        StateMachine machine = machine("Numbers", """
                {"Numbers": {"Type": "Pass", "Output": {"same": "{% $states.input.n %}", "doubled": "{% $states.input.half * 2 %}",
                              "quarter": "{% $states.input.n / 4 %}", "sum": "{% $sum($states.input.list) %}", "big": "{% $states.input.big %}"},
                             "End": true}}
                """);

        JsonNode output = output(machine, "{\"n\": 5, \"half\": 2.5, \"list\": [1, 2], \"big\": 9007199254740993}");

        assertThat(output.toString()).isEqualTo("{\"same\":5,\"doubled\":5,\"quarter\":1.25,\"sum\":3,\"big\":9007199254740993}");
    }

    @Test
    void statesContextDescribesTheExecutionAndTheState() {
        StateMachine machine = machine("Describe", """
                {"Describe": {"Type": "Pass", "Output": {
                    "executionName": "{% $states.context.Execution.Name %}", "executionInput": "{% $states.context.Execution.Input %}",
                    "executionId": "{% $states.context.Execution.Id %}", "startTime": "{% $states.context.Execution.StartTime %}",
                    "state": "{% $states.context.State.Name %}", "entered": "{% $states.context.State.EnteredTime %}",
                    "retryCount": "{% $states.context.State.RetryCount %}"}, "End": true}}
                """);
        Execution execution = executor.start(machine, "import-42", json("{\"file\": \"a\"}"));

        ExecutionResult result = awaitResult(execution);

        JsonNode output = result.output();
        assertThat(output.path("executionName").asText()).isEqualTo("import-42");
        assertThat(output.path("executionInput")).isEqualTo(json("{\"file\": \"a\"}"));
        assertThat(output.path("executionId").asText()).endsWith(":execution:local:import-42");
        assertThat(output.path("startTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(output.path("entered").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(output.path("state").asText()).isEqualTo("Describe");
        assertThat(output.path("retryCount").intValue()).isZero();
    }

    @Test
    void stepFunctionsJsonataFunctionsAreAvailable() {
        StateMachine machine = machine("Functions", """
                {"Functions": {"Type": "Pass", "Output": {
                    "parsed": "{% $parse($states.input.text) %}", "partition": "{% $partition([1, 2, 3, 4, 5], 2) %}",
                    "range": "{% $range(0, 10, 5) %}", "hash": "{% $hash('abc', 'SHA-256') %}",
                    "uuidLength": "{% $length($uuid()) %}", "random": "{% $random(42) = $random(42) %}"}, "End": true}}
                """);

        JsonNode output = output(machine, "{\"text\": \"{\\\"a\\\": [1, true]}\"}");

        assertThat(output.path("parsed")).isEqualTo(json("{\"a\": [1, true]}"));
        assertThat(output.path("partition")).isEqualTo(json("[[1, 2], [3, 4], [5]]"));
        assertThat(output.path("range")).isEqualTo(json("[0, 5, 10]"));
        assertThat(output.path("hash").asText()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(output.path("uuidLength").intValue()).isEqualTo(36);
        assertThat(output.path("random").booleanValue()).isTrue();
    }

    @Test
    void evalIsNotAvailable() {
        StateMachine machine = machine("Eval", "{\"Eval\": {\"Type\": \"Pass\", \"Output\": \"{% $eval('1 + 1') %}\", \"End\": true}}");

        assertThat(executor.run(machine, json("{}")).error()).isEqualTo("States.QueryEvaluationError");
    }

    @Test
    void stringsThatAreNotExactlyAnExpressionAreLiterals() {
        StateMachine machine = machine("Literal", """
                {"Literal": {"Type": "Pass", "Output": {"a": " {% $states.input %}", "b": "$states.input", "c": "{% 1 %} "}, "End": true}}
                """);

        assertThat(output(machine, "{}")).isEqualTo(json("{\"a\": \" {% $states.input %}\", \"b\": \"$states.input\", \"c\": \"{% 1 %} \"}"));
    }

    private static ExecutionResult awaitResult(Execution execution) {
        try {
            assertThat(execution.await(Duration.ofSeconds(5))).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return execution.result();
    }
}
