package dev.intake.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.intake.adapters.s3.S3ObjectStore;
import dev.intake.adapters.sfn.StepFunctionsStarter;
import dev.intake.api.JobStateChangeEvents;
import dev.intake.app.Deployment;
import dev.intake.app.Services;
import dev.intake.core.ArrivalSettings;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportAccess;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.local.asl.Executor;
import dev.intake.local.asl.Sleeper;
import dev.intake.local.asl.StateMachine;
import dev.intake.local.events.LocalQueue;
import dev.intake.local.events.S3Notifications;
import dev.intake.local.events.SqsEventSource;
import dev.intake.local.store.SqliteDatabase;
import dev.intake.local.store.SqliteJobEvents;
import dev.intake.local.store.SqliteJobStore;
import dev.intake.local.store.SqliteStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * All of Intake in one process: the embedded SQLite store, S3Proxy, the ASL executor running
 * statemachine/import-job.asl.json, and the API server, all on 127.0.0.1.
 */
public final class LocalRuntime implements AutoCloseable {
    public static final String LANDING_BUCKET = "intake-landing";
    public static final String RESULTS_BUCKET = "intake-results";
    /** Where the landing bucket's ObjectCreated notifications go (the stack's LandingNotifications queue). */
    public static final String LANDING_QUEUE = "intake-landing-notifications";
    public static final String LANDING_DEAD_LETTERS = "intake-landing-notifications-dead-letters";
    /** Receives before a notification is moved to the dead-letter queue, as in the stack. */
    public static final int LANDING_MAX_RECEIVES = 5;
    /** How long a notification that failed stays hidden: the stack's 5 minutes would be long on a laptop. */
    public static final Duration LANDING_VISIBILITY_TIMEOUT = Duration.ofSeconds(5);

    /** What local imports may read by default: everything in the landing bucket, as no role. */
    public static final ImportAccess LANDING_ONLY = new ImportAccess(
            List.of(new ImportAccess.Source(LANDING_BUCKET, "")), Set.of());

    /**
     * @param dataDir where data is kept between runs; null keeps everything in memory
     * @param access  where imports may read and which roles they may name (the landing bucket, plus
     *                what --import-source and --import-role-arn add)
     * @param arrivalWindow how long files arriving in the landing bucket collect into one import
     */
    public record Options(int apiPort, int s3Port, Path dataDir, long chunkBytes, ImportAccess access,
                          java.time.Duration arrivalWindow) {
        public static Options defaults() {
            return new Options(4566, 4567, Path.of(".intake"), EngineSettings.DEFAULT_CHUNK_BYTES, LANDING_ONLY,
                    ArrivalSettings.DEFAULT_WINDOW);
        }

        public Options(int apiPort, int s3Port, Path dataDir, long chunkBytes, ImportAccess access) {
            this(apiPort, s3Port, dataDir, chunkBytes, access, ArrivalSettings.DEFAULT_WINDOW);
        }

        /** Checked here, so a wrong --arrival-window is a usage error. */
        public Options withArrivalWindow(java.time.Duration window) {
            new ArrivalSettings(LANDING_BUCKET, window, ArrivalSettings.DEFAULT_MAX_OBJECTS);
            return new Options(apiPort, s3Port, dataDir, chunkBytes, access, window);
        }

        /** The landing bucket's arrivals, as this runtime batches them. */
        public ArrivalSettings arrivals() {
            return new ArrivalSettings(LANDING_BUCKET, arrivalWindow, ArrivalSettings.DEFAULT_MAX_OBJECTS);
        }

        public Options inMemory() {
            return new Options(apiPort, s3Port, null, chunkBytes, access, arrivalWindow);
        }

        public Options withPorts(int api, int s3) {
            return new Options(api, s3, dataDir, chunkBytes, access, arrivalWindow);
        }

        public Options withChunkBytes(long bytes) {
            return new Options(apiPort, s3Port, dataDir, bytes, access, arrivalWindow);
        }

        public Options withDataDir(Path directory) {
            return new Options(apiPort, s3Port, directory, chunkBytes, access, arrivalWindow);
        }

        /** Lets imports also read this bucket or folder ({@code s3://bucket/} or {@code s3://bucket/folder/}). */
        public Options withImportSource(String uri) {
            return new Options(apiPort, s3Port, dataDir, chunkBytes,
                    access.plus(List.of(ImportAccess.Source.parse(uri)), List.of()), arrivalWindow);
        }

        /** Lets jobs name this role (recorded, not assumed: there is no IAM locally). */
        public Options withImportRoleArn(String arn) {
            return new Options(apiPort, s3Port, dataDir, chunkBytes, access.plus(List.of(), List.of(arn)), arrivalWindow);
        }
    }

    private final SqliteDatabase database;
    private final EmbeddedS3 s3;
    private final ExecutorService executionThreads;
    private final Executor executor;
    private final LocalWorkflowStarter starter;
    private final LocalWorkflowStarter deletions;
    private final LocalWorkflowStarter exports;
    private final Services services;
    private final LocalHttpServer api;
    private final SqsEventSource landingEvents;
    private final LocalEventBus events = new LocalEventBus();
    private final LocalJobEvents jobEvents;
    private final LocalSourceSchedules schedules;
    private final java.util.concurrent.ScheduledExecutorService scheduleTicker;

    public LocalRuntime(Options options) throws Exception {
        this(options, Clock.systemUTC(), true);
    }

    /**
     * @param clock          the clock of everything it runs, schedules included
     * @param tickSchedules  run due schedules every second on a thread of its own; tests pass false
     *                       and call {@code schedules().tick()} after moving a virtual clock
     */
    LocalRuntime(Options options, Clock clock, boolean tickSchedules) throws Exception {
        try {
            this.database = options.dataDir() == null ? SqliteDatabase.inMemory()
                    : SqliteDatabase.inDirectory(options.dataDir());
            S3Notifications notifications = new S3Notifications(Deployment.LOCAL, Clock.systemUTC());
            this.s3 = options.dataDir() == null ? EmbeddedS3.inMemory(options.s3Port(), notifications)
                    : EmbeddedS3.inDirectory(options.dataDir().resolve("s3"), options.s3Port(), notifications);
            s3.createBucket(LANDING_BUCKET);
            s3.createBucket(RESULTS_BUCKET);
            LocalQueue deadLetters = new LocalQueue(database, LANDING_DEAD_LETTERS, Deployment.LOCAL, Clock.systemUTC(),
                    LANDING_VISIBILITY_TIMEOUT, null);
            LocalQueue landingQueue = new LocalQueue(database, LANDING_QUEUE, Deployment.LOCAL, Clock.systemUTC(),
                    LANDING_VISIBILITY_TIMEOUT, new LocalQueue.RedrivePolicy(deadLetters, LANDING_MAX_RECEIVES));
            notifications.configure(LANDING_BUCKET, "intake-landing-object-created", landingQueue::send);
            this.landingEvents = new SqsEventSource(landingQueue, Deployment.LOCAL, SqsEventSource.Settings.defaults());
            this.starter = new LocalWorkflowStarter(StepFunctionsStarter::jobInput);
            this.deletions = new LocalWorkflowStarter(StepFunctionsStarter::datasetInput);
            this.exports = new LocalWorkflowStarter(StepFunctionsStarter::exportInput);
            this.schedules = new LocalSourceSchedules(clock);
            Storage storage = SqliteStorage.of(database);
            this.services = new Services(storage, ObjectStores.single(new S3ObjectStore(s3.client())),
                    starter, deletions, ImportMetrics.NONE,
                    new EngineSettings(RESULTS_BUCKET, options.chunkBytes(), options.access())
                            .withArrivals(options.arrivals()), Deployment.LOCAL,
                    clock, schedules, exports);
            // Executions spend most of their time waiting (on their Map): one thread each, as
            // many as there are running jobs.
            this.executionThreads = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "intake-execution");
                t.setDaemon(true);
                return t;
            });
            this.executor = new Executor(new LocalFunctions(services), Sleeper.realTime(), executionThreads,
                    LocalFunctions.objectReader(s3.client()));
            var ended = LocalWorkflowStarter.to(new dev.intake.workflow.ExecutionEndedTask(services));
            starter.connect(executor, StateMachine.parse(stateMachineDefinition(), LocalFunctions.substitutions()), ended);
            deletions.connect(executor, StateMachine.parse(definition("delete-records.asl.json"),
                    LocalFunctions.substitutions()), ended);
            exports.connect(executor, StateMachine.parse(definition("export-job.asl.json"), LocalFunctions.substitutions()),
                    ended);
            // Job state changes, from the database's outbox to the local bus (EventBridge in AWS).
            this.jobEvents = new LocalJobEvents(new SqliteJobEvents(database), new SqliteJobStore(database),
                    new JobStateChangeEvents(Deployment.LOCAL), events);
            this.api = new LocalHttpServer(services, options.apiPort());
            services.workflow.resumeUnfinished();
            services.datasets.resumeDeletions();
            services.exports.resumeUnfinished();
            // Schedules fire through the same task as Scheduler's; times missed while stopped are not caught up.
            var scheduledRun = new dev.intake.workflow.RunScheduledSourceTask(services);
            schedules.connect((source, time) -> scheduledRun.invoke(
                    dev.intake.workflow.RunScheduledSourceTask.input(source, time)));
            storage.dataSources().all().forEach(schedules::put);
            if (tickSchedules) {
                this.scheduleTicker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "intake-schedules");
                    t.setDaemon(true);
                    return t;
                });
                scheduleTicker.scheduleWithFixedDelay(() -> {
                    try {
                        schedules.tick();
                    } catch (RuntimeException e) {
                        // a tick that throws would end the ticking for good
                        org.slf4j.LoggerFactory.getLogger(LocalRuntime.class).error("schedule tick failed", e);
                    }
                }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            } else {
                this.scheduleTicker = null;
            }
            // The same trigger as the stack's S3Arrivals function: files put into a dataset's folder are imported.
            var trigger = new dev.intake.triggers.S3EventTrigger(services);
            landingEvents.consumer(event -> trigger.handleRequest(event, null));
            landingEvents.start();
        } catch (Exception | Error e) {
            // Whatever started must stop, or its non-daemon threads keep the JVM (intake local) alive.
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The core wired for one machine: S3Proxy for every role (no IAM locally, so a job's roleArn is
     * checked against the settings and recorded, but not assumed) and no metrics sink.
     */
    static Services services(Storage storage, software.amazon.awssdk.services.s3.S3Client s3, WorkflowStarter starter,
                             long chunkBytes) {
        return services(storage, s3, starter, new EngineSettings(RESULTS_BUCKET, chunkBytes, LANDING_ONLY));
    }

    static Services services(Storage storage, software.amazon.awssdk.services.s3.S3Client s3, WorkflowStarter starter,
                             EngineSettings settings) {
        return new Services(storage, ObjectStores.single(new S3ObjectStore(s3)), starter, ImportMetrics.NONE, settings,
                Deployment.LOCAL, Clock.systemUTC());
    }

    /** The ASL file, copied onto the classpath from statemachine/ at build time. */
    static String stateMachineDefinition() {
        return definition("import-job.asl.json");
    }

    /** A state machine file of statemachine/, copied onto the classpath at build time. */
    static String definition(String file) {
        try (InputStream in = LocalRuntime.class.getResourceAsStream("/statemachine/" + file)) {
            if (in == null) {
                throw new IllegalStateException("statemachine/" + file + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI apiEndpoint() {
        return URI.create("http://127.0.0.1:" + api.port());
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public Services services() {
        return services;
    }

    /** Where job state-change events go locally (as to EventBridge in AWS): read them, or subscribe. */
    public LocalEventBus events() {
        return events;
    }

    SqliteDatabase database() {
        return database;
    }

    LocalWorkflowStarter workflows() {
        return starter;
    }

    LocalWorkflowStarter deletionWorkflows() {
        return deletions;
    }

    LocalWorkflowStarter exportWorkflows() {
        return exports;
    }

    /** The landing bucket's ObjectCreated notifications (and an s3:TestEvent at each start), as S3 queues them. */
    public LocalQueue landingQueue() {
        return landingEvents.queue();
    }

    /** Notifications the landing queue's consumer failed on {@value #LANDING_MAX_RECEIVES} times. */
    public LocalQueue landingDeadLetters() {
        return landingEvents.queue().redrivePolicy().orElseThrow().deadLetterQueue();
    }

    /**
     * The function the landing queue's messages go to, in batches as Lambda's SQS event source sends
     * them (the S3 event trigger); until one is set, they stay queued. Null stops delivering.
     */
    public void landingConsumer(Function<SQSEvent, SQSBatchResponse> consumer) {
        landingEvents.consumer(consumer);
    }

    /** The data sources' schedules (tick them after moving a virtual clock). */
    LocalSourceSchedules schedules() {
        return schedules;
    }

    @Override
    public void close() throws Exception {
        // Null-safe: also closes what a constructor that failed half-way had started.
        if (landingEvents != null) {
            landingEvents.close();
        }
        if (scheduleTicker != null) {
            scheduleTicker.shutdownNow();
        }
        if (api != null) {
            api.close();
        }
        if (executor != null) {
            executor.close();
        }
        if (executionThreads != null) {
            executionThreads.shutdownNow();
        }
        if (jobEvents != null) {
            jobEvents.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
