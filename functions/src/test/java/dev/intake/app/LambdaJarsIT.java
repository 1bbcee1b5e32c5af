package dev.intake.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.intake.api.Route;
import dev.intake.api.Routes;
import dev.intake.triggers.Triggers;
import dev.intake.workflow.ScheduledTasks;
import dev.intake.workflow.WorkflowTasks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each Lambda jar alone runs the functions it is given (see the shade executions in pom.xml and
 * infra's LambdaJars): every route handler of {@link Routes#ALL} from the API jar, every workflow
 * task, trigger and scheduled function from the workflow jar. Each jar is loaded in a class loader
 * that sees nothing but it and the JDK; every handler is initialised as Lambda does it (static
 * initialisation, the no-arg constructor, which builds the SDK clients from the environment) and
 * invoked once with its Lambda event type against a stub AWS endpoint on 127.0.0.1. A class the jar
 * lacks fails the handler (NoClassDefFoundError, ExceptionInInitializerError), and a Log4j plugin
 * the JSON logs need fails the run (Log4j reports it as a StatusLogger error). Runs after package
 * (failsafe), on the jars just built; the environment is set in pom.xml.
 */
class LambdaJarsIT {
    private static final String PROBE_JOB = "lambda-jars-probe";
    /** Outcomes' keys of the SnapStart hook's primers, and of those that failed when run. */
    private static final String PRIMERS = "SnapStart primers";
    private static final String PRIMERS_FAILED = "SnapStart primers failed";
    private static HttpServer stub;
    private static final AtomicInteger STUB_REQUESTS = new AtomicInteger();
    private static final Map<String, AtomicInteger> STUB_TARGETS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void startStub() throws Exception {
        // Answers every AWS JSON call with an empty object: an item not found, an empty page.
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            STUB_REQUESTS.incrementAndGet();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            STUB_TARGETS.computeIfAbsent(target == null ? exchange.getRequestURI().getPath() : target,
                    t -> new AtomicInteger()).incrementAndGet();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        stub.start();
        // The SDK's endpoint for every service (its system property; the environment cannot be set here).
        System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + stub.getAddress().getPort());
    }

    @AfterAll
    static void stopStub() {
        stub.stop(0);
        System.clearProperty("aws.endpointUrl");
    }

    @Test
    void theApiJarAloneRunsEveryRouteHandlerButThoseOfTheWorkflowJar() throws Exception {
        List<Route> routes = Routes.ALL.stream().filter(route -> !route.runsWorkflowJar()).toList();
        assertThat(routes.stream().map(Route::handlerClass).distinct()).hasSizeGreaterThan(60);
        int primedReads = STUB_TARGETS.getOrDefault("DynamoDB_20120810.GetItem", new AtomicInteger()).get();
        Map<String, String> outcomes = runEach(jar("intake.apiJar"), routes.stream()
                .map(route -> new Probe(route.handlerClass(), route)).toList());
        // SnapStart's hook: the clients, Jackson and every handler's request path primed, from the API jar alone
        String primers = outcomes.remove(PRIMERS);
        assertThat(primers).contains("Jackson, DynamoDB, Step Functions",
                "PERSONALIZE DescribeDatasetImportJob request path").doesNotContain("S3");
        String failed = outcomes.remove(PRIMERS_FAILED);
        assertThat(failed).doesNotContain("Jackson").doesNotContain("DynamoDB").doesNotContain("request path");
        assertThat(STUB_TARGETS.get("DynamoDB_20120810.GetItem").get()).isGreaterThan(primedReads);
        // Every handler answered (API errors are answers: the probe's bodies are mostly invalid).
        assertThat(outcomes).hasSize(routes.size()).allSatisfy((handler, outcome) ->
                assertThat(outcome).as(handler).startsWith("status="));
        assertThat(outcomes.values()).as("some probes pass validation and reach DynamoDB").contains("status=200");
    }

    @Test
    void theWorkflowJarAloneRunsEveryTaskTriggerAndScheduledFunction() throws Exception {
        List<String> handlers = Stream.of(
                WorkflowTasks.ALL.stream().map(WorkflowTasks.Task::handlerClass),
                WorkflowTasks.EXPORT.stream().map(WorkflowTasks.Task::handlerClass),
                Stream.of(WorkflowTasks.DELETE_RECORDS, WorkflowTasks.EXECUTION_ENDED, WorkflowTasks.PUBLISH_JOB_EVENTS,
                        Triggers.S3_ARRIVALS).map(WorkflowTasks.Task::handlerClass),
                ScheduledTasks.ALL.stream().map(ScheduledTasks.Task::handlerClass),
                Stream.of(ScheduledTasks.RUN_SCHEDULED_SOURCE.handlerClass())).flatMap(s -> s).distinct().toList();
        // and the routes that need a client the API jar leaves out (S3, STS, Scheduler)
        List<Route> objectRoutes = Routes.ALL.stream().filter(Route::runsWorkflowJar).toList();
        assertThat(objectRoutes).extracting(Route::target).contains("DataZone.StartDataSourceRun",
                "Intake.CreateDataSource", "DataZone.DeleteDataSource");
        Map<String, String> outcomes = runEach(jar("intake.workflowJar"), Stream.concat(
                handlers.stream().map(handler -> new Probe(handler, null)),
                objectRoutes.stream().map(route -> new Probe(route.handlerClass(), route))).toList());
        assertThat(outcomes.remove(PRIMERS)).contains("S3", "Jackson, DynamoDB", "DATAZONE StartDataSourceRun request path");
        assertThat(outcomes.remove(PRIMERS_FAILED)).doesNotContain("Jackson").doesNotContain("DynamoDB")
                .doesNotContain("request path");
        assertThat(outcomes).hasSize(handlers.size() + objectRoutes.size());
        assertThat(outcomes.entrySet()).filteredOn(e -> e.getKey().endsWith(" StartDataSourceRun"))
                .singleElement().satisfies(e -> assertThat(e.getValue()).startsWith("status="));
    }

    @Test
    void theApiJarLeavesOutWhatOnlyTheWorkflowUses() throws Exception {
        try (var api = new java.util.zip.ZipFile(jar("intake.apiJar").toFile());
             var workflow = new java.util.zip.ZipFile(jar("intake.workflowJar").toFile())) {
            for (String workflowOnly : List.of("software/amazon/awssdk/services/eventbridge/EventBridgeClient.class",
                    "software/amazon/awssdk/services/s3/S3Client.class",
                    "software/amazon/awssdk/services/sts/StsClient.class",
                    "software/amazon/awssdk/services/scheduler/SchedulerClient.class",
                    // minimizeJar: what no class of ours reaches
                    "software/amazon/awssdk/services/dynamodb/DefaultDynamoDbAsyncClient.class",
                    "org/apache/datasketches/hll/HllSketch.class",
                    "com/amazonaws/services/lambda/runtime/events/SQSEvent.class")) {
                assertThat(api.getEntry(workflowOnly)).as(workflowOnly + " in the API jar").isNull();
                assertThat(workflow.getEntry(workflowOnly)).as(workflowOnly + " in the workflow jar").isNotNull();
            }
        }
    }

    /**
     * Requests that pass validation and run the operation (against the stub), for the paths that
     * reach libraries the probes' empty bodies do not: an Avro schema parsed, a job created.
     */
    private static final Map<String, String> VALID_BODIES = Map.of(
            "INTAKE CreateDataset", """
                    {"name": "probe", "keyFields": ["ID"], "schema": "{\\"type\\": \\"record\\", \\"name\\": \\"P\\", \\"fields\\": [{\\"name\\": \\"ID\\", \\"type\\": \\"string\\"}]}"}""",
            "PERSONALIZE CreateDatasetImportJob", """
                    {"jobName": "probe", "datasetArn": "arn:aws:personalize:us-east-1:000000000000:dataset/probe",
                     "dataSource": {"dataLocation": "s3://landing/probe/"}, "roleArn": "arn:aws:iam::000000000000:role/probe"}""");

    /**
     * Our classes that only workflow functions run, although the API jar has them (all of
     * dev.intake is in both jars): they may refer to what the API jar leaves out.
     */
    private static final List<String> WORKFLOW_ONLY = List.of(
            "dev/intake/workflow/", "dev/intake/triggers/", // the functions themselves
            "dev/intake/adapters/events/", // EventBridge, for PublishJobEvents
            "dev/intake/adapters/dynamodb/JobStreamImages", // the control table's stream records, for PublishJobEvents
            "dev/intake/core/stats/DistinctSketches", "dev/intake/core/stats/FieldStatisticsCollector",
            "dev/intake/core/stats/FieldSummary", // sketches, counted by IngestChunk and merged by Finish
            "dev/intake/core/format/parquet/", // Parquet files are read by IngestChunk only
            // S3, STS, Scheduler: the routes that need them run the workflow jar (Route.runsWorkflowJar)
            "dev/intake/adapters/s3/", "dev/intake/app/ObjectStorageClients", "dev/intake/adapters/scheduler/");

    @Test
    void everyClassOfOursInTheApiJarFindsWhatItRefersTo() throws Exception {
        assertThat(unresolvedReferences(jar("intake.apiJar"), WORKFLOW_ONLY)).isEmpty();
    }

    @Test
    void everyClassOfOursInTheWorkflowJarFindsWhatItRefersTo() throws Exception {
        assertThat(unresolvedReferences(jar("intake.workflowJar"), List.of())).isEmpty();
    }

    /**
     * Every class that a class of ours (dev.intake, except {@code skipped} prefixes) names in its
     * constant pool (classes used, and the types in the signatures it calls) and that is neither in
     * the jar nor in the JDK: what would be a NoClassDefFoundError on some path, probed or not.
     */
    private static List<String> unresolvedReferences(Path jar, List<String> skipped) throws Exception {
        List<String> unresolved = new ArrayList<>();
        ClassLoader jdk = ClassLoader.getPlatformClassLoader();
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            var entries = java.util.Collections.list(zip.entries());
            assertThat(entries).anyMatch(e -> e.getName().startsWith("dev/intake/api/"));
            for (var entry : entries) {
                String name = entry.getName();
                if (!name.startsWith("dev/intake/") || !name.endsWith(".class")
                        || skipped.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                byte[] bytes;
                try (var in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                for (String referenced : ClassReferences.of(bytes)) {
                    String file = referenced + ".class";
                    if (zip.getEntry(file) == null && jdk.getResource(file) == null) {
                        unresolved.add(name + " -> " + referenced);
                    }
                }
            }
        }
        return unresolved;
    }

    /** A handler to run, and the route it serves (null for the workflow's functions). */
    private record Probe(String handlerClass, Route route) {
    }

    /**
     * Runs each probe's handler from the jar alone; fails on any missing class or Log4j error.
     *
     * @return per handler (and route), what it answered: {@code status=N}, or the exception it threw
     */
    private static Map<String, String> runEach(Path jar, List<Probe> probes) throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        int stubBefore = STUB_REQUESTS.get();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        // Log4j and its status logger take System.out/err when they start: in the jar's loader, now.
        System.setOut(capture);
        System.setErr(capture);
        try (URLClassLoader loader = new URLClassLoader("lambda-" + jar.getFileName(), new URL[]{jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            // Lambda runs the handler with its loader as the context loader (ServiceLoader lookups use it)
            Thread.currentThread().setContextClassLoader(loader);
            for (Probe probe : probes) {
                String key = probe.handlerClass() + (probe.route() == null ? "" : " " + probe.route().operation());
                try {
                    // as Lambda does: the class initialised, then its public no-arg constructor
                    Class<?> type = Class.forName(probe.handlerClass(), true, loader);
                    Object handler = type.getConstructor().newInstance();
                    outcomes.put(key, invoke(loader, handler, probe));
                } catch (Throwable e) {
                    Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                    if (linkageProblem(cause)) {
                        missing.add(key + ": " + cause);
                    }
                    outcomes.put(key, cause.getClass().getName() + ": " + cause.getMessage());
                }
            }
            // The Lambda wiring registered SnapStart's hook, from the jar alone; run it as the checkpoint would.
            Class<?> primingType = loader.loadClass("dev.intake.app.SnapStartPriming");
            Object priming = ((java.util.Optional<?>) primingType.getMethod("current").invoke(null)).orElseThrow();
            outcomes.put(PRIMERS, String.valueOf(primingType.getMethod("primerNames").invoke(priming)));
            outcomes.put(PRIMERS_FAILED, String.valueOf(primingType.getMethod("prime").invoke(priming)));
        } finally {
            Thread.currentThread().setContextClassLoader(LambdaJarsIT.class.getClassLoader());
            System.setOut(out);
            System.setErr(err);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        outcomes.forEach((handler, outcome) -> System.out.println(jar.getFileName() + " " + handler + " -> "
                + outcome.substring(0, Math.min(outcome.length(), 160))));
        assertThat(missing).as("handlers that need a class " + jar.getFileName() + " lacks").isEmpty();
        assertThat(output.lines().filter(line -> line.contains("StatusLogger") || line.contains("NoClassDefFoundError")
                || line.contains("ClassNotFoundException")).toList()).as("Log4j's and the JVM's complaints").isEmpty();
        assertThat(STUB_REQUESTS.get() - stubBefore).as("AWS calls made through the jar's SDK clients").isPositive();
        return outcomes;
    }

    private static boolean linkageProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LinkageError || t instanceof ClassNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** One request of the handler's Lambda event type, with a Lambda context. */
    private static String invoke(ClassLoader loader, Object handler, Probe probe) throws Exception {
        Class<?> contextType = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
        Object context = Proxy.newProxyInstance(loader, new Class<?>[]{contextType}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> 30_000;
                    case "getMemoryLimitInMB" -> 1024;
                    case "getLogger", "getIdentity", "getClientContext" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "lambda-jars-probe";
                });
        Class<?> streamHandler = loader.loadClass("com.amazonaws.services.lambda.runtime.RequestStreamHandler");
        if (streamHandler.isInstance(handler)) {
            // a state machine task: the job it is about (unknown to the stub, so it fails as such a job does)
            Method handle = streamHandler.getMethod("handleRequest", java.io.InputStream.class, OutputStream.class,
                    contextType);
            var output = new ByteArrayOutputStream();
            handle.invoke(handler, new ByteArrayInputStream(("{\"jobName\": \"" + PROBE_JOB + "\", \"datasetName\": "
                    + "\"probe\", \"chunk\": 0, \"pass\": 1}").getBytes(StandardCharsets.UTF_8)), output, context);
            return "output=" + output.toString(StandardCharsets.UTF_8);
        }
        Method handle = Stream.of(handler.getClass().getMethods())
                .filter(m -> m.getName().equals("handleRequest") && !m.isBridge() && !Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 2)
                .findFirst().orElseThrow();
        Object event = event(loader, handle.getParameterTypes()[0], probe.route());
        Object response = handle.invoke(handler, event, context);
        if (probe.route() != null) {
            return "status=" + response.getClass().getMethod("getStatusCode").invoke(response);
        }
        return "answered " + response;
    }

    /** The event Lambda passes: API Gateway's proxy event, an SQS batch of S3 notifications, a stream batch. */
    private static Object event(ClassLoader loader, Class<?> type, Route route) throws Exception {
        Object event = type.getConstructor().newInstance();
        switch (type.getSimpleName()) {
            case "APIGatewayProxyRequestEvent" -> {
                type.getMethod("setHttpMethod", String.class).invoke(event, route.method());
                type.getMethod("setPath", String.class).invoke(event, route.path());
                type.getMethod("setBody", String.class).invoke(event, route.method().equals("GET") ? null
                        : VALID_BODIES.getOrDefault(route.dialect() + " " + route.operation(), "{}"));
            }
            case "SQSEvent" -> {
                Class<?> messageType = loader.loadClass(type.getName() + "$SQSMessage");
                Object message = messageType.getConstructor().newInstance();
                messageType.getMethod("setMessageId", String.class).invoke(message, "probe-1");
                messageType.getMethod("setBody", String.class).invoke(message, """
                        {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                          "eventTime": "2026-01-01T00:00:00.000Z",
                          "s3": {"bucket": {"name": "landing"}, "object": {"key": "probe/a.csv", "size": 10,
                          "eTag": "0123456789abcdef0123456789abcdef", "sequencer": "0055AED6DCD90281E5"}}}]}""");
                type.getMethod("setRecords", List.class).invoke(event, List.of(message));
            }
            case "DynamodbEvent" -> type.getMethod("setRecords", List.class).invoke(event, List.of());
            default -> throw new IllegalStateException("no probe event for " + type);
        }
        return event;
    }

    private static Path jar(String property) {
        String path = System.getProperty(property);
        assertThat(path).as(property + " (set by failsafe in pom.xml)").isNotNull();
        Path jar = Path.of(path);
        assertThat(Files.isRegularFile(jar)).as(jar + " exists").isTrue();
        return jar;
    }
}
