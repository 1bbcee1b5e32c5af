package dev.intake.app;

import dev.intake.adapters.dynamodb.DynamoDatasetStore;
import dev.intake.adapters.dynamodb.DynamoJobStore;
import dev.intake.adapters.dynamodb.DynamoRecordStore;
import dev.intake.adapters.dynamodb.DynamoSecrets;
import dev.intake.adapters.dynamodb.TableNames;
import dev.intake.adapters.metrics.PowertoolsImportMetrics;
import dev.intake.adapters.s3.RoleObjectStores;
import dev.intake.adapters.sfn.StepFunctionsStarter;
import dev.intake.core.DatasetService;
import dev.intake.core.EngineSettings;
import dev.intake.core.ImportJobService;
import dev.intake.core.ImportWorkflow;
import dev.intake.core.PageTokens;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.WorkflowStarter;
import java.time.Clock;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The composition root: the core services wired to their adapters. Built once per process (in
 * Lambda at init, from the environment; locally by the runtime with its own clients).
 */
public final class Services {
    public final Deployment deployment;
    public final DatasetService datasets;
    public final ImportJobService jobs;
    public final ImportWorkflow workflow;
    public final RecordStore records;
    public final DatasetStore datasetStore;
    private final java.util.function.Supplier<PageTokens> pageTokens;

    /**
     * @param objects S3 as each job's role sees it
     * @param metrics where import metrics go
     */
    public Services(DynamoDbClient dynamo, ObjectStores objects, WorkflowStarter starter, ImportMetrics metrics,
                    TableNames tables, EngineSettings settings, Deployment deployment, Clock clock) {
        this.deployment = deployment;
        this.datasetStore = new DynamoDatasetStore(dynamo, tables.control());
        JobStore jobStore = new DynamoJobStore(dynamo, tables.control());
        this.records = new DynamoRecordStore(dynamo, tables);
        this.datasets = new DatasetService(datasetStore, records, clock);
        this.jobs = new ImportJobService(datasetStore, jobStore, starter, metrics, clock);
        this.workflow = new ImportWorkflow(datasetStore, jobStore, records, objects, metrics, settings, clock);
        this.pageTokens = memoize(() -> new PageTokens(DynamoSecrets.pageTokenKey(dynamo, tables.control()), clock));
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

    /** The process-wide instance for Lambda, built on first use from the environment. */
    public static Services fromEnvironment() {
        return FromEnvironment.INSTANCE;
    }

    private static final class FromEnvironment {
        static final Services INSTANCE = build();

        private static Services build() {
            var http = UrlConnectionHttpClient.builder().build();
            DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
            S3Client s3 = S3Client.builder().httpClient(http).build();
            StsClient sts = StsClient.builder().httpClient(http).build();
            ObjectStores objects = new RoleObjectStores(s3, role -> S3Client.builder().httpClient(http)
                    .credentialsProvider(StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                            .refreshRequest(r -> r.roleArn(role).roleSessionName("intake-import")).build())
                    .build());
            String stateMachine = System.getenv("STATE_MACHINE_ARN");
            WorkflowStarter starter = stateMachine == null
                    ? jobName -> {
                        throw new IllegalStateException("STATE_MACHINE_ARN is not set");
                    }
                    : new StepFunctionsStarter(SfnClient.builder().httpClient(http).build(), stateMachine);
            long chunkBytes = Long.parseLong(System.getenv().getOrDefault("CHUNK_BYTES",
                    Long.toString(EngineSettings.DEFAULT_CHUNK_BYTES)));
            EngineSettings settings = new EngineSettings(System.getenv("RESULTS_BUCKET"), chunkBytes);
            return new Services(dynamo, objects, starter, new PowertoolsImportMetrics(), TableNames.fromEnvironment(),
                    settings, Deployment.fromEnvironment(), Clock.systemUTC());
        }
    }
}
