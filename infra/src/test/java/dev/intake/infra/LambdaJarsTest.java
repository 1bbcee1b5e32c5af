package dev.intake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Route;
import dev.intake.api.Routes;
import dev.intake.workflow.WorkflowTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each function's code is the jar its handler needs, and its JIT compilers the ones its work needs. */
class LambdaJarsTest {
    private final SynthesizedIntake intake = SynthesizedIntake.get();
    private final TemplateView view = intake.view;

    @Test
    void routeFunctionsRunTheApiJarAndEveryOtherFunctionTheWorkflowJar() throws IOException {
        Path api = SynthesizedIntake.SOURCES.apiJar();
        Path workflow = SynthesizedIntake.SOURCES.workflowJar();
        assertThat(Files.mismatch(api, workflow)).as("the two jars differ").isNotEqualTo(-1L);
        Set<String> routeHandlers = Routes.ALL.stream().map(Route::lambdaHandler).collect(Collectors.toSet());
        Map<String, String> jarByFunction = new TreeMap<>();
        view.intakeFunctions().forEach((id, fn) -> {
            String handler = fn.path("Properties").path("Handler").asText();
            Path staged = stagedCode(fn);
            String jar = sameBytes(staged, api) ? "api" : sameBytes(staged, workflow) ? "workflow" : "other: " + staged;
            jarByFunction.put(id, jar);
            assertThat(jar).as(id + " (" + handler + ")").isEqualTo(routeHandlers.contains(handler) ? "api" : "workflow");
        });
        assertThat(jarByFunction.values().stream().filter("api"::equals).count()).isEqualTo(Routes.ALL.size());
        assertThat(jarByFunction.get(view.functionIdByHandler(taskHandler("IngestChunk")))).isEqualTo("workflow");
    }

    @Test
    void theStepsThatRunEveryRowGetC2AndEveryOtherFunctionStopsAtC1() {
        Set<String> withC2 = Set.of("Plan", "IngestChunk", "Reconcile", "DeleteRecords", "ExportPart");
        Map<String, String> handlerToTask = new TreeMap<>();
        java.util.stream.Stream.of(WorkflowTasks.ALL.stream(), WorkflowTasks.EXPORT.stream(),
                java.util.stream.Stream.of(WorkflowTasks.DELETE_RECORDS)).flatMap(s -> s)
                .forEach(task -> handlerToTask.put(task.lambdaHandler(), task.name()));
        int c2 = 0;
        for (var e : view.intakeFunctions().entrySet()) {
            JsonNode p = e.getValue().path("Properties");
            String task = handlerToTask.get(p.path("Handler").asText());
            String options = p.path("Environment").path("Variables").path("JAVA_TOOL_OPTIONS").asText();
            if (task != null && withC2.contains(task)) {
                assertThat(options).as(e.getKey()).isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
                c2++;
            } else {
                assertThat(options).as(e.getKey()).isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
            }
        }
        assertThat(c2).isEqualTo(withC2.size());
        assertThat(view.functionProperties(taskHandler("IngestChunk")).path("Environment").path("Variables")
                .path("JAVA_TOOL_OPTIONS").asText()).doesNotContain("TieredStopAtLevel=1");
    }

    /** The file the function's S3Key names, as the assembly staged it. */
    private Path stagedCode(JsonNode function) {
        String key = function.path("Properties").path("Code").path("S3Key").asText();
        assertThat(key).endsWith(".jar");
        return Path.of(intake.app.getOutdir(), "asset." + key);
    }

    private static boolean sameBytes(Path a, Path b) {
        try {
            return Files.mismatch(a, b) == -1L;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String taskHandler(String name) {
        return WorkflowTasks.ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().lambdaHandler();
    }
}
