package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.core.format.parquet.ParquetFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.forecast.ForecastClient;
import software.amazon.awssdk.services.forecast.model.AttributeType;
import software.amazon.awssdk.services.forecast.model.CreateDatasetImportJobRequest;
import software.amazon.awssdk.services.forecast.model.DatasetImportJobSummary;
import software.amazon.awssdk.services.forecast.model.DatasetSummary;
import software.amazon.awssdk.services.forecast.model.DatasetType;
import software.amazon.awssdk.services.forecast.model.DescribeDatasetImportJobResponse;
import software.amazon.awssdk.services.forecast.model.Domain;
import software.amazon.awssdk.services.forecast.model.Filter;
import software.amazon.awssdk.services.forecast.model.FilterConditionString;
import software.amazon.awssdk.services.forecast.model.ImportMode;
import software.amazon.awssdk.services.forecast.model.InvalidInputException;
import software.amazon.awssdk.services.forecast.model.InvalidNextTokenException;
import software.amazon.awssdk.services.forecast.model.LimitExceededException;
import software.amazon.awssdk.services.forecast.model.ListDatasetImportJobsResponse;
import software.amazon.awssdk.services.forecast.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.forecast.model.ResourceInUseException;
import software.amazon.awssdk.services.forecast.model.ResourceNotFoundException;
import software.amazon.awssdk.services.forecast.model.SchemaAttribute;
import software.amazon.awssdk.services.forecast.model.Statistics;
import software.amazon.awssdk.services.forecast.model.Tag;

/**
 * Amazon Forecast's data side (its 14 operations that Intake serves) through the stock SDK v2
 * ForecastClient pointed at the local server: every field read back through the SDK's own
 * unmarshalling (a member it cannot map reads as null, so values are asserted, not just success),
 * and every error the model lists for an operation that Intake can raise, as the SDK's exception
 * class. What the SDK cannot send (bodies that are not JSON, members of the wrong type) is in
 * ForecastHttpTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForecastSdkTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/forecast-reader";
    private static final String KMS = "arn:aws:kms:us-east-1:000000000000:key/k1";
    private static final String ARN = "arn:aws:forecast:us-east-1:000000000000:";
    private static final String DEMAND_PATH = "s3://intake-landing/exports/forecast-sdk/demand.csv";
    private static final String BIG_PATH = "s3://intake-landing/exports/forecast-sdk/big.csv";

    /** Four rows of four keys (item_id, timestamp and the dimension store). */
    private static final String DEMAND = "item_id,timestamp,demand,store\n"
            + "i1,2026-01-01 00:00:00,3.5,s1\n" + "i1,2026-01-02 00:00:00,4,s1\n"
            + "i2,2026-01-01 00:00:00,1,s2\n" + "i1,2026-01-01 00:00:00,5,s2\n";

    private LocalRuntime runtime;
    private ForecastClient forecast;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withImportRoleArn(ROLE));
        api = new ApiClient(runtime.apiEndpoint());
        forecast = ForecastClient.builder().endpointOverride(runtime.apiEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        put("exports/forecast-sdk/demand.csv", DEMAND);
        StringBuilder big = new StringBuilder("item_id,timestamp,demand,store\n");
        for (int i = 0; i < 50_000; i++) {
            big.append('i').append(i).append(",2026-01-01 00:00:00,1,s\n");
        }
        put("exports/forecast-sdk/big.csv", big.toString());
    }

    @AfterAll
    void stop() throws Exception {
        forecast.close();
        runtime.close();
    }

    private void put(String key, String text) {
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key(key),
                RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    private static SchemaAttribute attribute(String name, AttributeType type) {
        return SchemaAttribute.builder().attributeName(name).attributeType(type).build();
    }

    private static final List<SchemaAttribute> TARGET_ATTRIBUTES = List.of(attribute("item_id", AttributeType.STRING),
            attribute("timestamp", AttributeType.TIMESTAMP), attribute("demand", AttributeType.FLOAT),
            attribute("store", AttributeType.STRING));

    private static List<Tag> tags(int count) {
        return IntStream.range(0, count).mapToObj(i -> Tag.builder().key("k" + i).value("v" + i).build()).toList();
    }

    private String createTarget(String name) {
        return forecast.createDataset(r -> r.datasetName(name).domain(Domain.RETAIL)
                .datasetType(DatasetType.TARGET_TIME_SERIES).dataFrequency("D")
                .schema(s -> s.attributes(TARGET_ATTRIBUTES))
                .encryptionConfig(e -> e.roleArn(ROLE).kmsKeyArn(KMS))
                .tags(Tag.builder().key("team").value("demand").build())).datasetArn();
    }

    private String createItems(String name, Domain domain) {
        return forecast.createDataset(r -> r.datasetName(name).domain(domain).datasetType(DatasetType.ITEM_METADATA)
                .schema(s -> s.attributes(attribute("item_id", AttributeType.STRING),
                        attribute("category", AttributeType.STRING)))).datasetArn();
    }

    /** An import job request with every member Intake keeps (UseGeolocationForTimeZone aside: refused). */
    private static CreateDatasetImportJobRequest importJob(String name, String datasetArn, String path,
                                                           Consumer<CreateDatasetImportJobRequest.Builder> more) {
        var builder = CreateDatasetImportJobRequest.builder().datasetImportJobName(name).datasetArn(datasetArn)
                .dataSource(d -> d.s3Config(s -> s.path(path).roleArn(ROLE).kmsKeyArn(KMS + "2")))
                .timestampFormat("yyyy-MM-dd HH:mm:ss").timeZone("Europe/Berlin").geolocationFormat("LAT_LONG")
                .format("CSV").importMode(ImportMode.FULL).tags(Tag.builder().key("run").value("1").build());
        more.accept(builder);
        return builder.build();
    }

    private String startImport(String name, String datasetArn, String path) {
        return forecast.createDatasetImportJob(importJob(name, datasetArn, path, b -> { })).datasetImportJobArn();
    }

    private DescribeDatasetImportJobResponse awaitEnd(String arn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var job = forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(arn));
            if (List.of("ACTIVE", "CREATE_FAILED", "CREATE_STOPPED").contains(job.status())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(arn + " did not end");
    }

    @Test
    void aDatasetIsCreatedDescribedListedInPagesAndDeleted() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String arn = createTarget("sdk_sales");
        assertThat(arn).isEqualTo(ARN + "dataset/sdk_sales");

        var d = forecast.describeDataset(r -> r.datasetArn(arn));
        assertThat(d.datasetArn()).isEqualTo(arn);
        assertThat(d.datasetName()).isEqualTo("sdk_sales");
        assertThat(d.domain()).isEqualTo(Domain.RETAIL);
        assertThat(d.datasetType()).isEqualTo(DatasetType.TARGET_TIME_SERIES);
        assertThat(d.dataFrequency()).isEqualTo("D");
        assertThat(d.schema().attributes()).isEqualTo(TARGET_ATTRIBUTES);
        assertThat(d.encryptionConfig().roleArn()).isEqualTo(ROLE);
        assertThat(d.encryptionConfig().kmsKeyArn()).isEqualTo(KMS);
        assertThat(d.status()).isEqualTo("ACTIVE");
        assertThat(d.creationTime()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(d.lastModificationTime()).isEqualTo(d.creationTime());

        // the same dataset through Intake's own API: keys are the identifier, the timestamp and the dimension
        JsonNode intake = api.ok("intake", "DescribeDataset",
                Map.of("datasetArn", "arn:aws:personalize:us-east-1:000000000000:dataset/sdk_sales")).get("dataset");
        assertThat(intake.get("keyFields").toString()).isEqualTo("[\"item_id\",\"timestamp\",\"store\"]");

        createItems("sdk_sales_items", Domain.RETAIL);
        List<DatasetSummary> all = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = forecast.listDatasets(r -> r.maxResults(1).nextToken(next));
            assertThat(page.datasets()).hasSizeLessThanOrEqualTo(1);
            all.addAll(page.datasets());
            token = page.nextToken();
        } while (token != null);
        var summary = all.stream().filter(s -> s.datasetName().equals("sdk_sales")).findFirst().orElseThrow();
        assertThat(summary.datasetArn()).isEqualTo(arn);
        assertThat(summary.datasetType()).isEqualTo(DatasetType.TARGET_TIME_SERIES);
        assertThat(summary.domain()).isEqualTo(Domain.RETAIL);
        assertThat(summary.creationTime()).isEqualTo(d.creationTime());
        assertThat(summary.lastModificationTime()).isEqualTo(d.lastModificationTime());
        assertThat(all.stream().map(DatasetSummary::datasetName)).contains("sdk_sales_items").doesNotHaveDuplicates();
        String firstToken = forecast.listDatasets(r -> r.maxResults(1)).nextToken();
        assertThatThrownBy(() -> forecast.listDatasets(r -> r.nextToken(firstToken + "x")))
                .isInstanceOf(InvalidNextTokenException.class).hasMessageContaining("not valid");

        assertThatThrownBy(() -> createItems("sdk_sales", Domain.RETAIL))
                .isInstanceOf(ResourceAlreadyExistsException.class).hasMessageContaining("sdk_sales");

        forecast.deleteDataset(r -> r.datasetArn(arn));
        awaitDeleted(arn);
        assertThatThrownBy(() -> forecast.deleteDataset(r -> r.datasetArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("sdk_sales");
    }

    private void awaitDeleted(String datasetArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String status = forecast.describeDataset(r -> r.datasetArn(datasetArn)).status();
                assertThat(status).isIn("DELETE_PENDING", "DELETE_IN_PROGRESS");
            } catch (ResourceNotFoundException e) {
                assertThat(e.awsErrorDetails().errorMessage()).contains(datasetArn.substring(datasetArn.lastIndexOf('/') + 1));
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(datasetArn + " was not deleted");
    }

    @Test
    void aDatasetTheModelOrTheDomainDoesNotAllowIsRefused() {
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("sdk_nodemand").domain(Domain.RETAIL)
                .datasetType(DatasetType.TARGET_TIME_SERIES).schema(s -> s.attributes(
                        attribute("item_id", AttributeType.STRING), attribute("timestamp", AttributeType.TIMESTAMP)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("A RETAIL TARGET_TIME_SERIES dataset needs the attributes item_id, timestamp, demand;"
                        + " Schema.Attributes has no demand");
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("sdk_related").domain(Domain.CUSTOM)
                .datasetType(DatasetType.RELATED_TIME_SERIES).schema(s -> s.attributes(
                        attribute("item_id", AttributeType.STRING), attribute("timestamp", AttributeType.TIMESTAMP)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("DataFrequency is required for a RELATED_TIME_SERIES dataset");
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("sdk_ec2").domain(Domain.EC2_CAPACITY)
                .datasetType(DatasetType.ITEM_METADATA).schema(s -> s.attributes(attribute("item_id", AttributeType.STRING)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no instance_type");
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("sdk_badtype").domain(Domain.CUSTOM)
                .datasetType(DatasetType.ITEM_METADATA).schema(s -> s.attributes(attribute("item_id", AttributeType.INTEGER)))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Attribute item_id of a CUSTOM dataset must be of type string, not integer");
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("1bad").domain(Domain.CUSTOM)
                .datasetType(DatasetType.ITEM_METADATA).schema(s -> s.attributes(attribute("item_id", AttributeType.STRING)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Member must satisfy regular expression pattern");
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("sdk_enum").domain("SPACE")
                .datasetType(DatasetType.ITEM_METADATA).schema(s -> s.attributes(attribute("item_id", AttributeType.STRING)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Member must satisfy enum value set");
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("sdk_awstag").domain(Domain.CUSTOM)
                .datasetType(DatasetType.ITEM_METADATA).schema(s -> s.attributes(attribute("item_id", AttributeType.STRING)))
                .tags(Tag.builder().key("aws:x").value("y").build())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reserved prefix aws:");
        assertThatThrownBy(() -> forecast.createDataset(r -> r.datasetName("sdk_manytags").domain(Domain.CUSTOM)
                .datasetType(DatasetType.ITEM_METADATA).schema(s -> s.attributes(attribute("item_id", AttributeType.STRING)))
                .tags(tags(51))))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("at most 50");
        // none of them was made
        for (String name : List.of("sdk_nodemand", "sdk_ec2", "sdk_related", "sdk_badtype", "sdk_enum", "sdk_awstag", "sdk_manytags")) {
            assertThatThrownBy(() -> forecast.describeDataset(r -> r.datasetArn(ARN + "dataset/" + name)))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(name);
        }
        assertThatThrownBy(() -> forecast.describeDataset(r -> r.datasetArn("not an arn")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void datasetGroupsHoldOneDomainsDatasetsAndAreUpdatedListedAndDeleted() {
        String target = createTarget("sdk_groupsales");
        String items = createItems("sdk_groupitems", Domain.RETAIL);
        String other = createItems("sdk_groupweb", Domain.WEB_TRAFFIC);

        Instant before = Instant.now().minusSeconds(1);
        var created = forecast.createDatasetGroup(r -> r.datasetGroupName("sdk_retail").domain(Domain.RETAIL)
                .datasetArns(target).tags(Tag.builder().key("k").value("v").build()));
        String group = created.datasetGroupArn();
        assertThat(group).isEqualTo(ARN + "dataset-group/sdk_retail");
        var g = forecast.describeDatasetGroup(r -> r.datasetGroupArn(group));
        assertThat(g.datasetGroupName()).isEqualTo("sdk_retail");
        assertThat(g.datasetGroupArn()).isEqualTo(group);
        assertThat(g.datasetArns()).containsExactly(target);
        assertThat(g.domain()).isEqualTo(Domain.RETAIL);
        assertThat(g.status()).isEqualTo("ACTIVE");
        assertThat(g.creationTime()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(g.lastModificationTime()).isEqualTo(g.creationTime());

        assertThatThrownBy(() -> forecast.createDatasetGroup(r -> r.datasetGroupName("sdk_retail").domain(Domain.RETAIL)))
                .isInstanceOf(ResourceAlreadyExistsException.class).hasMessageContaining("Dataset group 'sdk_retail' already exists");
        assertThatThrownBy(() -> forecast.createDatasetGroup(r -> r.datasetGroupName("sdk_mixed").domain(Domain.RETAIL)
                .datasetArns(other)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has the domain WEB_TRAFFIC; the dataset group's domain is RETAIL");
        assertThatThrownBy(() -> forecast.createDatasetGroup(r -> r.datasetGroupName("sdk_missing").domain(Domain.RETAIL)
                .datasetArns(ARN + "dataset/sdk_nothere")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("sdk_nothere");
        assertThatThrownBy(() -> forecast.createDatasetGroup(r -> r.datasetGroupName("sdk_toomany").domain(Domain.RETAIL)
                .tags(tags(51))))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("at most 50");
        assertThatThrownBy(() -> forecast.createDatasetGroup(r -> r.datasetGroupName("sdk_nodomain")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Value null at 'Domain' failed to satisfy constraint: Member must not be null");

        forecast.updateDatasetGroup(r -> r.datasetGroupArn(group).datasetArns(target, items));
        var updated = forecast.describeDatasetGroup(r -> r.datasetGroupArn(group));
        assertThat(updated.datasetArns()).containsExactly(target, items);
        assertThat(updated.creationTime()).isEqualTo(g.creationTime());
        assertThat(updated.lastModificationTime()).isAfterOrEqualTo(g.creationTime());
        assertThatThrownBy(() -> forecast.updateDatasetGroup(r -> r.datasetGroupArn(group).datasetArns(target, target)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> forecast.updateDatasetGroup(r -> r.datasetGroupArn(ARN + "dataset-group/sdk_none")
                .datasetArns(List.of())))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Dataset group 'sdk_none' does not exist");

        forecast.createDatasetGroup(r -> r.datasetGroupName("sdk_retail2").domain(Domain.RETAIL));
        List<software.amazon.awssdk.services.forecast.model.DatasetGroupSummary> all = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = forecast.listDatasetGroups(r -> r.maxResults(1).nextToken(next));
            assertThat(page.datasetGroups()).hasSizeLessThanOrEqualTo(1);
            all.addAll(page.datasetGroups());
            token = page.nextToken();
        } while (token != null);
        var names = all.stream().map(s -> s.datasetGroupName()).filter(n -> n.startsWith("sdk_")).toList();
        assertThat(names).containsExactly("sdk_retail", "sdk_retail2");
        var summary = all.stream().filter(s -> s.datasetGroupName().equals("sdk_retail")).findFirst().orElseThrow();
        assertThat(summary.datasetGroupArn()).isEqualTo(group);
        assertThat(summary.creationTime()).isEqualTo(g.creationTime());
        assertThat(summary.lastModificationTime()).isEqualTo(updated.lastModificationTime());
        assertThatThrownBy(() -> forecast.listDatasetGroups(r -> r.nextToken("forged.token")))
                .isInstanceOf(InvalidNextTokenException.class).hasMessageContaining("not valid");

        forecast.deleteDatasetGroup(r -> r.datasetGroupArn(group));
        assertThatThrownBy(() -> forecast.describeDatasetGroup(r -> r.datasetGroupArn(group)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("sdk_retail");
        assertThatThrownBy(() -> forecast.deleteDatasetGroup(r -> r.datasetGroupArn(group)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("sdk_retail");
        assertThatThrownBy(() -> forecast.describeDatasetGroup(r -> r.datasetGroupArn("dataset group x")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> forecast.deleteDatasetGroup(r -> r.datasetGroupArn("dataset group x")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> forecast.deleteDataset(r -> r.datasetArn("no dataset")))
                .isInstanceOf(InvalidInputException.class);
        // the group's datasets stay
        assertThat(forecast.describeDataset(r -> r.datasetArn(target)).datasetName()).isEqualTo("sdk_groupsales");
    }

    @Test
    void anImportRunsOnTheEngineAndReadsBackEveryField() throws Exception {
        String dataset = createTarget("sdk_imported");
        Instant before = Instant.now().minusSeconds(1);
        String arn = startImport("sdk_first", dataset, DEMAND_PATH);
        assertThat(arn).isEqualTo(ARN + "dataset-import-job/sdk_imported/sdk_first");

        var job = awaitEnd(arn);
        assertThat(job.datasetImportJobName()).isEqualTo("sdk_first");
        assertThat(job.datasetImportJobArn()).isEqualTo(arn);
        assertThat(job.datasetArn()).isEqualTo(dataset);
        assertThat(job.timestampFormat()).isEqualTo("yyyy-MM-dd HH:mm:ss");
        assertThat(job.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(job.useGeolocationForTimeZone()).isFalse();
        assertThat(job.geolocationFormat()).isEqualTo("LAT_LONG");
        assertThat(job.dataSource().s3Config().path()).isEqualTo(DEMAND_PATH);
        assertThat(job.dataSource().s3Config().roleArn()).isEqualTo(ROLE);
        assertThat(job.dataSource().s3Config().kmsKeyArn()).isEqualTo(KMS + "2");
        assertThat(job.status()).isEqualTo("ACTIVE");
        assertThat(job.message()).isNull();
        assertThat(job.dataSize()).isEqualTo(DEMAND.length() / 1e9);
        assertThat(job.creationTime()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(job.lastModificationTime()).isAfterOrEqualTo(job.creationTime()).isBefore(Instant.now().plusSeconds(1));
        assertThat(job.format()).isEqualTo("CSV");
        assertThat(job.importMode()).isEqualTo(ImportMode.FULL);
        assertThat(job.estimatedTimeRemainingInMinutes()).isNull();
        // every statistic of the four rows, as the SDK reads them (timestamps as UTC instants: the zone is Europe/Berlin)
        assertThat(job.fieldStatistics()).containsOnlyKeys("item_id", "timestamp", "demand", "store");
        assertThat(job.fieldStatistics().get("item_id")).isEqualTo(Statistics.builder().count(4).countLong(4L)
                .countDistinct(2).countDistinctLong(2L).countNull(0).countNullLong(0L).build());
        assertThat(job.fieldStatistics().get("timestamp")).isEqualTo(Statistics.builder().count(4).countLong(4L)
                .countDistinct(2).countDistinctLong(2L).countNull(0).countNullLong(0L)
                .min("2025-12-31T23:00:00Z").max("2026-01-01T23:00:00Z").build());
        assertThat(job.fieldStatistics().get("demand")).isEqualTo(Statistics.builder().count(4).countLong(4L)
                .countDistinct(4).countDistinctLong(4L).countNull(0).countNullLong(0L).countNan(0).countNanLong(0L)
                .min("1.0").max("5.0").avg(3.375).stddev(Math.sqrt(8.6875 / 4)).build());
        assertThat(job.fieldStatistics().get("store")).isEqualTo(Statistics.builder().count(4).countLong(4L)
                .countDistinct(2).countDistinctLong(2L).countNull(0).countNullLong(0L).build());

        // the same job in Intake's own API, with the engine's counts (4 rows, 4 keys: item, timestamp, store)
        JsonNode intake = api.ok("intake", "DescribeImportJob", Map.of(
                "datasetImportJobArn", "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/sdk_first"))
                .get("importJob");
        assertThat(intake.get("statistics").get("recordsAdded").asLong()).isEqualTo(4);

        // an INCREMENTAL import after the FULL one, with Forecast's defaults
        String incremental = forecast.createDatasetImportJob(r -> r.datasetImportJobName("sdk_second").datasetArn(dataset)
                .dataSource(d -> d.s3Config(s -> s.path(DEMAND_PATH).roleArn(ROLE)))
                .importMode(ImportMode.INCREMENTAL)).datasetImportJobArn();
        var second = awaitEnd(incremental);
        assertThat(second.status()).isEqualTo("ACTIVE");
        assertThat(second.importMode()).isEqualTo(ImportMode.INCREMENTAL);
        assertThat(second.timestampFormat()).isEqualTo("yyyy-MM-dd HH:mm:ss");
        assertThat(second.timeZone()).isNull();
        assertThat(second.geolocationFormat()).isNull();
        assertThat(second.format()).isEqualTo("CSV");
        assertThat(second.dataSource().s3Config().kmsKeyArn()).isNull();

        assertThatThrownBy(() -> startImport("sdk_first", dataset, DEMAND_PATH))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("An import job named 'sdk_first' already exists");
        assertThatThrownBy(() -> forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(
                ARN + "dataset-import-job/other/sdk_first")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("does not exist");

        forecast.deleteDatasetImportJob(r -> r.datasetImportJobArn(arn));
        assertThatThrownBy(() -> forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("sdk_first");
        assertThatThrownBy(() -> forecast.deleteDatasetImportJob(r -> r.datasetImportJobArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("sdk_first");
        assertThatThrownBy(() -> startImport("sdk_first", dataset, DEMAND_PATH))
                .isInstanceOf(ResourceAlreadyExistsException.class).hasMessageContaining("also after DeleteDatasetImportJob");
        assertThatThrownBy(() -> forecast.describeDatasetImportJob(r -> r.datasetImportJobArn("no job")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> forecast.deleteDatasetImportJob(r -> r.datasetImportJobArn("no job")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> forecast.stopResource(r -> r.resourceArn("no job")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void timestampsAreReadByTheJobsFormatAndZoneAndBadOnesFailTheirRows() throws Exception {
        String dataset = createTarget("sdk_stamped");
        StringBuilder csv = new StringBuilder("item_id,timestamp,demand,store\n");
        for (int i = 1; i <= 28; i++) {
            csv.append('i').append(i).append(",2026-01-15 09:30:00,1,s1\n");
        }
        csv.append("bad1,2026-02-30 00:00:00,1,s1\n"); // line 30: no such day
        csv.append("bad2,2026-03-08 02:30:00,1,s1\n"); // line 31: the hour New York skipped for daylight saving
        put("tests/forecast-sdk/stamped.csv", csv.toString());
        var job = awaitEnd(forecast.createDatasetImportJob(importJob("sdk_stamped", dataset,
                "s3://intake-landing/tests/forecast-sdk/stamped.csv", b -> b.timeZone("America/New_York")))
                .datasetImportJobArn());
        assertThat(job.status()).isEqualTo("ACTIVE");
        assertThat(job.timeZone()).isEqualTo("America/New_York");

        JsonNode intake = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/sdk_stamped")).get("importJob");
        assertThat(intake.get("statistics").get("recordsAdded").asLong()).isEqualTo(28);
        assertThat(intake.get("statistics").get("recordsFailed").asLong()).isEqualTo(2);
        String report = runtime.s3().client().getObjectAsBytes(r -> r.bucket(LocalRuntime.RESULTS_BUCKET)
                .key("error-reports/sdk_stamped.csv")).asUtf8String();
        String file = "\"s3://intake-landing/tests/forecast-sdk/stamped.csv\"";
        assertThat(report).isEqualTo("file,line,reason\n"
                + file + ",30,\"field 'timestamp' value '2026-02-30 00:00:00' is not a timestamp in the format yyyy-MM-dd HH:mm:ss\"\n"
                + file + ",31,\"field 'timestamp' value '2026-03-08 02:30:00' is a time that does not exist in"
                + " America/New_York (a daylight-saving gap)\"\n");

        // a valid time in the job's zone is stored as its instant in UTC (09:30 EST is 14:30Z)
        JsonNode record = api.ok("intake", "GetRecord", Map.of("datasetArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset/sdk_stamped",
                "key", Map.of("item_id", "i7", "timestamp", "2026-01-15T14:30:00Z", "store", "s1"))).get("record");
        assertThat(record.get("timestamp").asText()).isEqualTo("2026-01-15T14:30:00Z");
    }

    @Test
    void aParquetImportReadsTheParquetFilesOfItsPathLikeTheirCsv() throws Exception {
        // DEMAND's four rows, typed: the timestamps as local TIMESTAMP(MILLIS) values, read in the job's zone
        String[][] rows = {{"i1", "2026-01-01T00:00", "3.5", "s1"}, {"i1", "2026-01-02T00:00", "4", "s1"},
                {"i2", "2026-01-01T00:00", "1", "s2"}, {"i1", "2026-01-01T00:00", "5", "s2"}};
        byte[] file = ParquetFiles.write("message demand { required binary item_id (STRING); required int64 timestamp "
                + "(TIMESTAMP(MILLIS,false)); required double demand; required binary store (STRING); }", 3,
                org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY, rows.length, (i, g) -> {
                    g.add("item_id", rows[i][0]);
                    g.add("timestamp", java.time.LocalDateTime.parse(rows[i][1]).toInstant(java.time.ZoneOffset.UTC)
                            .toEpochMilli());
                    g.add("demand", Double.parseDouble(rows[i][2]));
                    g.add("store", rows[i][3]);
                });
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("tests/forecast-sdk/parquet/part-0.parquet"),
                RequestBody.fromBytes(file));
        put("tests/forecast-sdk/parquet/notes.csv", "not,read\n"); // a CSV file: not a Format PARQUET job's

        String fromParquet = createTarget("sdk_parquet");
        String fromCsv = createTarget("sdk_parquet_csv");
        var parquetJob = awaitEnd(forecast.createDatasetImportJob(importJob("sdk_parquet", fromParquet,
                "s3://intake-landing/tests/forecast-sdk/parquet/", b -> b.format("PARQUET"))).datasetImportJobArn());
        var csvJob = awaitEnd(startImport("sdk_parquet_csv", fromCsv, DEMAND_PATH));
        assertThat(parquetJob.status()).isEqualTo("ACTIVE");
        assertThat(parquetJob.format()).isEqualTo("PARQUET");
        assertThat(parquetJob.dataSize()).isEqualTo(file.length / 1e9);
        assertThat(parquetJob.fieldStatistics()).isEqualTo(csvJob.fieldStatistics());
        assertThat(parquetJob.fieldStatistics().get("timestamp").min()).isEqualTo("2025-12-31T23:00:00Z"); // Europe/Berlin

        JsonNode intake = api.ok("intake", "DescribeImportJob", Map.of("datasetImportJobArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/sdk_parquet")).get("importJob");
        assertThat(intake.get("statistics").get("recordsAdded").asLong()).isEqualTo(4);
        assertThat(intake.get("statistics").get("recordsFailed").asLong()).isZero();
        Map<String, Object> key = Map.of("item_id", "i1", "timestamp", "2026-01-01T23:00:00Z", "store", "s1");
        assertThat(api.ok("intake", "GetRecord", Map.of("datasetArn",
                "arn:aws:personalize:us-east-1:000000000000:dataset/sdk_parquet", "key", key)).get("record"))
                .isEqualTo(api.ok("intake", "GetRecord", Map.of("datasetArn",
                        "arn:aws:personalize:us-east-1:000000000000:dataset/sdk_parquet_csv", "key", key)).get("record"));

        // a Format CSV job over the same folder reads its CSV file, not the Parquet one
        var csvOverParquet = awaitEnd(forecast.createDatasetImportJob(importJob("sdk_parquet_as_csv", fromCsv,
                "s3://intake-landing/tests/forecast-sdk/parquet/", b -> b.importMode(ImportMode.INCREMENTAL)))
                .datasetImportJobArn());
        assertThat(csvOverParquet.status()).isEqualTo("CREATE_FAILED");
        assertThat(csvOverParquet.message()).contains("notes.csv").doesNotContain("part-0.parquet");
    }

    @Test
    void useGeolocationForTimeZoneIsRefusedAndNothingIsStored() {
        String dataset = forecast.createDataset(r -> r.datasetName("sdk_geo").domain(Domain.RETAIL)
                .datasetType(DatasetType.TARGET_TIME_SERIES).dataFrequency("D").schema(s -> s.attributes(
                        attribute("item_id", AttributeType.STRING), attribute("timestamp", AttributeType.TIMESTAMP),
                        attribute("demand", AttributeType.FLOAT), attribute("location", AttributeType.GEOLOCATION))))
                .datasetArn();
        assertThatThrownBy(() -> forecast.createDatasetImportJob(importJob("sdk_geo_job", dataset, DEMAND_PATH,
                b -> b.timeZone(null).useGeolocationForTimeZone(true).geolocationFormat("CC_POSTALCODE"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("UseGeolocationForTimeZone is not supported here")
                .hasMessageContaining("give the data's TimeZone instead");
        assertThatThrownBy(() -> forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(
                ARN + "dataset-import-job/sdk_geo/sdk_geo_job"))).isInstanceOf(ResourceNotFoundException.class);
        assertThat(forecast.listDatasetImportJobs(r -> r.filters(Filter.builder().key("DatasetArn").value(dataset)
                .condition(FilterConditionString.IS).build())).datasetImportJobs()).isEmpty();
        // its name is free: the same job with TimeZone is taken
        String arn = forecast.createDatasetImportJob(importJob("sdk_geo_job", dataset, DEMAND_PATH,
                b -> b.timeZone("America/Chicago"))).datasetImportJobArn();
        assertThat(arn).isEqualTo(ARN + "dataset-import-job/sdk_geo/sdk_geo_job");
        // false is what every job has, and is accepted
        assertThat(forecast.createDatasetImportJob(importJob("sdk_geo_false", dataset, DEMAND_PATH,
                b -> b.useGeolocationForTimeZone(false))).datasetImportJobArn()).endsWith("/sdk_geo_false");
    }

    @Test
    void badImportRequestsAreRefusedWithNothingStored() {
        String dataset = createTarget("sdk_refusals");
        record Refusal(String name, Consumer<CreateDatasetImportJobRequest.Builder> change, Class<?> error, String message) {
        }
        List<Refusal> refusals = List.of(
                new Refusal("jsonformat", b -> b.format("JSON"), InvalidInputException.class,
                        "Value 'JSON' at 'Format' failed to satisfy constraint"),
                new Refusal("fmt", b -> b.timestampFormat("dd.MM.yyyy"), InvalidInputException.class,
                        "TimestampFormat must be yyyy-MM-dd or yyyy-MM-dd HH:mm:ss"),
                new Refusal("tz", b -> b.timeZone("Mars/Olympus"), InvalidInputException.class,
                        "TimeZone Mars/Olympus is not a time zone name"),
                new Refusal("both", b -> b.useGeolocationForTimeZone(true), InvalidInputException.class,
                        "either TimeZone or UseGeolocationForTimeZone"),
                new Refusal("geolocated", b -> b.timeZone(null).useGeolocationForTimeZone(true), InvalidInputException.class,
                        "needs a geolocation attribute"),
                new Refusal("geo", b -> b.geolocationFormat("WGS84"), InvalidInputException.class,
                        "GeolocationFormat must be LAT_LONG or CC_POSTALCODE"),
                new Refusal("nodataset", b -> b.datasetArn(ARN + "dataset/sdk_nothere"), ResourceNotFoundException.class,
                        "sdk_nothere"),
                new Refusal("incremental", b -> b.importMode(ImportMode.INCREMENTAL), InvalidInputException.class,
                        "no completed FULL import yet"),
                new Refusal("role", b -> b.dataSource(d -> d.s3Config(s -> s.path(DEMAND_PATH)
                        .roleArn("arn:aws:iam::000000000000:role/other"))), InvalidInputException.class, "importRoleArns"),
                new Refusal("outside", b -> b.dataSource(d -> d.s3Config(s -> s.path("s3://elsewhere/x.csv").roleArn(ROLE))),
                        InvalidInputException.class, "importSources"),
                new Refusal("nosource", b -> b.dataSource((software.amazon.awssdk.services.forecast.model.DataSource) null),
                        InvalidInputException.class, "Value null at 'DataSource' failed to satisfy constraint"),
                new Refusal("tags", b -> b.tags(tags(51)), LimitExceededException.class, "at most 50"),
                new Refusal("awstags", b -> b.tags(Tag.builder().key("AWS:k").value("v").build()),
                        InvalidInputException.class, "reserved prefix aws:"));
        for (Refusal refusal : refusals) {
            assertThatThrownBy(() -> forecast.createDatasetImportJob(importJob(refusal.name(), dataset, DEMAND_PATH,
                    refusal.change()))).as(refusal.name()).isInstanceOf(refusal.error()).hasMessageContaining(refusal.message());
        }
        // nothing of them was kept: each name is free, the dataset has no job and is not updating
        for (Refusal refusal : refusals) {
            assertThatThrownBy(() -> forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(
                    ARN + "dataset-import-job/sdk_refusals/" + refusal.name())))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(refusal.name());
        }
        assertThat(forecast.listDatasetImportJobs(r -> r.filters(Filter.builder().key("DatasetArn").value(dataset)
                .condition(FilterConditionString.IS).build())).datasetImportJobs()).isEmpty();
        assertThat(forecast.describeDataset(r -> r.datasetArn(dataset)).status()).isEqualTo("ACTIVE");
    }

    @Test
    void stopResourceStopsAnImportAndOnlyEndedJobsAreDeleted() throws Exception {
        String dataset = createTarget("sdk_stopping");
        String running = startImport("sdk_big", dataset, BIG_PATH);
        String queued = startImport("sdk_queued", dataset, BIG_PATH);
        assertThat(forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(queued)).status()).isEqualTo("CREATE_PENDING");
        assertThatThrownBy(() -> forecast.deleteDatasetImportJob(r -> r.datasetImportJobArn(queued)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("is CREATE_PENDING; only an ACTIVE or CREATE_FAILED job can be deleted");
        assertThatThrownBy(() -> forecast.deleteDataset(r -> r.datasetArn(dataset)))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("sdk_stopping");
        assertThat(forecast.describeDataset(r -> r.datasetArn(dataset)).status()).isEqualTo("UPDATE_IN_PROGRESS");

        forecast.stopResource(r -> r.resourceArn(queued));
        var stopped = forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(queued));
        assertThat(stopped.status()).isEqualTo("CREATE_STOPPED");
        assertThat(stopped.message()).contains("stopped before it started");
        assertThat(stopped.lastModificationTime()).isAfterOrEqualTo(stopped.creationTime());
        assertThatThrownBy(() -> forecast.stopResource(r -> r.resourceArn(queued)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has already ended");
        assertThatThrownBy(() -> forecast.deleteDatasetImportJob(r -> r.datasetImportJobArn(queued)))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("CREATE_STOPPED");
        assertThatThrownBy(() -> forecast.stopResource(r -> r.resourceArn(ARN + "predictor/p1")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("only dataset import jobs can be stopped here");
        assertThatThrownBy(() -> forecast.stopResource(r -> r.resourceArn(ARN + "dataset-import-job/sdk_stopping/none")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("none");

        boolean stopAccepted;
        try {
            forecast.stopResource(r -> r.resourceArn(running));
            stopAccepted = true;
        } catch (InvalidInputException e) { // it ended before the stop arrived
            assertThat(e.awsErrorDetails().errorMessage()).contains("has already ended");
            stopAccepted = false;
        }
        var ended = awaitEnd(running);
        assertThat(ended.status()).isEqualTo(stopAccepted ? "CREATE_STOPPED" : "ACTIVE");

        forecast.deleteDataset(r -> r.datasetArn(dataset));
        // a dataset being deleted takes no imports (unless its deletion has already ended: then it is gone)
        try {
            startImport("sdk_too_late", dataset, DEMAND_PATH);
            throw new AssertionError("an import into a deleted dataset was created");
        } catch (ResourceInUseException e) {
            assertThat(e.awsErrorDetails().errorMessage()).contains("sdk_stopping");
        } catch (ResourceNotFoundException e) {
            assertThatThrownBy(() -> forecast.describeDataset(r -> r.datasetArn(dataset)))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        awaitDeleted(dataset);
        assertThatThrownBy(() -> forecast.describeDatasetImportJob(r -> r.datasetImportJobArn(
                ARN + "dataset-import-job/sdk_stopping/sdk_too_late"))).isInstanceOf(ResourceNotFoundException.class);
    }

    private List<String> names(ListDatasetImportJobsResponse page) {
        return page.datasetImportJobs().stream().map(DatasetImportJobSummary::datasetImportJobName)
                .filter(n -> n.startsWith("sdk_l_")).toList();
    }

    private static Filter filter(String key, String value, FilterConditionString condition) {
        return Filter.builder().key(key).value(value).condition(condition).build();
    }

    @Test
    void importJobsListInCreationOrderByAnyFiltersAndTokensAreBoundToThem() throws Exception {
        String a = createTarget("sdk_lista");
        String b = createTarget("sdk_listb");
        String one = startImport("sdk_l_one", a, DEMAND_PATH);
        awaitEnd(one);
        awaitEnd(startImport("sdk_l_two", a, DEMAND_PATH));
        String failed = startImport("sdk_l_fail", a, "s3://intake-landing/exports/forecast-sdk/none.csv");
        var failedJob = awaitEnd(failed);
        assertThat(failedJob.status()).isEqualTo("CREATE_FAILED");
        assertThat(failedJob.message()).isNotBlank();
        assertThat(failedJob.dataSize()).isEqualTo(0.0);
        awaitEnd(startImport("sdk_l_three", b, DEMAND_PATH));

        var ofA = forecast.listDatasetImportJobs(r -> r.filters(filter("DatasetArn", a, FilterConditionString.IS)));
        assertThat(names(ofA)).containsExactly("sdk_l_one", "sdk_l_two", "sdk_l_fail");
        assertThat(ofA.nextToken()).isNull();
        var summary = ofA.datasetImportJobs().get(2);
        assertThat(summary.datasetImportJobArn()).isEqualTo(failed);
        assertThat(summary.datasetImportJobName()).isEqualTo("sdk_l_fail");
        assertThat(summary.dataSource()).isEqualTo(failedJob.dataSource());
        assertThat(summary.dataSource().s3Config().roleArn()).isEqualTo(ROLE);
        assertThat(summary.status()).isEqualTo("CREATE_FAILED");
        assertThat(summary.message()).isEqualTo(failedJob.message());
        assertThat(summary.creationTime()).isEqualTo(failedJob.creationTime());
        assertThat(summary.lastModificationTime()).isEqualTo(failedJob.lastModificationTime());
        assertThat(summary.importMode()).isEqualTo(ImportMode.FULL);

        assertThat(names(forecast.listDatasetImportJobs(r -> r.filters(filter("DatasetArn", a, FilterConditionString.IS),
                filter("Status", "CREATE_FAILED", FilterConditionString.IS))))).containsExactly("sdk_l_fail");
        assertThat(names(forecast.listDatasetImportJobs(r -> r.filters(filter("Status", "ACTIVE", FilterConditionString.IS),
                filter("DatasetArn", a, FilterConditionString.IS_NOT))))).containsExactly("sdk_l_three");
        assertThat(names(forecast.listDatasetImportJobs(r -> r.filters(
                filter("Status", "ACTIVE", FilterConditionString.IS_NOT))))).containsExactly("sdk_l_fail");
        assertThat(names(forecast.listDatasetImportJobs(r -> { })))
                .containsExactly("sdk_l_one", "sdk_l_two", "sdk_l_fail", "sdk_l_three");

        // one job a page, through the tokens
        List<String> paged = new ArrayList<>();
        Filter ofDatasetA = filter("DatasetArn", a, FilterConditionString.IS);
        var page = forecast.listDatasetImportJobs(r -> r.filters(ofDatasetA).maxResults(1));
        String firstToken = page.nextToken();
        while (true) {
            assertThat(page.datasetImportJobs()).hasSizeLessThanOrEqualTo(1);
            paged.addAll(names(page));
            if (page.nextToken() == null) {
                break;
            }
            String next = page.nextToken();
            page = forecast.listDatasetImportJobs(r -> r.filters(ofDatasetA).maxResults(1).nextToken(next));
        }
        assertThat(paged).containsExactly("sdk_l_one", "sdk_l_two", "sdk_l_fail");
        assertThatThrownBy(() -> forecast.listDatasetImportJobs(r -> r.filters(filter("DatasetArn", b, FilterConditionString.IS))
                .nextToken(firstToken)))
                .isInstanceOf(InvalidNextTokenException.class).hasMessageContaining("with the same filters");
        assertThatThrownBy(() -> forecast.listDatasetImportJobs(r -> r.nextToken(firstToken)))
                .isInstanceOf(InvalidNextTokenException.class).hasMessageContaining("with the same filters");
        assertThatThrownBy(() -> forecast.listDatasetImportJobs(r -> r.filters(ofDatasetA).nextToken("A" + firstToken)))
                .isInstanceOf(InvalidNextTokenException.class).hasMessageContaining("not valid");

        assertThatThrownBy(() -> forecast.listDatasetImportJobs(r -> r.filters(filter("Domain", a, FilterConditionString.IS))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Filter Key must be DatasetArn or Status, not Domain");
        assertThatThrownBy(() -> forecast.listDatasetImportJobs(r -> r.filters(filter("Status", "DONE", FilterConditionString.IS))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Status filter value DONE is not one of");
        assertThatThrownBy(() -> forecast.listDatasetImportJobs(r -> r.filters(Filter.builder().key("Status").value("ACTIVE")
                .condition("MAYBE").build())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Member must satisfy enum value set: [IS, IS_NOT]");
        assertThatThrownBy(() -> forecast.listDatasetImportJobs(r -> r.maxResults(0)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Member must have value greater than or equal to 1");

        // a deleted job leaves the listing
        forecast.deleteDatasetImportJob(r -> r.datasetImportJobArn(one));
        assertThat(names(forecast.listDatasetImportJobs(r -> r.filters(ofDatasetA)))).containsExactly("sdk_l_two", "sdk_l_fail");
    }
}
