package dev.intake.local.asl;

import static dev.intake.local.asl.AslTestKit.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

/** Whole definitions: the project's statemachine/*.asl.json files parse, and a sample import workflow runs end to end. */
class StateMachineFilesTest extends ScriptedExecutorTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    /** Placeholder values for a definition: numbers for ...Seconds, function names for the rest. */
    private static Map<String, String> substitutionsFor(String definition) {
        Map<String, String> substitutions = new HashMap<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            String name = matcher.group(1);
            substitutions.put(name, name.endsWith("Seconds") ? "5" : name.replace("FunctionArn", ""));
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

    private static StateMachine sample() {
        try (InputStream in = StateMachineFilesTest.class.getResourceAsStream("/asl/import-job-sample.asl.json")) {
            String definition = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return StateMachine.parse(definition, substitutionsFor(definition));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void defineHappyFunctions() {
        AtomicInteger turnChecks = new AtomicInteger();
        functions.define("Turn", payload -> json(turnChecks.incrementAndGet() < 3 ? "{\"turn\": \"WAIT\"}" : "{\"turn\": \"GO\"}"));
        functions.define("Plan", payload -> json("{\"chunkCount\": 5, \"chunks\": [0, 1, 2, 3, 4]}"));
        functions.define("Finish", payload -> json("{\"status\": \"ACTIVE\", \"rows\": " + payload.get("rows") + "}"));
        functions.define("Fail", payload -> json("{\"failureReason\": \"" + payload.get("error").asText() + "\"}"));
    }

    @Test
    void theSampleImportRunsToTheEnd() {
        defineHappyFunctions();
        functions.define("IngestChunk", payload -> json("{\"rows\": " + (10 + payload.get("chunk").intValue()) + "}"));

        ExecutionResult result = executor.run(sample(), json("{\"jobName\": \"job-1\"}"));

        assertThat(result.status()).as("%s: %s", result.error(), result.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo(json("{\"status\": \"ACTIVE\", \"rows\": 60}"));
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(functions.payloads("IngestChunk")).hasSize(5)
                .allSatisfy(p -> assertThat(p.get("jobName").asText()).isEqualTo("job-1"));
        assertThat(functions.payloads("Finish")).containsExactly(json("{\"jobName\": \"job-1\", \"chunkCount\": 5, \"rows\": 60}"));
        assertThat(functions.maxConcurrentInvocations()).isLessThanOrEqualTo(2);
        assertThat(result.history()).startsWith("Begin", "CheckTurn", "IsItMyTurn", "WaitForTurn", "CheckTurn")
                .endsWith("Ingest", "IngestChunk", "IngestChunk", "IngestChunk", "IngestChunk", "IngestChunk", "Finish");
    }

    @Test
    void aFailingChunkMarksTheJobFailed() {
        defineHappyFunctions();
        functions.define("IngestChunk", payload -> {
            if (payload.get("chunk").intValue() == 3) {
                throw new FunctionError("dev.intake.core.ImportFailedException", "chunk 3 has a bad row");
            }
            return json("{\"rows\": 1}");
        });

        ExecutionResult result = executor.run(sample(), json("{\"jobName\": \"job-2\"}"));

        assertThat(result.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(result.error()).isEqualTo("Intake.ImportFailed");
        assertThat(result.cause()).isEqualTo("dev.intake.core.ImportFailedException");
        JsonNode markFailed = functions.payloads("Fail").get(0);
        assertThat(markFailed.get("jobName").asText()).isEqualTo("job-2");
        assertThat(json(markFailed.get("cause").asText()).get("errorMessage").asText()).isEqualTo("chunk 3 has a bad row");
        assertThat(functions.payloads("Finish")).isEmpty();
    }
}
