package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Task states with Resource arn:aws:states:::lambda:invoke. */
class TaskStateTest extends ScriptedExecutorTest {
    private static StateMachine singleTask(String extraFields) {
        return machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "ingest", "Payload": {"file": "{% $states.input.file %}", "size": "{% $states.input.size %}"}},
                            EXTRA_FIELDS
                            "End": true}}
                """.replace("EXTRA_FIELDS", extraFields));
    }

    @Test
    void invokesTheFunctionWithTheEvaluatedPayloadAndReturnsTheLambdaIntegrationResult() {
        functions.define("ingest", payload -> json("{\"rows\": 3, \"ratio\": 0.5}"));

        ExecutionResult result = executor.run(singleTask(""), json("{\"file\": \"a.csv\", \"size\": 42}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(functions.invocations()).containsExactly(
                new AslTestKit.Invocation("ingest", json("{\"file\": \"a.csv\", \"size\": 42}")));
        assertThat(result.output()).isEqualTo(json(
                "{\"ExecutedVersion\": \"$LATEST\", \"Payload\": {\"rows\": 3, \"ratio\": 0.5}, \"StatusCode\": 200}"));
        assertThat(functions.payloads("ingest").get(0).get("size").isIntegralNumber()).isTrue();
    }

    @Test
    void outputAndAssignSeeTheResultAsStatesResult() {
        functions.define("ingest", payload -> json("{\"rows\": 3}"));
        StateMachine machine = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "ingest", "Payload": {}},
                            "Assign": {"rows": "{% $states.result.Payload.rows %}"},
                            "Output": {"file": "{% $states.input.file %}", "rows": "{% $states.result.Payload.rows %}"},
                            "Next": "Report"},
                 "Report": {"Type": "Pass", "Output": "{% {'rowsVariable': $rows, 'input': $states.input} %}", "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{\"file\": \"a.csv\"}"));

        assertThat(result.output()).isEqualTo(json(
                "{\"rowsVariable\": 3, \"input\": {\"file\": \"a.csv\", \"rows\": 3}}"));
    }

    @Test
    void aFunctionErrorFailsTheStateWithTheErrorTypeAndTheLambdaCause() {
        functions.define("ingest", payload -> {
            throw new FunctionError("ValidationError", "header row missing");
        });

        ExecutionResult result = executor.run(singleTask(""), json("{\"file\": \"a.csv\", \"size\": 1}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("ValidationError");
        assertThat(json(result.cause())).isEqualTo(json(
                "{\"errorMessage\": \"header row missing\", \"errorType\": \"ValidationError\", \"stackTrace\": []}"));
        assertThat(result.cause()).startsWith("{\"errorMessage\":");
    }

    @Test
    void anUnexpectedExceptionFromTheInvokerIsStatesTaskFailed() {
        functions.define("ingest", payload -> {
            throw new IllegalStateException("connection refused");
        });

        ExecutionResult result = executor.run(singleTask(""), json("{\"file\": \"a.csv\", \"size\": 1}"));

        assertThat(result.error()).isEqualTo("States.TaskFailed");
        assertThat(result.cause()).contains("connection refused");
    }

    @Test
    void aFunctionNameFromAnExpressionIsUsed() {
        functions.define("ingest-v2", payload -> json("{}"));
        StateMachine machine = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "{% 'ingest-' & $states.input.version %}", "Payload": "{% $states.input %}"},
                            "End": true}}
                """);

        assertThat(executor.run(machine, json("{\"version\": \"v2\"}")).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(functions.invocations()).extracting(AslTestKit.Invocation::functionName).containsExactly("ingest-v2");
    }

    @Test
    void timeoutSecondsFailsTheStateWithStatesTimeout() {
        functions.define("ingest", payload -> {
            try {
                sleeper.sleep(Duration.ofSeconds(30)); // the function "takes" 30 virtual seconds
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json("{}");
        });

        ExecutionResult result = executor.run(singleTask("\"TimeoutSeconds\": 10,"), json("{\"file\": \"a\", \"size\": 1}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.Timeout");
    }

    @Test
    void aTaskFinishingWithinTimeoutSecondsSucceeds() {
        functions.define("ingest", payload -> {
            try {
                sleeper.sleep(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json("{\"ok\": true}");
        });

        ExecutionResult result = executor.run(singleTask("\"TimeoutSeconds\": \"{% 10 %}\","), json("{\"file\": \"a\", \"size\": 1}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output().at("/Payload/ok").booleanValue()).isTrue();
    }

    @Test
    void aFunctionErrorWithinTimeoutSecondsKeepsItsErrorType() {
        functions.define("ingest", payload -> {
            throw new FunctionError("Boom", "no");
        });

        ExecutionResult result = executor.run(singleTask("\"TimeoutSeconds\": 10,"), json("{\"file\": \"a\", \"size\": 1}"));

        assertThat(result.error()).isEqualTo("Boom");
    }

    @Test
    void anUndefinedArgumentIsAQueryEvaluationErrorNamingTheField() {
        functions.define("ingest", payload -> json("{}"));

        ExecutionResult result = executor.run(singleTask(""), json("{\"file\": \"a.csv\"}"));

        assertThat(result.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(result.cause()).isEqualTo("An error occurred while executing the state 'Ingest'. The JSONata expression"
                + " '$states.input.size' specified for the field 'Arguments/Payload/size' returned nothing (undefined).");
        assertThat(functions.invocations()).isEmpty();
    }

    @Test
    void aFunctionChangingItsPayloadCannotChangeTheDefinition() {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        functions.define("ingest", payload -> {
            received.add(payload.deepCopy());
            ((ObjectNode) payload).put("file", "changed");
            return payload;
        });
        StateMachine machine = machine("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "ingest", "Payload": {"file": "constant"}}, "End": true}}
                """);

        executor.run(machine, json("{}"));
        executor.run(machine, json("{}"));

        assertThat(received).containsExactly(json("{\"file\": \"constant\"}"), json("{\"file\": \"constant\"}"));
    }
}
