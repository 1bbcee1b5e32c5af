package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static dev.intake.local.asl.AslTestKit.machine;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pass, Choice, Wait, Succeed and Fail states. */
class FlowStatesTest {
    private final VirtualSleeper sleeper = new VirtualSleeper();
    private final Executor executor = new Executor((name, payload) -> payload, sleeper, 2);

    @AfterEach
    void close() {
        executor.close();
    }

    private static final String ROUTE = """
            {"Route": {"Type": "Choice",
                       "Choices": [{"Condition": "{% $states.input.kind = 'csv' %}", "Next": "Csv"},
                                   {"Condition": "{% $states.input.size > 100 %}", "Next": "Big",
                                    "Output": {"big": true}, "Assign": {"route": "big"}}],
                       "Default": "Other",
                       "Assign": {"routed": true}},
             "Csv": {"Type": "Pass", "Output": "{% {'route': 'csv', 'routed': $routed} %}", "End": true},
             "Big": {"Type": "Pass", "Output": "{% {'input': $states.input, 'route': $route, 'routed': $routed} %}", "End": true},
             "Other": {"Type": "Pass", "Output": "{% {'route': 'other', 'input': $states.input} %}", "End": true}}
            """;

    @Test
    void choiceTakesTheFirstMatchingRule() {
        ExecutionResult result = executor.run(machine("Route", ROUTE), json("{\"kind\": \"csv\", \"size\": 500}"));

        assertThat(result.history()).containsExactly("Route", "Csv");
        assertThat(result.output()).isEqualTo(json("{\"route\": \"csv\", \"routed\": true}"));
    }

    @Test
    void aMatchedRuleAppliesItsOwnOutputAndAssignAsWellAsTheStateAssign() {
        ExecutionResult result = executor.run(machine("Route", ROUTE), json("{\"kind\": \"json\", \"size\": 500}"));

        assertThat(result.output()).isEqualTo(json("{\"input\": {\"big\": true}, \"route\": \"big\", \"routed\": true}"));
    }

    @Test
    void choiceFallsBackToDefaultWithTheInputUnchanged() {
        ExecutionResult result = executor.run(machine("Route", ROUTE), json("{\"kind\": \"json\", \"size\": 5}"));

        assertThat(result.history()).containsExactly("Route", "Other");
        assertThat(result.output()).isEqualTo(json("{\"route\": \"other\", \"input\": {\"kind\": \"json\", \"size\": 5}}"));
    }

    @Test
    void noMatchingRuleAndNoDefaultIsStatesNoChoiceMatched() {
        StateMachine machine = machine("Route", """
                {"Route": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.ok %}", "Next": "Done"}]},
                 "Done": {"Type": "Succeed"}}
                """);

        ExecutionResult result = executor.run(machine, json("{\"ok\": false}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("States.NoChoiceMatched");
    }

    @Test
    void aConditionThatIsNotABooleanIsAQueryEvaluationError() {
        StateMachine machine = machine("Route", """
                {"Route": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.kind %}", "Next": "Done"}], "Default": "Done"},
                 "Done": {"Type": "Succeed"}}
                """);

        ExecutionResult result = executor.run(machine, json("{\"kind\": \"csv\"}"));

        assertThat(result.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(result.cause()).contains("Choices[0]").contains("boolean");
    }

    @Test
    void waitSecondsSleepsThatLong() {
        StateMachine machine = machine("Wait", """
                {"Wait": {"Type": "Wait", "Seconds": 30, "Next": "Computed"},
                 "Computed": {"Type": "Wait", "Seconds": "{% $states.input.delay * 2 %}", "End": true}}
                """);

        ExecutionResult result = executor.run(machine, json("{\"delay\": 5}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo(json("{\"delay\": 5}"));
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    @Test
    void waitTimestampSleepsUntilThenAndNotAtAllForAPastTimestamp() {
        StateMachine machine = machine("Until", """
                {"Until": {"Type": "Wait", "Timestamp": "{% $states.input.until %}", "Next": "Past"},
                 "Past": {"Type": "Wait", "Timestamp": "2001-01-01T00:00:00Z", "End": true}}
                """);
        Instant until = Instant.now().plus(Duration.ofHours(1));

        ExecutionResult result = executor.run(machine, json("{\"until\": \"" + until + "\"}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sleeper.sleeps()).hasSize(1);
        assertThat(sleeper.sleeps().get(0)).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
    }

    @Test
    void waitSecondsThatAreNotANonNegativeIntegerAreAQueryEvaluationError() {
        StateMachine machine = machine("Wait", "{\"Wait\": {\"Type\": \"Wait\", \"Seconds\": \"{% $states.input.delay %}\", \"End\": true}}");

        assertThat(executor.run(machine, json("{\"delay\": -1}")).error()).isEqualTo("States.QueryEvaluationError");
        assertThat(executor.run(machine, json("{\"delay\": 1.5}")).error()).isEqualTo("States.QueryEvaluationError");
        assertThat(executor.run(machine, json("{\"delay\": \"10\"}")).error()).isEqualTo("States.QueryEvaluationError");
    }

    @Test
    void waitAppliesOutputAndAssign() {
        StateMachine machine = machine("Wait", """
                {"Wait": {"Type": "Wait", "Seconds": 1, "Assign": {"waited": true}, "Output": {"was": "{% $states.input %}"}, "Next": "Show"},
                 "Show": {"Type": "Pass", "Output": "{% [$states.input, $waited] %}", "End": true}}
                """);

        assertThat(executor.run(machine, json("7")).output()).isEqualTo(json("[{\"was\": 7}, true]"));
    }

    @Test
    void failStateFailsTheExecutionWithItsErrorAndCause() {
        StateMachine literal = machine("Fail", "{\"Fail\": {\"Type\": \"Fail\", \"Error\": \"Import.Rejected\", \"Cause\": \"bad file\"}}");
        StateMachine computed = machine("Fail", """
                {"Fail": {"Type": "Fail", "Error": "{% 'Import.' & $states.input.reason %}", "Cause": "{% $string($states.input.count) & ' rows' %}"}}
                """);

        ExecutionResult first = executor.run(literal, json("{}"));
        ExecutionResult second = executor.run(computed, json("{\"reason\": \"Empty\", \"count\": 0}"));

        assertThat(first.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(first.error()).isEqualTo("Import.Rejected");
        assertThat(first.cause()).isEqualTo("bad file");
        assertThat(second.error()).isEqualTo("Import.Empty");
        assertThat(second.cause()).isEqualTo("0 rows");
    }

    @Test
    void succeedAndPassShapeTheirOutput() {
        StateMachine machine = machine("Shape", """
                {"Shape": {"Type": "Pass", "Output": {"id": "{% $states.input.id %}", "fixed": [1, "two", null]}, "Next": "Done"},
                 "Done": {"Type": "Succeed", "Output": "{% $merge([$states.input, {'done': true}]) %}"}}
                """);

        assertThat(executor.run(machine, json("{\"id\": 7, \"other\": 1}")).output())
                .isEqualTo(json("{\"id\": 7, \"fixed\": [1, \"two\", null], \"done\": true}"));
    }

    @Test
    void withoutOutputAStatePassesItsInputThrough() {
        StateMachine machine = machine("A", "{\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}, \"B\": {\"Type\": \"Succeed\"}}");

        assertThat(executor.run(machine, json("{\"x\": [1, 2.5, \"s\"]}")).output()).isEqualTo(json("{\"x\": [1, 2.5, \"s\"]}"));
    }
}
