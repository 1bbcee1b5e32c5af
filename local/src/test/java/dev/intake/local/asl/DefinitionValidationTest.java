package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parse-time validation: everything not implemented is rejected, naming the state. */
class DefinitionValidationTest {
    private static final String INVOKE = "\"Resource\": \"arn:aws:states:::lambda:invoke\","
            + " \"Arguments\": {\"FunctionName\": \"f\", \"Payload\": {}}";

    private static void assertRejected(String definition, String message) {
        assertThatThrownBy(() -> StateMachine.parse(definition))
                .isInstanceOf(AslValidationException.class)
                .hasMessageContaining(message);
    }

    /** A machine whose only state is the given Task-like state named Ingest, with extra fields. */
    private static String ingest(String type, String fields) {
        return definition("Ingest", "{\"Ingest\": {\"Type\": \"" + type + "\", " + fields + "}}");
    }

    @Test
    void acceptsAValidJsonataDefinition() {
        StateMachine machine = StateMachine.parse(definition("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                            "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxDelaySeconds": 10, "JitterStrategy": "FULL"}],
                            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "Output": "{% $states.errorOutput %}"}],
                            "Next": "Done"},
                 "Done": {"Type": "Succeed"},
                 "Failed": {"Type": "Fail", "Error": "Ingest.Failed", "Cause": "{% $states.input.Cause %}"}}
                """));
        assertThat(machine.definition().path("StartAt").asText()).isEqualTo("Ingest");
    }

    @Test
    void rejectsJsonPathStatesBecauseJsonPathIsTheDefaultQueryLanguage() {
        assertRejected("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}",
                "State 'A': QueryLanguage is JSONPath; the local executor supports only JSONata");
        assertRejected(definition("A", "{\"A\": {\"Type\": \"Pass\", \"QueryLanguage\": \"JSONPath\", \"End\": true}}"),
                "State 'A': QueryLanguage is JSONPath");
    }

    @Test
    void acceptsJsonataSetOnEveryStateOfAJsonPathMachine() {
        StateMachine.parse("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"QueryLanguage\": \"JSONata\", \"End\": true}}}");
    }

    @ParameterizedTest
    @CsvSource({"Task,InputPath", "Task,Parameters", "Task,ResultPath", "Task,ResultSelector", "Task,OutputPath",
            "Pass,Result", "Map,ItemsPath", "Map,MaxConcurrencyPath", "Task,TimeoutSecondsPath", "Task,HeartbeatSecondsPath"})
    void rejectsJsonPathFields(String type, String field) {
        String fields = type.equals("Map")
                ? "\"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}"
                : type.equals("Task") ? INVOKE : "\"Comment\": \"x\"";
        assertRejected(ingest(type, fields + ", \"" + field + "\": \"$.x\", \"End\": true"),
                "State 'Ingest': field '" + field + "' belongs to the JSONPath query language");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ItemBatcher", "ResultWriter", "Iterator", "Parameters2", "ToleratedFailureCountPath"})
    void rejectsMapFieldsTheLocalExecutorDoesNotImplement(String field) {
        assertRejected(ingest("Map", "\"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}},"
                        + " \"" + field + "\": {}, \"End\": true"),
                "State 'Ingest': field '" + field + "' is not supported by the local executor");
        assertRejected(ingest("Map", DISTRIBUTED + ", \"" + field + "\": {}, \"End\": true"),
                "State 'Ingest': field '" + field + "' is not supported by the local executor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ItemReader", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label"})
    void rejectsDistributedMapFieldsInAnInlineMap(String field) {
        assertRejected(ingest("Map", "\"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}},"
                        + " \"" + field + "\": 1, \"End\": true"),
                "State 'Ingest': field '" + field + "' is valid only in a Distributed Map");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HeartbeatSeconds", "Credentials"})
    void rejectsTaskFieldsTheLocalExecutorDoesNotImplement(String field) {
        assertRejected(ingest("Task", INVOKE + ", \"" + field + "\": 10, \"End\": true"),
                "State 'Ingest': field '" + field + "' is not supported by the local executor");
    }

    /** An ItemProcessor of a Distributed Map (STANDARD children) of one Pass state. */
    private static final String DISTRIBUTED = "\"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\","
            + " \"ExecutionType\": \"STANDARD\"}, \"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}";
    private static final String READER = "\"ItemReader\": {\"Resource\": \"arn:aws:states:::s3:getObject\","
            + " \"ReaderConfig\": {\"InputType\": \"JSONL\"}, \"Arguments\": {\"Bucket\": \"b\", \"Key\": \"k\"}}";

    @Test
    void acceptsADistributedMapOverAJsonLinesObject() {
        StateMachine.parse(ingest("Map", DISTRIBUTED + ", " + READER + ", \"MaxConcurrency\": \"{% 4 %}\","
                + " \"ToleratedFailurePercentage\": 0, \"ToleratedFailureCount\": 0, \"Label\": \"Ingest\","
                + " \"ItemSelector\": {\"chunk\": \"{% $states.context.Map.Item.Value %}\"}, \"End\": true"));
    }

    @Test
    void rejectsWhatADistributedMapDoesNotAllowOrTheLocalExecutorDoesNotImplement() {
        String processor = "\"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\"%s},"
                + " \"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, \"End\": true";
        assertRejected(ingest("Map", String.format(processor, "")),
                "State 'Ingest': a DISTRIBUTED ItemProcessor needs ProcessorConfig ExecutionType (STANDARD or EXPRESS)");
        assertRejected(ingest("Map", String.format(processor, ", \"ExecutionType\": \"EXPRESS\"")),
                "State 'Ingest': ProcessorConfig ExecutionType EXPRESS is not supported by the local executor (only STANDARD)");
        assertRejected(ingest("Map", String.format(processor, ", \"ExecutionType\": \"FAST\"")),
                "State 'Ingest': ProcessorConfig ExecutionType must be STANDARD or EXPRESS, not 'FAST'");
        assertRejected(ingest("Map", "\"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"PARALLEL\"},"
                        + " \"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, \"End\": true"),
                "State 'Ingest': ItemProcessor Mode must be INLINE or DISTRIBUTED, not 'PARALLEL'");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER.replace("JSONL", "CSV") + ", \"End\": true"),
                "State 'Ingest': ItemReader InputType CSV is not supported by the local executor (only JSONL)");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER.replace("JSONL", "XML") + ", \"End\": true"),
                "State 'Ingest': ItemReader InputType must be one of CSV, JSON, JSONL, PARQUET, MANIFEST, not 'XML'");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER.replace("s3:getObject", "s3:listObjectsV2") + ", \"End\": true"),
                "State 'Ingest': ItemReader Resource 'arn:aws:states:::s3:listObjectsV2' is not supported by the local executor");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER.replace("\"InputType\": \"JSONL\"",
                        "\"InputType\": \"JSONL\", \"MaxItems\": 10") + ", \"End\": true"),
                "State 'Ingest': field 'ItemReader/ReaderConfig/MaxItems' is not supported by the local executor");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER.replace("Arguments", "Parameters") + ", \"End\": true"),
                "State 'Ingest': field 'ItemReader/Parameters' belongs to the JSONPath query language");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER.replace(", \"Key\": \"k\"", "") + ", \"End\": true"),
                "State 'Ingest': field 'ItemReader/Arguments' must contain Bucket and Key");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER.replace("\"Key\": \"k\"", "\"Key\": \"k\", \"VersionId\": \"v\"")
                        + ", \"End\": true"),
                "State 'Ingest': field 'ItemReader/Arguments/VersionId' is not supported by the local executor");
        assertRejected(ingest("Map", DISTRIBUTED + ", " + READER + ", \"Items\": [1], \"End\": true"),
                "State 'Ingest': fields 'Items' and 'ItemReader' exclude each other");
        assertRejected(ingest("Map", DISTRIBUTED + ", \"ToleratedFailurePercentage\": 101, \"End\": true"),
                "State 'Ingest': field 'ToleratedFailurePercentage' must be a number from 0 to 100 or a JSONata expression");
        assertRejected(ingest("Map", DISTRIBUTED + ", \"ToleratedFailureCount\": -1, \"End\": true"),
                "State 'Ingest': field 'ToleratedFailureCount' must be an integer from 0 to");
        assertRejected(ingest("Map", DISTRIBUTED + ", \"Label\": \"has space\", \"End\": true"),
                "State 'Ingest': field 'Label' must be 1 to 40 characters");
        assertRejected(ingest("Map", DISTRIBUTED + ", \"Label\": \"" + "x".repeat(41) + "\", \"End\": true"),
                "State 'Ingest': field 'Label' must be 1 to 40 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:states:::dynamodb:putItem", "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:lambda:us-east-1:123456789012:function:ingest", "arn:aws:states:::aws-sdk:s3:getObject"})
    void rejectsResourcesOtherThanLambdaInvoke(String resource) {
        assertRejected(ingest("Task", "\"Resource\": \"" + resource + "\", \"Arguments\": {}, \"End\": true"),
                "State 'Ingest': Resource '" + resource + "' is not supported by the local executor");
    }

    @Test
    void requiresFunctionNameAndPayloadAndNothingElseInLambdaArguments() {
        assertRejected(ingest("Task", "\"Resource\": \"arn:aws:states:::lambda:invoke\", \"Arguments\": {\"FunctionName\": \"f\"}, \"End\": true"),
                "State 'Ingest': field 'Arguments' must contain FunctionName and Payload");
        assertRejected(ingest("Task", "\"Resource\": \"arn:aws:states:::lambda:invoke\","
                        + " \"Arguments\": {\"FunctionName\": \"f\", \"Payload\": {}, \"Qualifier\": \"1\"}, \"End\": true"),
                "State 'Ingest': field 'Arguments/Qualifier' is not supported by the local executor");
        assertRejected(ingest("Task", "\"Resource\": \"arn:aws:states:::lambda:invoke\", \"Arguments\": \"{% $states.input %}\", \"End\": true"),
                "State 'Ingest': field 'Arguments' must be a JSON object with FunctionName and Payload");
    }

    @Test
    void rejectsFieldsOfTheWrongStateType() {
        assertRejected(ingest("Succeed", "\"Next\": \"X\""), "State 'Ingest': field 'Next' is not valid in a Succeed state");
        assertRejected(ingest("Fail", "\"ErrorPath\": \"$.e\""), "State 'Ingest': field 'ErrorPath' belongs to the JSONPath query language");
        assertRejected(ingest("Fail", "\"CausePath\": \"$.c\""), "State 'Ingest': field 'CausePath' belongs to the JSONPath query language");
        assertRejected(ingest("Pass", "\"Retry\": [], \"End\": true"), "State 'Ingest': field 'Retry' is not valid in a Pass state");
        assertRejected(ingest("Nope", "\"End\": true"), "State 'Ingest': Type 'Nope' is not supported by the local executor");
    }

    @Test
    void requiresObjectsOrExpressionsForItemSelectorAndParallelArguments() {
        assertRejected(ingest("Map", "\"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}},"
                + " \"ItemSelector\": \"item\", \"End\": true"), "State 'Ingest': field 'ItemSelector' must be a JSON object or a JSONata expression");
        assertRejected(ingest("Map", "\"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}},"
                + " \"Items\": {\"a\": 1}, \"End\": true"), "State 'Ingest': field 'Items' must be a JSON array or a JSONata expression");
        assertRejected(ingest("Parallel", "\"Branches\": [{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}],"
                + " \"Arguments\": [1], \"End\": true"), "State 'Ingest': field 'Arguments' must be a JSON object or a JSONata expression");
    }

    @Test
    void rejectsBrokenTransitions() {
        assertRejected(definition("A", "{\"A\": {\"Type\": \"Pass\", \"Next\": \"Missing\"}}"),
                "State 'A': transitions to 'Missing', which is not a state in the same scope");
        assertRejected(definition("A", "{\"A\": {\"Type\": \"Pass\", \"Next\": \"B\", \"End\": true}, \"B\": {\"Type\": \"Succeed\"}}"),
                "State 'A': needs exactly one of Next and End");
        assertRejected(definition("A", "{\"A\": {\"Type\": \"Pass\"}}"), "State 'A': needs exactly one of Next and End");
        assertRejected(definition("A", "{\"A\": {\"Type\": \"Pass\", \"End\": true}, \"B\": {\"Type\": \"Succeed\"}}"),
                "State 'B': is not reachable from StartAt 'A'");
        assertRejected(definition("Z", "{\"A\": {\"Type\": \"Pass\", \"End\": true}}"), "StartAt 'Z' names no state");
        assertRejected(definition("C", "{\"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Condition\": true, \"Next\": \"A\"}], \"Default\": \"Nowhere\"},"
                + " \"A\": {\"Type\": \"Succeed\"}}"), "State 'C': transitions to 'Nowhere'");
        assertRejected(ingest("Task", INVOKE + ", \"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"Gone\"}], \"End\": true"),
                "State 'Ingest': transitions to 'Gone'");
    }

    @Test
    void rejectsTransitionsIntoAnotherScope() {
        assertRejected(definition("M", """
                {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "After"}}}, "Next": "After"},
                 "After": {"Type": "Succeed"}}
                """), "State 'P': transitions to 'After', which is not a state in the same scope");
    }

    @Test
    void rejectsStateNamesUsedTwiceInTheMachine() {
        assertRejected(definition("P", """
                {"P": {"Type": "Parallel", "End": true, "Branches": [
                   {"StartAt": "Same", "States": {"Same": {"Type": "Pass", "End": true}}},
                   {"StartAt": "Same", "States": {"Same": {"Type": "Pass", "End": true}}}]}}
                """), "State 'Same': another state has the same name");
        assertRejected("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true, \"End\": true}}}",
                "Duplicate field 'End'");
    }

    @Test
    void checksRetriersAndCatchers() {
        assertRejected(ingest("Task", INVOKE + ", \"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}, {\"ErrorEquals\": [\"X\"]}], \"End\": true"),
                "State 'Ingest': Retry[0]: States.ALL must appear alone, in the last retrier");
        assertRejected(ingest("Task", INVOKE + ", \"Catch\": [{\"ErrorEquals\": [\"States.ALL\", \"X\"], \"Next\": \"Ingest\"}], \"End\": true"),
                "State 'Ingest': Catch[0]: States.ALL must appear alone, in the last catcher");
        assertRejected(ingest("Task", INVOKE + ", \"Retry\": [{\"ErrorEquals\": [\"States.Everything\"]}], \"End\": true"),
                "State 'Ingest': Retry[0] names the unknown predefined error 'States.Everything'");
        assertRejected(ingest("Task", INVOKE + ", \"Retry\": [{\"ErrorEquals\": [\"X\"], \"BackoffRate\": 0.5}], \"End\": true"),
                "State 'Ingest': Retry[0] field 'BackoffRate' must be a number not less than 1.0");
        assertRejected(ingest("Task", INVOKE + ", \"Retry\": [{\"ErrorEquals\": [\"X\"], \"MaxAttempts\": -1}], \"End\": true"),
                "State 'Ingest': Retry[0] field 'MaxAttempts' must be an integer from 0");
        assertRejected(ingest("Task", INVOKE + ", \"Retry\": [{\"ErrorEquals\": [\"X\"], \"JitterStrategy\": \"HALF\"}], \"End\": true"),
                "State 'Ingest': Retry[0] field 'JitterStrategy' must be FULL or NONE");
        assertRejected(ingest("Task", INVOKE + ", \"Catch\": [{\"ErrorEquals\": [\"X\"], \"Next\": \"Ingest\", \"ResultPath\": \"$.e\"}], \"End\": true"),
                "State 'Ingest': Catch[0] field 'ResultPath' belongs to the JSONPath query language");
    }

    @Test
    void rejectsInvalidJsonataNamingStateAndField() {
        assertRejected(ingest("Pass", "\"Output\": {\"v\": \"{% $states.input.a[1,2) %}\"}, \"End\": true"),
                "State 'Ingest': field 'Output/v' holds an invalid JSONata expression '$states.input.a[1,2)'");
    }

    @Test
    void rejectsReservedVariablesWhereTheyDoNotExist() {
        assertRejected(ingest("Pass", "\"Output\": \"{% $states.errorOutput %}\", \"End\": true"),
                "State 'Ingest': field 'Output' refers to $states.errorOutput");
        assertRejected(ingest("Pass", "\"Output\": \"{% $states.result %}\", \"End\": true"),
                "State 'Ingest': field 'Output' refers to $states.result");
        assertRejected(ingest("Task", "\"Resource\": \"arn:aws:states:::lambda:invoke\","
                        + " \"Arguments\": {\"FunctionName\": \"f\", \"Payload\": \"{% $states.result %}\"}, \"End\": true"),
                "State 'Ingest': field 'Arguments' refers to $states.result");
    }

    @Test
    void checksChoiceRulesAndWaitStates() {
        assertRejected(ingest("Choice", "\"Choices\": [{\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"Next\": \"Ingest\"}]"),
                "State 'Ingest': Choices[0] field 'Variable' is not supported by the local executor");
        assertRejected(ingest("Choice", "\"Choices\": [{\"Condition\": \"$states.input.x\", \"Next\": \"Ingest\"}]"),
                "State 'Ingest': Choices[0] field 'Condition' must be a JSONata expression");
        assertRejected(ingest("Wait", "\"Seconds\": 1, \"Timestamp\": \"2030-01-01T00:00:00Z\", \"End\": true"),
                "State 'Ingest': a Wait state needs exactly one of Seconds and Timestamp");
        assertRejected(ingest("Wait", "\"Seconds\": -1, \"End\": true"), "State 'Ingest': field 'Seconds' must be an integer");
        assertRejected(ingest("Wait", "\"Timestamp\": \"tomorrow\", \"End\": true"),
                "State 'Ingest': field 'Timestamp' is not an ISO-8601 timestamp");
    }

    @Test
    void rejectsAssigningAnOuterVariableInsideAMapIteration() {
        assertRejected(definition("Start", """
                {"Start": {"Type": "Pass", "Assign": {"total": 0}, "Next": "M"},
                 "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "Inner", "States": {
                     "Inner": {"Type": "Pass", "Assign": {"total": 1}, "End": true}}}}}
                """), "State 'Inner': variable 'total' is assigned in an enclosing scope");
        assertRejected(ingest("Pass", "\"Assign\": {\"1bad\": 1}, \"End\": true"),
                "State 'Ingest': field 'Assign' assigns '1bad', which is not a valid variable name");
    }

    @Test
    void rejectsTopLevelFieldsTheLocalExecutorDoesNotImplement() {
        assertRejected("{\"QueryLanguage\": \"JSONata\", \"Retry\": [], \"StartAt\": \"A\","
                + " \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}",
                "State machine: field 'Retry' is not supported by the local executor");
    }

    @Test
    void theMachinesTimeoutIsALiteralPositiveInteger() {
        assertRejected("{\"QueryLanguage\": \"JSONata\", \"TimeoutSeconds\": 0, \"StartAt\": \"A\","
                + " \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}",
                "State machine: the definition's field 'TimeoutSeconds' must be an integer from 1 to 99999999");
        assertRejected("{\"QueryLanguage\": \"JSONata\", \"TimeoutSeconds\": \"{% 5 %}\", \"StartAt\": \"A\","
                + " \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}",
                "State machine: the definition's field 'TimeoutSeconds' must be an integer from 1 to 99999999");
    }

    @Test
    void appliesDefinitionSubstitutionsToStringValues() {
        StateMachine machine = StateMachine.parse(definition("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "${IngestFunctionArn}", "Payload": {"bucket": "${Bucket}-landing"}},
                            "End": true}}
                """), Map.of("IngestFunctionArn", "arn:aws:lambda:local:000000000000:function:ingest", "Bucket", "intake"));
        assertThat(machine.definition().at("/States/Ingest/Arguments/FunctionName").asText())
                .isEqualTo("arn:aws:lambda:local:000000000000:function:ingest");
        assertThat(machine.definition().at("/States/Ingest/Arguments/Payload/bucket").asText()).isEqualTo("intake-landing");
    }

    @Test
    void rejectsAPlaceholderWithoutSubstitution() {
        assertThatThrownBy(() -> StateMachine.parse(definition("Ingest", """
                {"Ingest": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "${IngestFunctionArn}", "Payload": {}}, "End": true}}
                """), Map.of("Other", "x")))
                .isInstanceOf(AslValidationException.class)
                .hasMessage("State 'Ingest': definition substitution '${IngestFunctionArn}' in field"
                        + " 'Arguments/FunctionName' has no value");
    }
}
