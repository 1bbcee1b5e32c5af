package dev.intake.app;

import dev.intake.adapters.dynamodb.CapacityMeter;
import dev.intake.adapters.dynamodb.DynamoStorage;
import dev.intake.adapters.dynamodb.TableNames;
import dev.intake.adapters.metrics.PowertoolsImportMetrics;
import dev.intake.adapters.sfn.StepFunctionsStarter;
import dev.intake.core.ArrivalSettings;
import dev.intake.adapters.scheduler.EventBridgeSourceSchedules;
import dev.intake.core.DataSourceService;
import dev.intake.core.DatasetService;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportAccess;
import dev.intake.core.ImportJobService;
import dev.intake.core.ImportWorkflow;
import dev.intake.core.ObjectArrivals;
import dev.intake.core.PageTokens;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.SourceSchedules;
import dev.intake.core.ports.Storage;
import dev.intake.core.ports.WorkflowStarter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Clock;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The composition root: the core services wired to their adapters. Built once per process (in
 * Lambda at init, from the environment, on DynamoDB and S3; locally by the runtime on the embedded
 * store and S3Proxy).
 */
public final class Services {
    public final Deployment deployment;
    public final DatasetService datasets;
    public final ImportJobService jobs;
    public final ImportWorkflow workflow;
    public final ObjectArrivals arrivals;
    public final RecordStore records;
    public final DatasetStore datasetStore;
    /** Saved data sources and their schedules and runs. */
    public final DataSourceService sources;
    /** Personalize's schemas, dataset groups, datasets and tags (null where storage keeps none). */
    public final dev.intake.core.personalize.PersonalizeService personalize;
    private final java.util.function.Supplier<PageTokens> pageTokens;
    /** The Forecast dialect's dataset groups and import-job settings (null where storage keeps none). */
    public final dev.intake.core.ports.ForecastStore forecast;
    /** Dataset export jobs (null where storage keeps none), and the steps of their state machine. */
    public final dev.intake.core.export.ExportJobService exports;
    public final dev.intake.core.export.ExportWorkflow exportWorkflow;
    /** The Lookout for Equipment dialect's datasets, ingestion jobs and client tokens (null where storage keeps none). */
    public final dev.intake.core.ports.LookoutStore lookout;
    /** Every import job, a page at a time (the dialects' ListDatasetImportJobs). */
    public final dev.intake.core.ports.JobStore jobStore;
    /** The DataZone dialect's domains, data sources and runs (null where storage keeps none). */
    public final dev.intake.core.ports.DataZoneStore dataZone;
    /** S3 as each job's role sees it (a DataZone run lists its source's objects as its role). */
    public final ObjectStores objects;
    public final Clock clock;

    /**
     * @param storage where datasets, jobs and records live
     * @param objects S3 as each job's role sees it
     * @param metrics where import metrics go
     */
    /** With no deletion workflow: whoever deletes datasets or retired generations drives the steps itself (tests, benchmarks). */
    public Services(Storage storage, ObjectStores objects, WorkflowStarter starter, ImportMetrics metrics,
                    EngineSettings settings, Deployment deployment, Clock clock) {
        this(storage, objects, starter, WorkflowStarter.manual(dataset -> { }), metrics, settings, deployment, clock);
    }

    /**
     * @param starter   runs the import state machine for jobs
     * @param deletions runs the deletion state machine for datasets
     */
    public Services(Storage storage, ObjectStores objects, WorkflowStarter starter, WorkflowStarter deletions,
                    ImportMetrics metrics, EngineSettings settings, Deployment deployment, Clock clock) {
        this(storage, objects, starter, deletions, metrics, settings, deployment, clock,
                SourceSchedules.unavailable("this process manages no data-source schedules"));
    }

    /** @param schedules the data sources' schedules (EventBridge Scheduler in AWS, the local scheduler locally) */
    public Services(Storage storage, ObjectStores objects, WorkflowStarter starter, WorkflowStarter deletions,
                    ImportMetrics metrics, EngineSettings settings, Deployment deployment, Clock clock,
                    SourceSchedules schedules) {
        this(storage, objects, starter, deletions, metrics, settings, deployment, clock, schedules,
                WorkflowStarter.unavailable("this process starts no dataset exports"));
    }

    /** @param exportStarter runs the export state machine for export jobs */
    public Services(Storage storage, ObjectStores objects, WorkflowStarter starter, WorkflowStarter deletions,
                    ImportMetrics metrics, EngineSettings settings, Deployment deployment, Clock clock,
                    SourceSchedules schedules, WorkflowStarter exportStarter) {
        this.deployment = deployment;
        this.datasetStore = storage.datasets();
        this.records = storage.records();
        this.datasets = new DatasetService(datasetStore, records, deletions, clock);
        this.jobs = new ImportJobService(datasetStore, storage.jobs(), starter, metrics, settings.access(), clock);
        // Forecast jobs' TimestampFormat; Lookout for Equipment ingestion jobs' timestamps, components and KeyPattern
        var forecastTimestamps = new dev.intake.forecast.ForecastTimestampRules(storage.forecast());
        var lookoutTimestamps = new dev.intake.lookout.LookoutTimestampRules(storage.lookout());
        this.workflow = new ImportWorkflow(datasetStore, storage.jobs(), records, objects, starter, metrics, settings, clock,
                (job, dataset) -> forecastTimestamps.forJob(job, dataset).or(() -> lookoutTimestamps.forJob(job, dataset)),
                new dev.intake.forecast.ForecastFileRules(storage.forecast(), // Forecast jobs' Format
                        new dev.intake.lookout.LookoutFileRules(storage.lookout(), clock)));
        this.sources = new DataSourceService(storage.dataSources(), datasetStore, schedules, jobs, settings.access(), clock);
        // objects arriving in a data source's folder feed its dataset; elsewhere, the landing bucket's convention
        this.arrivals = new ObjectArrivals(datasetStore, storage.jobs(), starter, metrics, settings.arrivals(),
                settings.access(), this.sources::covering, clock);
        this.forecast = storage.forecast();
        this.lookout = storage.lookout();
        this.jobStore = storage.jobs();
        this.dataZone = storage.dataZone();
        this.objects = objects;
        this.clock = clock;
        this.personalize = storage.personalize() == null ? null : new dev.intake.core.personalize.PersonalizeService(
                storage.personalize(), datasetStore, datasets, storage.jobs(), clock, storage.exports());
        this.exports = storage.exports() == null ? null : new dev.intake.core.export.ExportJobService(storage.exports(),
                datasetStore, exportStarter, settings.access(), clock);
        this.exportWorkflow = storage.exports() == null ? null : new dev.intake.core.export.ExportWorkflow(
                storage.exports(), datasetStore, records, objects, clock,
                settings.targetChunkBytes());
        this.pageTokens = memoize(() -> new PageTokens(storage.signingKeys().pageTokenKey(), clock));
    }

    /** NextToken signing; its key is read (or made, once per deployment) only by operations that page. */
    public PageTokens pageTokens() {
        return pageTokens.get();
    }

    private static <T> java.util.function.Supplier<T> memoize(java.util.function.Supplier<T> supplier) {
        return new java.util.function.Supplier<>() {
            private volatile T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** The export state machine's ARN, given to the functions that start exports. */
    public static final String EXPORT_STATE_MACHINE_VARIABLE = "EXPORT_STATE_MACHINE_ARN";

    /** The process-wide instance for Lambda, built on first use from the environment. */
    public static Services fromEnvironment() {
        return FromEnvironment.INSTANCE;
    }

    /**
     * Whether this function's jar has the SDK client class (asked as a resource, so that asking loads
     * nothing): the API jar leaves out the clients that only some routes use, and those routes run
     * the workflow jar ({@code Route.runsWorkflowJar}).
     */
    private static boolean inJar(String clientClass) {
        return Services.class.getClassLoader().getResource(clientClass.replace('.', '/') + ".class") != null;
    }

    private static final class FromEnvironment {
        static final Services INSTANCE = build();

        /**
         * Record writes of a batch run side by side on these threads. HttpURLConnection keeps 5
         * idle connections per host unless told otherwise; keep one per writer thread.
         */
        private static final int RECORD_WRITERS = 16;

        private static Services build() {
            System.setProperty("http.maxConnections", Integer.toString(RECORD_WRITERS + 4));
            var http = UrlConnectionHttpClient.builder().build();
            // the meter sees every attempt, so the throttling the SDK's retries absorb is counted too
            CapacityMeter meter = new CapacityMeter();
            DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http)
                    .overrideConfiguration(o -> o.addMetricPublisher(meter)).build();
            // SnapStart: primes the clients before the snapshot (the handler bases add their own paths)
            SnapStartPriming priming = SnapStartPriming.register(org.crac.Core.getGlobalContext());
            // The API jar has no S3 client: the routes that read or write objects run the workflow jar
            ObjectStores objects = inJar("software.amazon.awssdk.services.s3.S3Client")
                    ? ObjectStorageClients.build(http, priming, System.getenv("RESULTS_BUCKET"))
                    : ObjectStores.unavailable("this function's jar has no S3 client: a route that reads or writes"
                            + " objects declares it (Permission.usesObjectStorage) and runs the workflow jar");
            SfnClient sfn = SfnClient.builder().httpClient(http).build();
            String stateMachine = System.getenv("STATE_MACHINE_ARN");
            WorkflowStarter starter = stateMachine == null
                    ? WorkflowStarter.unavailable("STATE_MACHINE_ARN is not set")
                    : new StepFunctionsStarter(sfn, stateMachine, StepFunctionsStarter::jobInput);
            String deleteMachine = System.getenv("DELETE_STATE_MACHINE_ARN");
            WorkflowStarter deletions = deleteMachine == null
                    ? WorkflowStarter.unavailable("DELETE_STATE_MACHINE_ARN is not set")
                    : new StepFunctionsStarter(sfn, deleteMachine, StepFunctionsStarter::datasetInput);
            String exportMachine = System.getenv(EXPORT_STATE_MACHINE_VARIABLE);
            WorkflowStarter exportStarter = exportMachine == null
                    ? WorkflowStarter.unavailable(EXPORT_STATE_MACHINE_VARIABLE + " is not set")
                    : new StepFunctionsStarter(sfn, exportMachine, StepFunctionsStarter::exportInput);
            long chunkBytes = Long.parseLong(System.getenv().getOrDefault("CHUNK_BYTES",
                    Long.toString(EngineSettings.DEFAULT_CHUNK_BYTES)));
            int reportRows = Integer.parseInt(System.getenv().getOrDefault("ERROR_REPORT_ROWS",
                    Integer.toString(EngineSettings.DEFAULT_ERROR_REPORT_ROWS)));
            EngineSettings settings = new EngineSettings(System.getenv("RESULTS_BUCKET"), chunkBytes, reportRows,
                    ImportAccess.fromEnvironment(System.getenv()), ArrivalSettings.fromEnvironment(System.getenv()));
            ExecutorService writers = Executors.newFixedThreadPool(RECORD_WRITERS, r -> {
                Thread t = new Thread(r, "intake-record-writer");
                t.setDaemon(true);
                return t;
            });
            Storage storage = DynamoStorage.of(dynamo, TableNames.fromEnvironment(), writers, meter);
            // Only the functions that manage data sources' schedules are given the schedule group, and
            // they run the workflow jar: the API jar has no Scheduler client (Route.runsWorkflowJar).
            SourceSchedules schedules = EventBridgeSourceSchedules.Settings.fromEnvironment(System.getenv())
                    .filter(s -> inJar("software.amazon.awssdk.services.scheduler.SchedulerClient"))
                    .<SourceSchedules>map(s -> EventBridgeSourceSchedules.create(http, s))
                    .orElseGet(() -> SourceSchedules.unavailable(EventBridgeSourceSchedules.Settings.GROUP_VARIABLE
                            + " is not set, or this function's jar has no Scheduler client: it manages no schedules"));
            ClientPrimers.addTo(priming, dynamo, TableNames.fromEnvironment().control(), sfn, stateMachine);
            return new Services(storage, objects, starter, deletions, new PowertoolsImportMetrics(), settings,
                    Deployment.fromEnvironment(), Clock.systemUTC(), schedules, exportStarter);
        }
    }
}
