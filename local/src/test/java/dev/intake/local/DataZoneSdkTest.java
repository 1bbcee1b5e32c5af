package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.datazone.DataZoneClient;
import software.amazon.awssdk.services.datazone.model.AccessDeniedException;
import software.amazon.awssdk.services.datazone.model.ConflictException;
import software.amazon.awssdk.services.datazone.model.CreateDataSourceRequest;
import software.amazon.awssdk.services.datazone.model.CreateDataSourceResponse;
import software.amazon.awssdk.services.datazone.model.DataAssetActivityStatus;
import software.amazon.awssdk.services.datazone.model.DataSourceErrorType;
import software.amazon.awssdk.services.datazone.model.DataSourceRunActivity;
import software.amazon.awssdk.services.datazone.model.DataSourceRunStatus;
import software.amazon.awssdk.services.datazone.model.DataSourceRunType;
import software.amazon.awssdk.services.datazone.model.DataSourceStatus;
import software.amazon.awssdk.services.datazone.model.DomainStatus;
import software.amazon.awssdk.services.datazone.model.EnableSetting;
import software.amazon.awssdk.services.datazone.model.FilterExpressionType;
import software.amazon.awssdk.services.datazone.model.GetDataSourceRunResponse;
import software.amazon.awssdk.services.datazone.model.ResourceNotFoundException;
import software.amazon.awssdk.services.datazone.model.Timezone;
import software.amazon.awssdk.services.datazone.model.ValidationException;

/**
 * Amazon DataZone's domains, data sources and runs through the stock SDK v2 DataZoneClient (rest-json)
 * pointed at the local server: every field read back through the SDK's own unmarshalling (ISO 8601
 * DateTime members, epoch-second domain timestamps), each error Intake can raise as the SDK's
 * exception class, and the runs' per-object results: a second run over unchanged files imports
 * nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataZoneSdkTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/datazone-reader";
    private static final String SCHEMA = EndToEndTest.SCHEMA;
    /**
     * The objects of the many-objects source, a multiple of 500: 1,000 by default (each 500 is one
     * import, some 20 s here); {@code -Dintake.test.dataZoneObjects=5000} for the big run.
     */
    private static final int MANY_OBJECTS = Integer.getInteger("intake.test.dataZoneObjects", 1_000);
    private static final String SOURCE_ARN = "arn:aws:personalize:us-east-1:000000000000:data-source/";

    private LocalRuntime runtime;
    private DataZoneClient datazone;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withImportRoleArn(ROLE));
        api = new ApiClient(runtime.apiEndpoint());
        datazone = DataZoneClient.builder().endpointOverride(runtime.apiEndpoint().resolve("/datazone"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        api.ok("intake", "CreateDataset", Map.of("name", "dz-users", "schema", SCHEMA, "keyFields", List.of("USER_ID")));
    }

    @AfterAll
    void stop() throws Exception {
        datazone.close();
        runtime.close();
    }

    private void put(String key, String text) {
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key(key),
                RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private String domain(String name) {
        return datazone.createDomain(r -> r.name(name).domainExecutionRole(ROLE)).id();
    }

    private CreateDataSourceResponse source(String domainId, String name, String folder, String dataset) {
        return datazone.createDataSource(sourceRequest(domainId, name, folder, dataset).build());
    }

    private static CreateDataSourceRequest.Builder sourceRequest(String domainId, String name, String folder, String dataset) {
        return CreateDataSourceRequest.builder().domainIdentifier(domainId).name(name).projectIdentifier("proj1").type("S3")
                .configuration(c -> c.glueRunConfiguration(g -> g.relationalFilterConfigurations(f -> f
                        .databaseName(LocalRuntime.LANDING_BUCKET).schemaName(dataset)
                        .filterExpressions(e -> e.type(FilterExpressionType.INCLUDE).expression(folder)))));
    }

    private GetDataSourceRunResponse awaitRun(String domainId, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var run = datazone.getDataSourceRun(r -> r.domainIdentifier(domainId).identifier(runId));
            if (run.status() != DataSourceRunStatus.REQUESTED && run.status() != DataSourceRunStatus.RUNNING) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not end");
    }

    @Test
    void domainsAreCreatedDescribedListedAndDeleted() {
        Instant before = Instant.now().minusSeconds(1);
        var created = datazone.createDomain(r -> r.name("Sales").description("sales data").domainExecutionRole(ROLE)
                .serviceRole(ROLE).kmsKeyIdentifier("arn:aws:kms:us-east-1:000000000000:key/12345678-1234-1234-1234-123456789012")
                .tags(Map.of("team", "sales")).domainVersion("V2").singleSignOn(s -> s.type("DISABLED")));
        assertThat(created.id()).matches("dzd_[a-z0-9]{14}");
        assertThat(created.name()).isEqualTo("Sales");
        assertThat(created.description()).isEqualTo("sales data");
        assertThat(created.domainExecutionRole()).isEqualTo(ROLE);
        assertThat(created.serviceRole()).isEqualTo(ROLE);
        assertThat(created.arn()).isEqualTo("arn:aws:datazone:us-east-1:000000000000:domain/" + created.id());
        assertThat(created.statusAsString()).isEqualTo("AVAILABLE");
        assertThat(created.tags()).containsEntry("team", "sales");
        assertThat(created.domainVersionAsString()).isEqualTo("V2");
        assertThat(created.singleSignOn().typeAsString()).isEqualTo("DISABLED");
        assertThat(created.kmsKeyIdentifier()).endsWith("key/12345678-1234-1234-1234-123456789012");

        var got = datazone.getDomain(r -> r.identifier(created.id()));
        assertThat(got.id()).isEqualTo(created.id());
        assertThat(got.name()).isEqualTo("Sales");
        assertThat(got.status()).isEqualTo(DomainStatus.AVAILABLE);
        assertThat(got.domainExecutionRole()).isEqualTo(ROLE);
        assertThat(got.arn()).isEqualTo(created.arn());
        assertThat(got.tags()).containsEntry("team", "sales");
        assertThat(got.createdAt()).isBetween(before, Instant.now());
        assertThat(got.lastUpdatedAt()).isEqualTo(got.createdAt());

        String other = domain("Other");
        var ids = new java.util.ArrayList<String>();
        String token = null;
        do {
            String next = token;
            var page = datazone.listDomains(r -> r.maxResults(1).nextToken(next));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(1);
            page.items().forEach(d -> {
                ids.add(d.id());
                assertThat(d.managedAccountId()).isEqualTo("000000000000");
                assertThat(d.status()).isEqualTo(DomainStatus.AVAILABLE);
                assertThat(d.createdAt()).isNotNull();
                assertThat(d.arn()).endsWith(d.id());
            });
            token = page.nextToken();
        } while (token != null);
        assertThat(ids).contains(created.id(), other);
        assertThat(datazone.listDomains(r -> r.status(DomainStatus.DELETING)).items()).isEmpty();

        assertThat(datazone.deleteDomain(r -> r.identifier(other)).status()).isEqualTo(DomainStatus.DELETED);
        assertThatThrownBy(() -> datazone.getDomain(r -> r.identifier(other)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(other);
        assertThatThrownBy(() -> datazone.deleteDomain(r -> r.identifier(other)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void domainErrorsAreTheModelsShapes() {
        assertThatThrownBy(() -> datazone.createDomain(r -> r.name("no-role")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("domainExecutionRole");
        assertThatThrownBy(() -> datazone.createDomain(r -> r.name("bad-role").domainExecutionRole("role")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("domainExecutionRole");
        assertThatThrownBy(() -> datazone.getDomain(r -> r.identifier("not-a-domain")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("identifier");
        assertThatThrownBy(() -> datazone.listDomains(r -> r.maxResults(26)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxResults");
        assertThatThrownBy(() -> datazone.listDomains(r -> r.nextToken("forged")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("next token");
        // the same clientToken: the domain it made; with another request: a conflict
        String first = datazone.createDomain(r -> r.name("Once").domainExecutionRole(ROLE).clientToken("tok-1")).id();
        assertThat(datazone.createDomain(r -> r.name("Once").domainExecutionRole(ROLE).clientToken("tok-1")).id())
                .isEqualTo(first);
        assertThatThrownBy(() -> datazone.createDomain(r -> r.name("Twice").domainExecutionRole(ROLE).clientToken("tok-1")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("tok-1");
    }

    @Test
    void dataSourcesMapOntoSavedSourcesAndSchedules() throws Exception {
        String domainId = domain("Sources");
        Instant before = Instant.now().minusSeconds(1);
        var created = datazone.createDataSource(sourceRequest(domainId, "Users from CRM", "dz/crm/", "dz-users")
                .description("the CRM export").environmentIdentifier("env1").enableSetting(EnableSetting.DISABLED)
                .publishOnImport(true).recommendation(r -> r.enableBusinessNameGeneration(false))
                .schedule(s -> s.schedule("cron(0 12 * * ? *)").timezone(Timezone.EUROPE_PARIS))
                .assetFormsInput(f -> f.formName("owner").typeIdentifier("amazon.datazone.OwnerForm").content("{}"))
                .build());
        String id = created.id();
        assertThat(id).matches("[a-z0-9]{14}");
        assertThat(created.name()).isEqualTo("Users from CRM");
        assertThat(created.description()).isEqualTo("the CRM export");
        assertThat(created.domainId()).isEqualTo(domainId);
        assertThat(created.projectId()).isEqualTo("proj1");
        assertThat(created.environmentId()).isEqualTo("env1");
        assertThat(created.type()).isEqualTo("S3");
        assertThat(created.status()).isEqualTo(DataSourceStatus.READY);
        assertThat(created.enableSetting()).isEqualTo(EnableSetting.DISABLED);
        assertThat(created.publishOnImport()).isTrue();
        assertThat(created.recommendation().enableBusinessNameGeneration()).isFalse();
        assertThat(created.schedule().schedule()).isEqualTo("cron(0 12 * * ? *)");
        assertThat(created.schedule().timezone()).isEqualTo(Timezone.EUROPE_PARIS);
        assertThat(created.assetFormsOutput()).singleElement().satisfies(f -> {
            assertThat(f.formName()).isEqualTo("owner");
            assertThat(f.typeName()).isEqualTo("amazon.datazone.OwnerForm");
            assertThat(f.content()).isEqualTo("{}");
        });
        var glue = created.configuration().glueRunConfiguration();
        assertThat(glue.accountId()).isEqualTo("000000000000");
        assertThat(glue.region()).isEqualTo("us-east-1");
        assertThat(glue.relationalFilterConfigurations()).singleElement().satisfies(f -> {
            assertThat(f.databaseName()).isEqualTo(LocalRuntime.LANDING_BUCKET);
            assertThat(f.schemaName()).isEqualTo("dz-users");
            assertThat(f.filterExpressions()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(FilterExpressionType.INCLUDE);
                assertThat(e.expression()).isEqualTo("dz/crm/");
            });
        });
        assertThat(created.createdAt()).isBetween(before, Instant.now());
        assertThat(created.updatedAt()).isEqualTo(created.createdAt());

        // Intake's saved source: folder, dataset, disabled, its schedule in Paris time
        JsonNode saved = api.ok("intake", "DescribeDataSource", Map.of("dataSourceArn", SOURCE_ARN + id));
        assertThat(saved.toString()).contains("s3://intake-landing/dz/crm/", "dz-users", "Europe/Paris",
                "cron(0 12 * * ? *)");
        assertThat(saved.path("dataSource").path("enabled").asBoolean(true)).isFalse();

        var got = datazone.getDataSource(r -> r.domainIdentifier(domainId).identifier(id));
        assertThat(got.id()).isEqualTo(id);
        assertThat(got.name()).isEqualTo("Users from CRM");
        assertThat(got.configuration()).isEqualTo(created.configuration());
        assertThat(got.schedule()).isEqualTo(created.schedule());
        assertThat(got.createdAt()).isEqualTo(created.createdAt());
        assertThat(got.lastRunStatus()).isNull();

        var updated = datazone.updateDataSource(r -> r.domainIdentifier(domainId).identifier(id).name("CRM users")
                .enableSetting(EnableSetting.ENABLED).schedule(s -> s.schedule("cron(30 6 * * ? *)").timezone(Timezone.UTC)));
        assertThat(updated.name()).isEqualTo("CRM users");
        assertThat(updated.enableSetting()).isEqualTo(EnableSetting.ENABLED);
        assertThat(updated.schedule().schedule()).isEqualTo("cron(30 6 * * ? *)");
        assertThat(updated.updatedAt()).isAfterOrEqualTo(updated.createdAt());
        saved = api.ok("intake", "DescribeDataSource", Map.of("dataSourceArn", SOURCE_ARN + id));
        assertThat(saved.toString()).contains("cron(30 6 * * ? *)");
        assertThat(saved.path("dataSource").path("enabled").asBoolean(false)).isTrue();

        String second = source(domainId, "Second", "dz/other/", "dz-users").id();
        var listed = datazone.listDataSources(r -> r.domainIdentifier(domainId).projectIdentifier("proj1"));
        assertThat(listed.items()).extracting(s -> s.dataSourceId()).containsExactlyInAnyOrder(id, second);
        assertThat(listed.items()).allSatisfy(s -> {
            assertThat(s.domainId()).isEqualTo(domainId);
            assertThat(s.type()).isEqualTo("S3");
            assertThat(s.status()).isEqualTo(DataSourceStatus.READY);
            assertThat(s.createdAt()).isNotNull();
        });
        var page = datazone.listDataSources(r -> r.domainIdentifier(domainId).projectIdentifier("proj1").maxResults(1));
        assertThat(page.items()).hasSize(1);
        assertThat(page.nextToken()).isNotNull();
        assertThat(datazone.listDataSources(r -> r.domainIdentifier(domainId).projectIdentifier("other")).items()).isEmpty();
        assertThat(datazone.listDataSources(r -> r.domainIdentifier(domainId).projectIdentifier("proj1").name("Second"))
                .items()).extracting(s -> s.dataSourceId()).containsExactly(second);

        assertThatThrownBy(() -> datazone.deleteDomain(r -> r.identifier(domainId)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("data sources");
        var deleted = datazone.deleteDataSource(r -> r.domainIdentifier(domainId).identifier(id));
        assertThat(deleted.status()).isEqualTo(DataSourceStatus.DELETING);
        assertThat(deleted.name()).isEqualTo("CRM users");
        assertThatThrownBy(() -> datazone.getDataSource(r -> r.domainIdentifier(domainId).identifier(id)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(id);
        assertThat(api.call("intake", "DescribeDataSource", Map.of("dataSourceArn", SOURCE_ARN + id)).status()).isEqualTo(400);
    }

    @Test
    void dataSourceErrorsAreTheModelsShapes() {
        String domainId = domain("Errors");
        assertThatThrownBy(() -> datazone.createDataSource(sourceRequest(domainId, "x", "dz/x/", "dz-users").type("GLUE")
                .build())).isInstanceOf(ValidationException.class).hasMessageContaining("type S3");
        assertThatThrownBy(() -> datazone.createDataSource(sourceRequest(domainId, "x", "dz/x", "dz-users").build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("ending in '/'");
        assertThatThrownBy(() -> datazone.createDataSource(sourceRequest(domainId, "x", "dz/x/", "nope").build()))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> datazone.createDataSource(sourceRequest(domainId, "x", "dz/x/", "dz-users")
                .configuration(c -> c.glueRunConfiguration(g -> g.relationalFilterConfigurations(f -> f
                        .databaseName("not-allowed-bucket").schemaName("dz-users")))).build()))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("not-allowed-bucket");
        assertThatThrownBy(() -> datazone.createDataSource(sourceRequest("dzd_missing", "x", "dz/x/", "dz-users").build()))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("dzd_missing");
        assertThatThrownBy(() -> datazone.createDataSource(sourceRequest(domainId, "x", "dz/x/", "dz-users")
                .schedule(s -> s.schedule("cron(0 12 * * ? *)").timezone(Timezone.UTC))
                .configuration(c -> c.glueRunConfiguration(g -> g.relationalFilterConfigurations(f -> f
                        .databaseName(LocalRuntime.LANDING_BUCKET).schemaName("dz-users")
                        .filterExpressions(e -> e.type(FilterExpressionType.EXCLUDE).expression("x/"))))).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("EXCLUDE");
        assertThatThrownBy(() -> datazone.getDataSource(r -> r.domainIdentifier(domainId).identifier("missing")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> datazone.updateDataSource(r -> r.domainIdentifier(domainId).identifier("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> datazone.deleteDataSource(r -> r.domainIdentifier(domainId).identifier("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> datazone.startDataSourceRun(r -> r.domainIdentifier(domainId).dataSourceIdentifier("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> datazone.listDataSourceRuns(r -> r.domainIdentifier(domainId).dataSourceIdentifier("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> datazone.getDataSourceRun(r -> r.domainIdentifier(domainId).identifier("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> datazone.listDataSourceRunActivities(r -> r.domainIdentifier(domainId).identifier("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        // nothing was left behind by the refused creates
        assertThat(datazone.listDataSources(r -> r.domainIdentifier(domainId).projectIdentifier("proj1")).items()).isEmpty();
    }

    @Test
    void aSecondRunOverUnchangedFilesImportsNothing() throws Exception {
        put("dz/users/a.csv", "USER_ID,AGE,PLAN\nu1,30,free\nu2,40,pro\n");
        put("dz/users/b.csv", "USER_ID,AGE,PLAN\nu3,50,free\n");
        String domainId = domain("Runs");
        String sourceId = source(domainId, "users", "dz/users/", "dz-users").id();

        var started = datazone.startDataSourceRun(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId)
                .clientToken("run-1"));
        assertThat(started.type()).isEqualTo(DataSourceRunType.PRIORITIZED);
        assertThat(started.status()).isIn(DataSourceRunStatus.REQUESTED, DataSourceRunStatus.RUNNING);
        assertThat(started.domainId()).isEqualTo(domainId);
        assertThat(started.dataSourceId()).isEqualTo(sourceId);
        assertThat(started.projectId()).isEqualTo("proj1");
        assertThat(started.dataSourceConfigurationSnapshot()).contains("dz/users/", "dz-users");
        assertThat(started.createdAt()).isNotNull();
        // the same token: the same run
        assertThat(datazone.startDataSourceRun(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId)
                .clientToken("run-1")).id()).isEqualTo(started.id());
        var first = awaitRun(domainId, started.id());
        assertThat(first.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
        assertThat(first.runStatisticsForAssets().added()).isEqualTo(2);
        assertThat(first.runStatisticsForAssets().updated()).isZero();
        assertThat(first.runStatisticsForAssets().unchanged()).isZero();
        assertThat(first.runStatisticsForAssets().failed()).isZero();
        assertThat(first.runStatisticsForAssets().skipped()).isZero();
        assertThat(first.startedAt()).isNotNull();
        assertThat(first.stoppedAt()).isAfterOrEqualTo(first.startedAt());
        assertThat(first.errorMessage()).isNull();
        // its job is Intake's: DescribeImportJob shows it, started by a data source run
        JsonNode job = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + started.id()));
        assertThat(job.toString()).contains("ACTIVE", "DATA_SOURCE_RUN", sourceId);
        assertThat(activities(domainId, started.id())).extracting(DataSourceRunActivity::technicalName,
                DataSourceRunActivity::dataAssetStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dz/users/a.csv", DataAssetActivityStatus.SUCCEEDED_CREATED),
                org.assertj.core.groups.Tuple.tuple("dz/users/b.csv", DataAssetActivityStatus.SUCCEEDED_CREATED));

        int jobsBefore = runtime.services().jobStore.listJobs(null, null, 1000).items().size();
        var second = datazone.startDataSourceRun(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId));
        assertThat(second.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
        assertThat(second.runStatisticsForAssets().unchanged()).isEqualTo(2);
        assertThat(second.runStatisticsForAssets().added()).isZero();
        assertThat(second.runStatisticsForAssets().updated()).isZero();
        assertThat(runtime.services().jobStore.listJobs(null, null, 1000).items()).hasSize(jobsBefore);
        assertThat(activities(domainId, second.id())).extracting(DataSourceRunActivity::dataAssetStatus)
                .containsOnly(DataAssetActivityStatus.UNCHANGED);

        // a changed file and a new one: only those two are imported
        put("dz/users/b.csv", "USER_ID,AGE,PLAN\nu3,51,pro\n");
        put("dz/users/c.csv", "USER_ID,AGE,PLAN\nu4,20,free\n");
        var third = awaitRun(domainId, datazone.startDataSourceRun(r -> r.domainIdentifier(domainId)
                .dataSourceIdentifier(sourceId)).id());
        assertThat(third.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
        assertThat(third.runStatisticsForAssets().added()).isEqualTo(1);
        assertThat(third.runStatisticsForAssets().updated()).isEqualTo(1);
        assertThat(third.runStatisticsForAssets().unchanged()).isEqualTo(1);
        JsonNode incremental = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + third.id()));
        assertThat(incremental.toString()).contains("INCREMENTAL");
        assertThat(api.ok("intake", "GetRecord", Map.of("datasetArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset/dz-users", "key", Map.of("USER_ID", "u3")))
                .toString()).contains("51");
        assertThat(datazone.listDataSourceRunActivities(r -> r.domainIdentifier(domainId).identifier(third.id())
                .status(DataAssetActivityStatus.SUCCEEDED_UPDATED)).items())
                .extracting(DataSourceRunActivity::technicalName).containsExactly("dz/users/b.csv");

        var runs = datazone.listDataSourceRuns(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId));
        assertThat(runs.items()).extracting(s -> s.id()).containsExactly(started.id(), second.id(), third.id());
        assertThat(runs.items()).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
            assertThat(s.type()).isEqualTo(DataSourceRunType.PRIORITIZED);
            assertThat(s.projectId()).isEqualTo("proj1");
            assertThat(s.dataSourceId()).isEqualTo(sourceId);
            assertThat(s.createdAt()).isNotNull();
            assertThat(s.updatedAt()).isNotNull();
        });
        var page = datazone.listDataSourceRuns(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId).maxResults(2));
        assertThat(page.items()).hasSize(2);
        assertThat(datazone.listDataSourceRuns(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId)
                .nextToken(page.nextToken())).items()).extracting(s -> s.id()).containsExactly(third.id());
        assertThat(datazone.listDataSourceRuns(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId)
                .status(DataSourceRunStatus.FAILED)).items()).isEmpty();

        var source = datazone.getDataSource(r -> r.domainIdentifier(domainId).identifier(sourceId));
        assertThat(source.lastRunStatus()).isEqualTo(DataSourceRunStatus.SUCCESS);
        assertThat(source.lastRunAssetCount()).isEqualTo(3);
        // the uploads into its folder were not imported by themselves (arrival batches): only its runs import
        assertThat(runtime.services().jobStore.listJobs("dz-users", null, 1000).items())
                .noneMatch(j -> j.trigger().type() == dev.intake.core.ImportTrigger.Type.S3_EVENT);
        assertThat(source.lastRunAt()).isEqualTo(third.createdAt());
    }

    @Test
    void aScheduleStartsAScheduledRunOnceForItsTime() throws Exception {
        put("dz/scheduled/a.csv", "USER_ID,AGE,PLAN\nu9,33,free\n");
        String domainId = domain("Scheduled");
        String sourceId = datazone.createDataSource(sourceRequest(domainId, "nightly", "dz/scheduled/", "dz-users")
                .schedule(s -> s.schedule("cron(0 2 * * ? *)").timezone(Timezone.UTC)).build()).id();
        var task = new dev.intake.workflow.RunScheduledSourceTask(runtime.services());
        Instant due = Instant.parse("2026-11-23T02:00:00Z");
        JsonNode fired = task.run(dev.intake.workflow.RunScheduledSourceTask.input(sourceId, due));
        String runId = fired.get("runId").asText();
        var run = awaitRun(domainId, runId);
        assertThat(run.type()).isEqualTo(DataSourceRunType.SCHEDULED);
        assertThat(run.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
        assertThat(run.runStatisticsForAssets().added()).isEqualTo(1);
        JsonNode job = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/" + runId));
        assertThat(job.toString()).contains("SCHEDULE");
        // the same firing again (a retried invocation): the same run, nothing new started
        assertThat(task.run(dev.intake.workflow.RunScheduledSourceTask.input(sourceId, due)).get("runId").asText())
                .isEqualTo(runId);
        assertThat(datazone.listDataSourceRuns(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId)).items())
                .extracting(s -> s.id()).containsExactly(runId);
        // disabled: its schedule starts nothing
        datazone.updateDataSource(r -> r.domainIdentifier(domainId).identifier(sourceId).enableSetting(EnableSetting.DISABLED));
        assertThat(task.run(dev.intake.workflow.RunScheduledSourceTask.input(sourceId, due.plusSeconds(86400)))
                .get("skipped").asText()).contains("disabled");
    }

    @Test
    void objectsIntakeCannotReadFailTheirRun() throws Exception {
        put("dz/notes/readme.txt", "not data");
        String domainId = domain("Failing");
        String sourceId = source(domainId, "notes", "dz/notes/", "dz-users").id();
        var run = datazone.startDataSourceRun(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId));
        assertThat(run.status()).isEqualTo(DataSourceRunStatus.FAILED);
        assertThat(run.errorMessage().errorType()).isEqualTo(DataSourceErrorType.VALIDATION_EXCEPTION);
        assertThat(run.runStatisticsForAssets().failed()).isEqualTo(1);
        var activity = activities(domainId, run.id()).get(0);
        assertThat(activity.dataAssetStatus()).isEqualTo(DataAssetActivityStatus.FAILED);
        assertThat(activity.errorMessage().errorDetail()).contains("readme.txt", ".csv");
        assertThat(activity.database()).isEqualTo(LocalRuntime.LANDING_BUCKET);
        assertThat(activity.technicalDescription()).isEqualTo("s3://intake-landing/dz/notes/readme.txt");
        assertThat(activity.dataSourceRunId()).isEqualTo(run.id());
        assertThat(activity.projectId()).isEqualTo("proj1");
        assertThat(activity.createdAt()).isNotNull();
        var source = datazone.getDataSource(r -> r.domainIdentifier(domainId).identifier(sourceId));
        assertThat(source.lastRunStatus()).isEqualTo(DataSourceRunStatus.FAILED);
        assertThat(source.lastRunErrorMessage().errorType()).isEqualTo(DataSourceErrorType.VALIDATION_EXCEPTION);
    }

    @Test
    void aFailedImportFailsItsObjectsAndTheNextRunTriesThemAgain() throws Exception {
        put("dz/broken/users.csv", "NOT_THE_KEY,AGE\nx,1\n"); // the header lacks USER_ID and PLAN: planning fails
        put("dz/broken/more.csv", "USER_ID,AGE,PLAN\nu7,70,pro\n");
        String domainId = domain("Broken");
        String sourceId = source(domainId, "broken", "dz/broken/", "dz-users").id();
        var failed = awaitRun(domainId, datazone.startDataSourceRun(r -> r.domainIdentifier(domainId)
                .dataSourceIdentifier(sourceId)).id());
        assertThat(failed.status()).isEqualTo(DataSourceRunStatus.FAILED);
        assertThat(failed.errorMessage().errorType()).isEqualTo(DataSourceErrorType.VALIDATION_EXCEPTION);
        assertThat(failed.errorMessage().errorDetail()).contains("users.csv");
        assertThat(failed.runStatisticsForAssets().failed()).isEqualTo(2);
        assertThat(failed.runStatisticsForAssets().added()).isZero();
        // a page at a time, each activity failed with the job's reason
        var page = datazone.listDataSourceRunActivities(r -> r.domainIdentifier(domainId).identifier(failed.id()).maxResults(1));
        assertThat(page.items()).singleElement().satisfies(a -> {
            assertThat(a.technicalName()).isEqualTo("dz/broken/more.csv");
            assertThat(a.dataAssetStatus()).isEqualTo(DataAssetActivityStatus.FAILED);
            assertThat(a.errorMessage().errorDetail()).isEqualTo(failed.errorMessage().errorDetail());
        });
        assertThat(datazone.listDataSourceRunActivities(r -> r.domainIdentifier(domainId).identifier(failed.id())
                .nextToken(page.nextToken())).items()).extracting(DataSourceRunActivity::technicalName)
                .containsExactly("dz/broken/users.csv");

        // nothing was recorded as imported: fixed, both are imported (added) by the next run
        put("dz/broken/users.csv", "USER_ID,AGE,PLAN\nu8,80,free\n");
        var fixed = awaitRun(domainId, datazone.startDataSourceRun(r -> r.domainIdentifier(domainId)
                .dataSourceIdentifier(sourceId)).id());
        assertThat(fixed.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
        assertThat(fixed.runStatisticsForAssets().added()).isEqualTo(2);
        assertThat(datazone.listDataSourceRuns(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId)
                .status(DataSourceRunStatus.FAILED)).items()).extracting(s -> s.id()).containsExactly(failed.id());
    }

    /**
     * A source of thousands of objects (more than one stored document could hold their ETags: an
     * entry per object), imported 500 at a time (the engine's cap on one import's files, which this
     * test does not depend on being lifted); a run over all of them unchanged imports nothing and
     * lists every activity, page by page; deleting the source removes its entries.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aSourceOfThousandsOfObjectsRunsOverThemUnchangedAndListsEveryActivityAcrossPages() throws Exception {
        int rounds = MANY_OBJECTS / 500;
        String domainId = domain("Many");
        String sourceId = source(domainId, "many", "dz/many/", "dz-users").id();
        var uploads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < rounds; round++) {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    String name = String.format("%02d-%03d", round, i);
                    done.add(uploads.submit(() -> put("dz/many/" + name + ".csv", "USER_ID,AGE,PLAN\nm" + name + ",1,free\n")));
                }
                for (var upload : done) {
                    upload.get();
                }
                int earlier = round * 500;
                var run = awaitRun(domainId, datazone.startDataSourceRun(r -> r.domainIdentifier(domainId)
                        .dataSourceIdentifier(sourceId)).id());
                assertThat(run.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
                assertThat(run.runStatisticsForAssets().added()).isEqualTo(500);
                assertThat(run.runStatisticsForAssets().unchanged()).isEqualTo(earlier);
            }
        } finally {
            uploads.shutdownNow();
        }
        int jobsBefore = runtime.services().jobStore.listJobs(null, null, 1000).items().size();
        var unchanged = datazone.startDataSourceRun(r -> r.domainIdentifier(domainId).dataSourceIdentifier(sourceId));
        assertThat(unchanged.status()).isEqualTo(DataSourceRunStatus.SUCCESS);
        assertThat(unchanged.runStatisticsForAssets().unchanged()).isEqualTo(MANY_OBJECTS);
        assertThat(unchanged.runStatisticsForAssets().added()).isZero();
        assertThat(unchanged.runStatisticsForAssets().updated()).isZero();
        assertThat(unchanged.runStatisticsForAssets().failed()).isZero();
        assertThat(runtime.services().jobStore.listJobs(null, null, 1000).items()).hasSize(jobsBefore);
        List<DataSourceRunActivity> listed = new java.util.ArrayList<>();
        int pages = 0;
        for (var page : datazone.listDataSourceRunActivitiesPaginator(r -> r.domainIdentifier(domainId)
                .identifier(unchanged.id()).maxResults(50))) {
            assertThat(page.items()).hasSizeLessThanOrEqualTo(50);
            listed.addAll(page.items());
            pages++;
        }
        assertThat(pages).isGreaterThanOrEqualTo(MANY_OBJECTS / 50);
        assertThat(listed).hasSize(MANY_OBJECTS);
        assertThat(listed).extracting(DataSourceRunActivity::dataAssetStatus).containsOnly(DataAssetActivityStatus.UNCHANGED);
        assertThat(listed).extracting(DataSourceRunActivity::technicalName).doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.naturalOrder()).startsWith("dz/many/00-000.csv")
                .endsWith(String.format("dz/many/%02d-499.csv", rounds - 1));
        assertThat(datazone.listDataSourceRunActivities(r -> r.domainIdentifier(domainId).identifier(unchanged.id())
                .status(DataAssetActivityStatus.FAILED)).items()).isEmpty();
        assertThat(datazone.getDataSource(r -> r.domainIdentifier(domainId).identifier(sourceId)).lastRunAssetCount())
                .isEqualTo(MANY_OBJECTS);

        var store = runtime.services().dataZone;
        assertThat(store.list(dev.intake.core.ports.DataZoneStore.Kind.SOURCE_OBJECTS, sourceId + "/", null, 10).items()).hasSize(10);
        datazone.deleteDataSource(r -> r.domainIdentifier(domainId).identifier(sourceId));
        assertThat(store.list(dev.intake.core.ports.DataZoneStore.Kind.SOURCE_OBJECTS, sourceId + "/", null, 10).items()).isEmpty();
        // its runs stay readable
        assertThat(datazone.listDataSourceRunActivities(r -> r.domainIdentifier(domainId).identifier(unchanged.id())
                .maxResults(3)).items()).hasSize(3);
    }

    private List<DataSourceRunActivity> activities(String domainId, String runId) {
        return datazone.listDataSourceRunActivities(r -> r.domainIdentifier(domainId).identifier(runId)).items();
    }
}
