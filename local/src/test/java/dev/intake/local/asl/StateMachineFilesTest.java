package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole definitions: the project's statemachine/*.asl.json files parse, and the import state machine runs end to end. */
class StateMachineFilesTest extends ScriptedExecutorTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    /** Placeholder values for a definition: numbers for ...Seconds, function names for the rest. */
    private static Map<String, String> substitutionsFor(String definition) {
        Map<String, String> substitutions = new HashMap<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            String name = matcher.group(1);
            substitutions.put(name, name.endsWith("Seconds") || name.endsWith("Concurrency") ? "4"
                    : name.replace("FunctionArn", ""));
        }
        return substitutions;
    }

    @Test
    void everyProjectStateMachineIsAcceptedByTheLocalExecutor() throws IOException {
        Path directory = Path.of("..", "statemachine");
        assumeTrue(Files.isDirectory(directory), "no statemachine directory");
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".asl.json")).toList();
        }
        assumeTrue(!files.isEmpty(), "no state machine files");
        for (Path file : files) {
            String definition = Files.readString(file);
            StateMachine machine = StateMachine.parse(definition, substitutionsFor(definition));
            assertThat(machine.definition().path("QueryLanguage").asText()).as(file.toString()).isEqualTo("JSONata");
        }
    }

    /** The project's import state machine, as Step Functions and the local runtime run it. */
    private static StateMachine importJob() {
        try {
            String definition = Files.readString(Path.of("..", "statemachine", "import-job.asl.json"));
            return StateMachine.parse(definition, substitutionsFor(definition));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plan's manifest lists chunks 0 to 4; Reconcile's the chunks of {@code recount} (a JSON array). */
    private void defineHappyFunctions(String recount) {
        functions.define("Start", payload -> json("{\"turn\": \"GO\"}"));
        objects.put("s3://results/manifests/job/pass-1.jsonl", "{\"index\": 0}\n{\"index\": 1}\n{\"index\": 2}\n"
                + "{\"index\": 3}\n{\"index\": 4}\n");
        functions.define("Plan", payload -> json("{\"chunkCount\": 5, \"manifest\": {\"bucket\": \"results\","
                + " \"key\": \"manifests/job/pass-1.jsonl\"}}"));
        StringBuilder second = new StringBuilder();
        json(recount).forEach(index -> second.append("{\"index\": ").append(index.asInt()).append("}\n"));
        objects.put("s3://results/manifests/job/pass-2.jsonl", second.toString());
        functions.define("Reconcile", payload -> json("{\"recountCount\": " + json(recount).size() + ", \"manifest\":"
                + " {\"bucket\": \"results\", \"key\": \"manifests/job/pass-2.jsonl\"}}"));
        functions.define("Finish", payload -> json("{\"status\": \"ACTIVE\"}"));
        // As the engine does: the first failure recorded is the job's reason; a later Fail only reads it.
        Map<String, String> reasons = new java.util.concurrent.ConcurrentHashMap<>();
        functions.define("Fail", payload -> json("{\"status\": \"FAILED\", \"failureReason\": \""
                + reasons.computeIfAbsent(payload.get("jobName").asText(), job -> payload.get("error").asText()) + "\"}"));
    }

    @Test
    void anImportRunsEveryStepAndCountsTheChunksReconcileChoseAgain() {
        defineHappyFunctions("[1, 3]");
        functions.define("IngestChunk", payload -> json("{\"index\": " + payload.path("chunk").path("index").asInt() + "}"));

        ExecutionResult result = executor.run(importJob(), json("{\"jobName\": \"job-1\"}"));

        assertThat(result.status()).as("%s: %s", result.error(), result.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sleeper.sleeps()).as("no step waits or polls").isEmpty();
        List<JsonNode> ingests = functions.payloads("IngestChunk");
        assertThat(ingests).hasSize(7).allSatisfy(p -> assertThat(p.get("jobName").asText()).isEqualTo("job-1"));
        assertThat(ingests.stream().filter(p -> p.get("pass").asInt() == 1).map(p -> p.path("chunk").path("index").asInt()))
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(ingests.stream().filter(p -> p.get("pass").asInt() == 2).map(p -> p.path("chunk").path("index").asInt()))
                .containsExactlyInAnyOrder(1, 3);
        assertThat(functions.payloads("Reconcile")).containsExactly(json("{\"jobName\": \"job-1\", \"chunkCount\": 5}"));
        assertThat(functions.payloads("Finish"))
                .containsExactly(json("{\"jobName\": \"job-1\", \"chunkCount\": 5, \"recountCount\": 2}"));
        assertThat(functions.maxConcurrentInvocations()).as("the Maps' MaxConcurrency").isLessThanOrEqualTo(4);
        // The child executions' states are in their own histories, not the parent's (as in Step Functions).
        assertThat(result.history()).containsExactly("Begin", "Start", "IsItMyTurn", "Plan", "Ingest", "Reconcile",
                "RecountNeeded?", "Recount", "Finish", "Succeeded?", "ImportSucceeded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"WAIT", "DONE"})
    void anExecutionWhoseJobIsNotFirstOrHasEndedStopsAtOnceWithoutWaiting(String turn) {
        defineHappyFunctions("[]");
        functions.define("Start", payload -> json("{\"turn\": \"" + turn + "\"}"));

        ExecutionResult result = executor.run(importJob(), json("{\"jobName\": \"job-4\"}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.history()).containsExactly("Begin", "Start", "IsItMyTurn", "NotNow");
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void anExecutionRunningPastTheDefinitionsTimeoutEndsTimedOut() throws Exception {
        String definition = Files.readString(Path.of("..", "statemachine", "import-job.asl.json"));
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) json(definition);
        assertThat(json.path("TimeoutSeconds").asInt()).as("the import state machine has a timeout").isPositive();
        json.put("TimeoutSeconds", 1);
        defineHappyFunctions("[]");
        functions.define("Plan", payload -> {
            try {
                Thread.sleep(30_000); // a step that outlives the execution's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json("{}");
        });

        ExecutionResult result = executor.run(StateMachine.parse(json.toString(), substitutionsFor(definition)),
                json("{\"jobName\": \"job-5\"}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(result.error()).isEqualTo("States.Timeout");
    }

    @Test
    void withNothingToCountAgainTheSecondPassIsSkipped() {
        defineHappyFunctions("[]");
        functions.define("IngestChunk", payload -> json("{}"));

        ExecutionResult result = executor.run(importJob(), json("{\"jobName\": \"job-3\"}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(functions.payloads("IngestChunk")).hasSize(5).allSatisfy(p -> assertThat(p.get("pass").asInt()).isEqualTo(1));
        assertThat(result.history()).doesNotContain("Recount");
        assertThat(functions.payloads("Finish")).containsExactly(json("{\"jobName\": \"job-3\", \"chunkCount\": 5, \"recountCount\": 0}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.intake.core.ImportFailedException", "dev.intake.core.JobNotRunningException"})
    void aFinalEngineErrorOfAChunkIsNotRetriedAndMarksTheJobFailed(String error) {
        defineHappyFunctions("[]");
        functions.define("IngestChunk", payload -> {
            if (payload.path("chunk").path("index").asInt() == 3) {
                throw new FunctionError(error, "chunk 3 cannot be imported");
            }
            return json("{}");
        });

        ExecutionResult result = executor.run(importJob(), json("{\"jobName\": \"job-2\"}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("Intake.ImportFailed");
        assertThat(result.cause()).isEqualTo(error);
        assertThat(functions.payloads("IngestChunk").stream().filter(p -> p.path("chunk").path("index").asInt() == 3))
                .as("not retried").hasSize(1);
        JsonNode markFailed = functions.payloads("Fail").get(0);
        assertThat(markFailed.get("jobName").asText()).isEqualTo("job-2");
        assertThat(markFailed.get("error").asText()).isEqualTo(error);
        assertThat(json(markFailed.get("cause").asText()).get("errorMessage").asText()).isEqualTo("chunk 3 cannot be imported");
        // The failed chunk's child recorded the reason; the Map Run then failed with its own error, which
        // the parent's MarkFailed passes on, and the job keeps the chunk's reason.
        assertThat(functions.payloads("Fail")).hasSize(2);
        assertThat(functions.payloads("Fail").get(1).get("error").asText()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertThat(functions.payloads("Fail").get(1).get("cause").asText())
                .isEqualTo("The specified tolerated failure threshold was exceeded");
        assertThat(functions.payloads("Finish")).isEmpty();
    }
}
