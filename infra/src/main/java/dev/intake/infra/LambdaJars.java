package dev.intake.infra;

import dev.intake.api.Route;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/**
 * Which of the two jars functions/ builds each function runs, decided here only: a route's handler
 * (the stack's route table) runs from the API jar, which leaves out what only the workflow uses,
 * unless it needs a client the API jar leaves out ({@link Route#runsWorkflowJar}: S3, STS,
 * Scheduler); everything else (workflow tasks, triggers, scheduled functions) from the
 * workflow jar.
 */
final class LambdaJars {
    /** The two shaded jars (functions/pom.xml). */
    enum Jar {
        API, WORKFLOW
    }

    private final IntakeSources sources;
    private final Set<String> routeHandlers;
    /** An asset belongs to one stack: each (nested) stack has its own reference to each jar. */
    private final Map<Stack, Map<Jar, Code>> codes = new HashMap<>();

    LambdaJars(IntakeSources sources, List<Route> routes) {
        this.sources = sources;
        // the API jar leaves out the clients only a few routes need (S3, STS, Scheduler)
        this.routeHandlers = routes.stream().filter(route -> !route.runsWorkflowJar()).map(Route::lambdaHandler)
                .collect(Collectors.toUnmodifiableSet());
        // fail before building anything when a jar is missing
        sources.requireJar(Jar.API);
        sources.requireJar(Jar.WORKFLOW);
    }

    /** @param handler the function's handler, {@code class::handleRequest} */
    Jar jarOf(String handler) {
        return routeHandlers.contains(handler) ? Jar.API : Jar.WORKFLOW;
    }

    /** The code of a function in {@code scope} that runs {@code handler}. */
    Code code(Construct scope, String handler) {
        Jar jar = jarOf(handler);
        return codes.computeIfAbsent(Stack.of(scope), stack -> new HashMap<>())
                .computeIfAbsent(jar, j -> Code.fromAsset(sources.requireJar(j).toString()));
    }

    Path path(Jar jar) {
        return sources.requireJar(jar);
    }
}
