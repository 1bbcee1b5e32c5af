package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Step Functions' 262,144-byte payload quota, which ends an execution with States.DataLimitExceeded. */
class PayloadLimitTest extends ScriptedExecutorTest {
    /** The bytes a Task's result adds around its Payload: {"ExecutedVersion":"$LATEST","Payload":...,"StatusCode":200}. */
    private static final int RESULT_WRAPPER = "{\"ExecutedVersion\":\"$LATEST\",\"Payload\":,\"StatusCode\":200}".length();

    /** A Task calling "work" whose errors are all retried and caught: a payload over the quota is neither. */
    private static final StateMachine TASK_THAT_CATCHES_ALL = machine("Work", """
            {"Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                      "Arguments": {"FunctionName": "work", "Payload": {}},
                      "Output": "{% $states.result.Payload.size %}",
                      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                      "End": true},
             "Caught": {"Type": "Succeed"}}
            """);

    /** A payload {"s": "xxx...", "size": n} whose Task result is exactly {@code resultBytes} long. */
    private static ObjectNode payloadMakingAResultOf(int resultBytes) {
        int overhead = RESULT_WRAPPER + "{\"s\":\"\",\"size\":1}".length();
        ObjectNode payload = JsonValues.NODES.objectNode();
        payload.put("s", "x".repeat(resultBytes - overhead));
        payload.put("size", 1);
        return payload;
    }

    @Test
    void aTaskResultOfExactlyTheQuotaPasses() {
        functions.define("work", payload -> payloadMakingAResultOf(PayloadLimit.MAX_BYTES));

        ExecutionResult result = executor.run(TASK_THAT_CATCHES_ALL, json("{}"));

        assertThat(result.status()).as("%s: %s", result.error(), result.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo(json("1"));
    }

    @Test
    void aTaskResultOneByteOverTheQuotaEndsTheExecutionUnretriedAndUncaught() {
        functions.define("work", payload -> payloadMakingAResultOf(PayloadLimit.MAX_BYTES + 1));

        ExecutionResult result = executor.run(TASK_THAT_CATCHES_ALL, json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(result.cause()).contains("'Work'").contains("262144 bytes");
        assertThat(functions.payloads("work")).as("not retried").hasSize(1);
        assertThat(result.history()).as("not caught").containsExactly("Work");
    }

    @Test
    void aDistributedMapWhoseChildrenResultsOutgrowTheQuotaFailsEvenWhenItsOutputDropsThem() {
        StringBuilder lines = new StringBuilder();
        IntStream.range(0, 3).forEach(i -> lines.append("{\"n\": ").append(i).append("}\n"));
        objects.put("s3://items/list.jsonl", lines.toString());
        functions.define("work", payload -> json("\"" + "y".repeat(100_000) + "\""));
        StateMachine machine = machine("Each", """
                {"Each": {"Type": "Map",
                          "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
                                         "Arguments": {"Bucket": "items", "Key": "list.jsonl"}},
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                             "StartAt": "Work", "States": {
                             "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Arguments": {"FunctionName": "work", "Payload": "{% $states.input %}"},
                                      "Output": "{% $states.result.Payload %}", "End": true}}},
                          "Output": {"done": true},
                          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                          "End": true},
                 "Caught": {"Type": "Succeed"}}
                """);

        ExecutionResult result = executor.run(machine, json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(result.cause()).contains("'Each'");
    }

    @Test
    void aStateOutputOverTheQuotaFailsTheExecution() {
        functions.define("work", payload -> json("\"" + "w".repeat(200_000) + "\""));
        StateMachine machine = machine("Work", """
                {"Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                          "Arguments": {"FunctionName": "work", "Payload": {}},
                          "Output": "{% $states.result.Payload %}", "Next": "Grow"},
                 "Grow": {"Type": "Pass", "Output": {"twice": ["{% $states.input %}", "{% $states.input %}"]}, "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(result.cause()).contains("'Grow'");
        assertThat(result.history()).containsExactly("Work", "Grow");
    }

    @Test
    void countsUtf8BytesOfTheCompactJsonAndStopsCountingPastTheQuota() {
        assertThat(PayloadLimit.utf8Length(json("{\"a\": [1, 2], \"é\": \"€\"}"))).isEqualTo("{\"a\":[1,2],\"é\":\"€\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        StringBuilder children = new StringBuilder("[");
        IntStream.range(0, 80_000).forEach(i -> children.append(i == 0 ? "{}" : ",{}"));
        assertThat(PayloadLimit.utf8Length(json(children.append("]").toString())))
                .as("80,000 chunks' {} results, what an import's Map returns at most").isEqualTo(240_001);
        assertThat(PayloadLimit.utf8Length(json("\"" + "z".repeat(1_000_000) + "\""))).isBetween(262_145L, 300_000L);
    }
}
