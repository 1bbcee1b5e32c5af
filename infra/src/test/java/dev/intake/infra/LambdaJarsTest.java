package dev.intake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Route;
import dev.intake.api.Routes;
import dev.intake.workflow.WorkflowTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        // every route, except those that need a client the API jar leaves out (S3, STS, Scheduler)
        Set<String> routeHandlers = Routes.ALL.stream().filter(route -> !route.runsWorkflowJar())
                .map(Route::lambdaHandler).collect(Collectors.toSet());
        assertThat(routeHandlers).hasSize(Routes.ALL.size() - 7);
        Map<String, String> jarByFunction = new TreeMap<>();
        view.intakeFunctions().forEach((id, fn) -> {
            String handler = fn.path("Properties").path("Handler").asText();
            Path staged = stagedCode(fn);
            String jar = sameBytes(staged, api) ? "api" : sameBytes(staged, workflow) ? "workflow" : "other: " + staged;
            jarByFunction.put(id, jar);
            assertThat(jar).as(id + " (" + handler + ")").isEqualTo(routeHandlers.contains(handler) ? "api" : "workflow");
        });
        assertThat(jarByFunction.values().stream().filter("api"::equals).count()).isEqualTo(routeHandlers.size());
        for (String target : List.of("DataZone.StartDataSourceRun", "Intake.CreateDataSource", "DataZone.UpdateDataSource")) {
            String handler = Routes.ALL.stream().filter(route -> route.target().equals(target))
                    .findFirst().orElseThrow().lambdaHandler();
            assertThat(jarByFunction.get(view.functionIdByHandler(handler))).as(target).isEqualTo("workflow");
        }
        assertThat(jarByFunction.get(view.functionIdByHandler(Routes.ALL.stream()
                .filter(route -> route.target().equals("Intake.StartDataSourceRun")).findFirst().orElseThrow()
                .lambdaHandler()))).isEqualTo("api");
        assertThat(jarByFunction.get(view.functionIdByHandler(taskHandler("IngestChunk")))).isEqualTo("workflow");
    }

    @Test
    void theLongRunningStepsGetC2AndEveryOtherFunctionStopsAtC1() {
        // the steps that run every row of an import, export or deletion (WorkflowTasks' longRunning)
        Map<String, String> longRunning = new TreeMap<>();
        java.util.stream.Stream.of(WorkflowTasks.ALL.stream(), WorkflowTasks.EXPORT.stream(),
                java.util.stream.Stream.of(WorkflowTasks.DELETE_RECORDS)).flatMap(s -> s)
                .filter(WorkflowTasks.Task::longRunning)
                .forEach(task -> longRunning.put(task.lambdaHandler(), task.name()));
        assertThat(longRunning.values()).contains("IngestChunk", "Plan", "Reconcile", "DeleteRecords", "ExportPart");
        int c2 = 0;
        for (var e : view.intakeFunctions().entrySet()) {
            JsonNode p = e.getValue().path("Properties");
            String options = p.path("Environment").path("Variables").path("JAVA_TOOL_OPTIONS").asText();
            if (longRunning.containsKey(p.path("Handler").asText())) {
                assertThat(options).as(e.getKey()).isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=4");
                c2++;
            } else {
                assertThat(options).as(e.getKey()).isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
            }
        }
        assertThat(c2).isEqualTo(longRunning.size());
        // Lambda's Java 17 and 21 runtimes stop at C1 unless told otherwise: C2 must be asked for
        assertThat(view.functionProperties(taskHandler("IngestChunk")).path("Environment").path("Variables")
                .path("JAVA_TOOL_OPTIONS").asText()).contains("TieredStopAtLevel=4");
        assertThat(view.functionProperties(Routes.ALL.get(0).lambdaHandler()).path("Environment").path("Variables")
                .path("JAVA_TOOL_OPTIONS").asText()).contains("TieredStopAtLevel=1");
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
