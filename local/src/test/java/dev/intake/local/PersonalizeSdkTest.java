package dev.intake.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetGroupSummary;
import software.amazon.awssdk.services.personalize.model.DatasetImportJobSummary;
import software.amazon.awssdk.services.personalize.model.DatasetSchemaSummary;
import software.amazon.awssdk.services.personalize.model.DatasetSummary;
import software.amazon.awssdk.services.personalize.model.Domain;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.InvalidNextTokenException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.Tag;
import software.amazon.awssdk.services.personalize.model.TooManyTagKeysException;
import software.amazon.awssdk.services.personalize.model.TooManyTagsException;

/**
 * Personalize's data side (schemas, dataset groups, datasets, import-job listings, tags) through
 * the stock SDK v2 client pointed at the local server: every field read back, every error the
 * model lists for an operation that Intake can raise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonalizeSdkTest {
    private static final String ARN = "arn:aws:personalize:us-east-1:000000000000:";
    private static final String USERS = """
            {"type":"record","name":"Users","namespace":"com.amazonaws.personalize.schema","fields":[
              {"name":"USER_ID","type":"string"},{"name":"AGE","type":["null","int"],"default":null}],"version":"1.0"}""";
    private static final String ITEMS = """
            {"type":"record","name":"Items","fields":[{"name":"ITEM_ID","type":"string"},{"name":"PRICE","type":"double"}]}""";
    private static final String INTERACTIONS = """
            {"type":"record","name":"Interactions","fields":[{"name":"USER_ID","type":"string"},
              {"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"}]}""";
    private static final String ACTIONS = """
            {"type":"record","name":"Actions","fields":[{"name":"ACTION_ID","type":"string"}]}""";
    private static final String ACTION_INTERACTIONS = """
            {"type":"record","name":"ActionInteractions","fields":[{"name":"USER_ID","type":"string"},
              {"name":"ACTION_ID","type":"string"},{"name":"TIMESTAMP","type":"long"}]}""";

    /** The one role an import job may name here. */
    private static final String READER = "arn:aws:iam::000000000000:role/pz-reader";

    private LocalRuntime runtime;
    private PersonalizeClient personalize;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        runtime = new LocalRuntime(LocalRuntime.Options.defaults().inMemory().withPorts(0, 0).withImportRoleArn(READER));
        api = new ApiClient(runtime.apiEndpoint());
        personalize = PersonalizeClient.builder().endpointOverride(runtime.apiEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        personalize.close();
        runtime.close();
    }

    private String schema(String name, String avro) {
        return personalize.createSchema(r -> r.name(name).schema(avro)).schemaArn();
    }

    private String group(String name) {
        return personalize.createDatasetGroup(r -> r.name(name)).datasetGroupArn();
    }

    private String dataset(String name, String group, String type, String schemaArn) {
        return personalize.createDataset(r -> r.name(name).datasetGroupArn(group).datasetType(type).schemaArn(schemaArn))
                .datasetArn();
    }

    private static List<Tag> tags(int count) {
        return IntStream.range(0, count).mapToObj(i -> Tag.builder().tagKey("k" + i).tagValue("v" + i).build()).toList();
    }

    @Test
    void schemasAreCreatedDescribedListedInPagesAndDeleted() {
        Instant before = Instant.now().minusSeconds(1);
        String arn = personalize.createSchema(r -> r.name("s-users").schema(USERS).domain(Domain.ECOMMERCE)).schemaArn();
        assertThat(arn).isEqualTo(ARN + "schema/s-users");
        var schema = personalize.describeSchema(r -> r.schemaArn(arn)).schema();
        assertThat(schema.name()).isEqualTo("s-users");
        assertThat(schema.schemaArn()).isEqualTo(arn);
        assertThat(schema.schema()).isEqualTo(USERS);
        assertThat(schema.domain()).isEqualTo(Domain.ECOMMERCE);
        assertThat(schema.creationDateTime()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(schema.lastUpdatedDateTime()).isEqualTo(schema.creationDateTime());
        schema("s-items", ITEMS);
        schema("s-plain", ACTIONS);

        List<DatasetSchemaSummary> all = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = personalize.listSchemas(r -> r.maxResults(1).nextToken(next));
            assertThat(page.schemas()).hasSizeLessThanOrEqualTo(1);
            all.addAll(page.schemas());
            token = page.nextToken();
        } while (token != null);
        var summary = all.stream().filter(s -> s.name().equals("s-users")).findFirst().orElseThrow();
        assertThat(summary.schemaArn()).isEqualTo(arn);
        assertThat(summary.domain()).isEqualTo(Domain.ECOMMERCE);
        assertThat(summary.creationDateTime()).isEqualTo(schema.creationDateTime());
        assertThat(summary.lastUpdatedDateTime()).isEqualTo(schema.lastUpdatedDateTime());
        assertThat(all.stream().map(DatasetSchemaSummary::name)).contains("s-items", "s-plain").doesNotHaveDuplicates();
        String firstToken = personalize.listSchemas(r -> r.maxResults(1)).nextToken();
        assertThatThrownBy(() -> personalize.listSchemas(r -> r.nextToken(firstToken + "x")))
                .isInstanceOf(InvalidNextTokenException.class);

        assertThatThrownBy(() -> schema("s-users", USERS)).isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> schema("s-bad", "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"A\",\"type\":\"bytes\"}]}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field 'A' has type bytes");
        assertThatThrownBy(() -> schema("s-bad", "not json")).isInstanceOf(InvalidInputException.class);

        personalize.deleteSchema(r -> r.schemaArn(arn));
        assertThatThrownBy(() -> personalize.describeSchema(r -> r.schemaArn(arn))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.deleteSchema(r -> r.schemaArn(arn))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aSchemaInUseByADatasetCannotBeDeleted() {
        String schemaArn = schema("s-in-use", USERS);
        String group = group("g-schema-use");
        String datasetArn = dataset("users", group, "Users", schemaArn);
        assertThatThrownBy(() -> personalize.deleteSchema(r -> r.schemaArn(schemaArn)))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("used by 1 dataset");
        personalize.deleteDataset(r -> r.datasetArn(datasetArn));
        personalize.deleteSchema(r -> r.schemaArn(schemaArn)); // free once its dataset is being deleted
    }

    @Test
    void datasetGroupsAreActiveAtOnceKeepTheirTagsAndCannotBeDeletedWhileTheyHaveDatasets() {
        String role = "arn:aws:iam::123456789012:role/personalize";
        String key = "arn:aws:kms:us-east-1:123456789012:key/abc";
        var created = personalize.createDatasetGroup(r -> r.name("g-full").roleArn(role).kmsKeyArn(key)
                .domain(Domain.VIDEO_ON_DEMAND).tags(Tag.builder().tagKey("team").tagValue("recs").build()));
        String arn = created.datasetGroupArn();
        assertThat(arn).isEqualTo(ARN + "dataset-group/g-full");
        assertThat(created.domain()).isEqualTo(Domain.VIDEO_ON_DEMAND);
        var group = personalize.describeDatasetGroup(r -> r.datasetGroupArn(arn)).datasetGroup();
        assertThat(group.name()).isEqualTo("g-full");
        assertThat(group.datasetGroupArn()).isEqualTo(arn);
        assertThat(group.status()).isEqualTo("ACTIVE");
        assertThat(group.roleArn()).isEqualTo(role);
        assertThat(group.kmsKeyArn()).isEqualTo(key);
        assertThat(group.domain()).isEqualTo(Domain.VIDEO_ON_DEMAND);
        assertThat(group.failureReason()).isNull();
        assertThat(group.creationDateTime()).isNotNull();
        assertThat(group.lastUpdatedDateTime()).isEqualTo(group.creationDateTime());
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(Tag.builder().tagKey("team").tagValue("recs").build());

        group("g-list-a");
        group("g-list-b");
        List<DatasetGroupSummary> all = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = personalize.listDatasetGroups(r -> r.maxResults(2).nextToken(next));
            all.addAll(page.datasetGroups());
            token = page.nextToken();
        } while (token != null);
        var summary = all.stream().filter(g -> g.name().equals("g-full")).findFirst().orElseThrow();
        assertThat(summary.datasetGroupArn()).isEqualTo(arn);
        assertThat(summary.status()).isEqualTo("ACTIVE");
        assertThat(summary.domain()).isEqualTo(Domain.VIDEO_ON_DEMAND);
        assertThat(summary.creationDateTime()).isEqualTo(group.creationDateTime());
        assertThat(summary.lastUpdatedDateTime()).isEqualTo(group.lastUpdatedDateTime());
        assertThat(all.stream().map(DatasetGroupSummary::name)).contains("g-list-a", "g-list-b").doesNotHaveDuplicates();
        assertThatThrownBy(() -> personalize.listDatasetGroups(r -> r.nextToken("forged.token")))
                .isInstanceOf(InvalidNextTokenException.class);

        assertThatThrownBy(() -> group("g-full")).isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> personalize.createDatasetGroup(r -> r.name("g-many").tags(tags(51))))
                .isInstanceOf(TooManyTagsException.class);
        assertThatThrownBy(() -> personalize.createDatasetGroup(r -> r.name("g-aws")
                .tags(Tag.builder().tagKey("aws:owner").tagValue("x").build())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("aws:");
        assertThatThrownBy(() -> personalize.describeDatasetGroup(r -> r.datasetGroupArn(ARN + "dataset-group/g-many")))
                .isInstanceOf(ResourceNotFoundException.class); // refused requests leave nothing behind

        String schemaArn = schema("s-vod-users", USERS.replace("\"version\"", "\"x\""));
        assertThatThrownBy(() -> dataset("users", arn, "Users", schemaArn))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("domain VIDEO_ON_DEMAND");
        String vodSchema = personalize.createSchema(r -> r.name("s-vod").schema(USERS).domain(Domain.VIDEO_ON_DEMAND))
                .schemaArn();
        String datasetArn = dataset("users", arn, "Users", vodSchema);
        assertThatThrownBy(() -> personalize.deleteDatasetGroup(r -> r.datasetGroupArn(arn)))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("has 1 dataset");
        personalize.deleteDataset(r -> r.datasetArn(datasetArn));
        personalize.deleteDatasetGroup(r -> r.datasetGroupArn(arn));
        assertThatThrownBy(() -> personalize.describeDatasetGroup(r -> r.datasetGroupArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.deleteDatasetGroup(r -> r.datasetGroupArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class);
        // its tags went with it: a group made again under the name has only its own
        personalize.createDatasetGroup(r -> r.name("g-full"));
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();
    }

    @Test
    void eachDatasetTypeIsAnIntakeDatasetKeyedAsPersonalizeKeysIt() throws Exception {
        String group = group("g-types");
        Map<String, List<String>> expected = Map.of(
                "users", List.of("USER_ID"),
                "ITEMS", List.of("ITEM_ID"),
                "Interactions", List.of("USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"),
                "Actions", List.of("ACTION_ID"),
                "action_interactions", List.of("USER_ID", "ACTION_ID", "TIMESTAMP"));
        Map<String, String> schemas = Map.of("users", USERS, "ITEMS", ITEMS, "Interactions", INTERACTIONS,
                "Actions", ACTIONS, "action_interactions", ACTION_INTERACTIONS);
        for (var entry : expected.entrySet()) {
            String type = entry.getKey();
            String schemaArn = schema("s-type-" + type.toLowerCase(), schemas.get(type));
            String arn = dataset("d-" + type.toLowerCase().replace('_', '-'), group, type, schemaArn);
            assertThat(arn).isEqualTo(ARN + "dataset/g-types/" + type.toUpperCase());
            // Intake's own API sees the same dataset, under the same ARN
            JsonNode intake = api.ok("intake", "DescribeDataset", Map.of("datasetArn", arn)).get("dataset");
            List<String> keys = new ArrayList<>();
            intake.get("keyFields").forEach(k -> keys.add(k.asText()));
            assertThat(keys).as(type).isEqualTo(entry.getValue());
            assertThat(intake.get("datasetArn").asText()).isEqualTo(arn);
        }
        String without = schema("s-no-event-type", INTERACTIONS.replace(",{\"name\":\"EVENT_TYPE\",\"type\":\"string\"}", ""));
        String g2 = group("g-types-2");
        dataset("events", g2, "INTERACTIONS", without);
        JsonNode keys = api.ok("intake", "DescribeDataset", Map.of("datasetArn", ARN + "dataset/g-types-2/INTERACTIONS"))
                .get("dataset").get("keyFields");
        assertThat(keys.toString()).isEqualTo("[\"USER_ID\",\"ITEM_ID\",\"TIMESTAMP\"]");

        String items = schema("s-items-only", ITEMS);
        assertThatThrownBy(() -> dataset("u", g2, "Users", items)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must have the field(s) USER_ID; it lacks USER_ID");
        assertThatThrownBy(() -> dataset("x", g2, "Things", items)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("datasetType 'Things'");
        assertThatThrownBy(() -> dataset("again", group, "Items", items)).isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> dataset("i", ARN + "dataset-group/nope", "Items", items))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> dataset("i", g2, "Items", ARN + "schema/nope")).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.createDataset(r -> r.name("i").datasetGroupArn(g2).datasetType("Items")
                .schemaArn(items).tags(tags(51)))).isInstanceOf(TooManyTagsException.class);
        String nullableKey = schema("s-nullable-key", "{\"type\":\"record\",\"name\":\"U\",\"fields\":"
                + "[{\"name\":\"USER_ID\",\"type\":[\"null\",\"string\"]}]}");
        assertThatThrownBy(() -> dataset("u", g2, "Users", nullableKey)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key field 'USER_ID' must not be nullable");
        assertThat(personalize.listDatasets(r -> r.datasetGroupArn(g2)).datasets()).hasSize(1); // nothing half made
    }

    @Test
    void datasetsAreDescribedAndListedByGroupInPages() {
        String group = group("g-list");
        String users = dataset("people", group, "Users", schema("s-list-users", USERS));
        String itemsSchema = schema("s-list-items", ITEMS);
        String items = personalize.createDataset(r -> r.name("things").datasetGroupArn(group).datasetType("Items")
                .schemaArn(itemsSchema).tags(Tag.builder().tagKey("a").tagValue("b").build())).datasetArn();
        var dataset = personalize.describeDataset(r -> r.datasetArn(items)).dataset();
        assertThat(dataset.name()).isEqualTo("things");
        assertThat(dataset.datasetArn()).isEqualTo(items);
        assertThat(dataset.datasetGroupArn()).isEqualTo(group);
        assertThat(dataset.datasetType()).isEqualTo("ITEMS");
        assertThat(dataset.schemaArn()).isEqualTo(itemsSchema);
        assertThat(dataset.status()).isEqualTo("ACTIVE");
        assertThat(dataset.creationDateTime()).isNotNull();
        assertThat(dataset.lastUpdatedDateTime()).isEqualTo(dataset.creationDateTime());
        assertThat(dataset.latestDatasetUpdate()).isNull();
        assertThat(dataset.trackingId()).isNull();
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(items)).tags())
                .containsExactly(Tag.builder().tagKey("a").tagValue("b").build());

        var first = personalize.listDatasets(r -> r.datasetGroupArn(group).maxResults(1));
        assertThat(first.datasets()).hasSize(1);
        var second = personalize.listDatasets(r -> r.datasetGroupArn(group).maxResults(1).nextToken(first.nextToken()));
        assertThat(second.nextToken()).isNull();
        List<DatasetSummary> both = new ArrayList<>(first.datasets());
        both.addAll(second.datasets());
        assertThat(both.stream().map(DatasetSummary::datasetArn)).containsExactly(items, users); // by type name
        DatasetSummary summary = both.get(0);
        assertThat(summary.name()).isEqualTo("things");
        assertThat(summary.datasetType()).isEqualTo("ITEMS");
        assertThat(summary.status()).isEqualTo("ACTIVE");
        assertThat(summary.creationDateTime()).isEqualTo(dataset.creationDateTime());
        assertThat(summary.lastUpdatedDateTime()).isEqualTo(dataset.lastUpdatedDateTime());
        // a token is bound to its group
        assertThatThrownBy(() -> personalize.listDatasets(r -> r.maxResults(1).nextToken(first.nextToken())))
                .isInstanceOf(InvalidNextTokenException.class);
        assertThat(personalize.listDatasets(r -> r.datasetGroupArn(ARN + "dataset-group/none")).datasets()).isEmpty();
        assertThat(personalize.listDatasets(r -> r.maxResults(100)).datasets().stream().map(DatasetSummary::datasetArn))
                .contains(users, items);
        assertThatThrownBy(() -> personalize.describeDataset(r -> r.datasetArn(ARN + "dataset/g-list/ACTIONS")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.describeDataset(r -> r.datasetArn(ARN + "dataset/g-list/WIDGETS")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void updateDatasetTakesASchemaThatReadsEveryStoredRecordAndRefusesOthers() throws Exception {
        String group = group("g-update");
        String v1 = schema("s-update-v1", USERS);
        String arn = dataset("people", group, "Users", v1);
        String v2 = schema("s-update-v2", USERS.replace("],\"version\"",
                ",{\"name\":\"PLAN\",\"type\":[\"null\",\"string\"],\"default\":null}],\"version\""));
        assertThat(personalize.updateDataset(r -> r.datasetArn(arn).schemaArn(v2)).datasetArn()).isEqualTo(arn);
        var dataset = personalize.describeDataset(r -> r.datasetArn(arn)).dataset();
        assertThat(dataset.schemaArn()).isEqualTo(v2);
        assertThat(dataset.lastUpdatedDateTime()).isAfterOrEqualTo(dataset.creationDateTime());
        assertThat(dataset.latestDatasetUpdate().schemaArn()).isEqualTo(v2);
        assertThat(dataset.latestDatasetUpdate().status()).isEqualTo("ACTIVE");
        assertThat(dataset.latestDatasetUpdate().creationDateTime()).isEqualTo(dataset.lastUpdatedDateTime());
        assertThat(dataset.latestDatasetUpdate().lastUpdatedDateTime()).isEqualTo(dataset.lastUpdatedDateTime());
        assertThat(dataset.latestDatasetUpdate().failureReason()).isNull();
        assertThat(api.call("intake", "DescribeDataset", Map.of("datasetArn", arn)).body().toString()).contains("PLAN");
        personalize.deleteSchema(r -> r.schemaArn(v1)); // no longer used

        String dropsAge = schema("s-update-drop", "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}]}");
        assertThatThrownBy(() -> personalize.updateDataset(r -> r.datasetArn(arn).schemaArn(dropsAge)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("drops field 'AGE'");
        String required = schema("s-update-required", USERS.replace("],\"version\"",
                ",{\"name\":\"PLAN\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"X\",\"type\":\"int\"}],\"version\""));
        assertThatThrownBy(() -> personalize.updateDataset(r -> r.datasetArn(arn).schemaArn(required)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("adds required field 'X'");
        String retyped = schema("s-update-retyped", USERS.replace("[\"null\",\"int\"]", "[\"null\",\"long\"]").replace("],\"version\"",
                ",{\"name\":\"PLAN\",\"type\":[\"null\",\"string\"],\"default\":null}],\"version\""));
        assertThatThrownBy(() -> personalize.updateDataset(r -> r.datasetArn(arn).schemaArn(retyped)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("from int to long");
        assertThatThrownBy(() -> personalize.updateDataset(r -> r.datasetArn(arn).schemaArn(ARN + "schema/none")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.updateDataset(r -> r.datasetArn(ARN + "dataset/g-update/ITEMS").schemaArn(v2)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(personalize.describeDataset(r -> r.datasetArn(arn)).dataset().schemaArn()).isEqualTo(v2);
    }

    @Test
    void deleteDatasetRunsIntakesDeletionWorkflow() throws Exception {
        String group = group("g-delete");
        String arn = dataset("people", group, "Users", schema("s-delete", USERS));
        personalize.deleteDataset(r -> r.datasetArn(arn));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            try {
                seen.add(personalize.describeDataset(r -> r.datasetArn(arn)).dataset().status());
            } catch (ResourceNotFoundException gone) {
                break;
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(seen).allMatch(s -> s.equals("DELETE PENDING") || s.equals("DELETE IN_PROGRESS"));
        assertThat(api.call("intake", "DescribeDataset", Map.of("datasetArn", arn)).errorType())
                .isEqualTo("ResourceNotFoundException");
        assertThat(personalize.listDatasets(r -> r.datasetGroupArn(group)).datasets()).isEmpty();
        assertThatThrownBy(() -> personalize.deleteDataset(r -> r.datasetArn(arn))).isInstanceOf(ResourceNotFoundException.class);
        // the type is free again in its group
        assertThat(dataset("people-again", group, "Users", schema("s-delete-2", USERS))).isEqualTo(arn);
        assertThat(personalize.describeDataset(r -> r.datasetArn(arn)).dataset().name()).isEqualTo("people-again");
    }

    @Test
    void importsIntoAPersonalizeDatasetAreListedByDatasetInCreationOrder() throws Exception {
        String group = group("g-import");
        String arn = dataset("people", group, "Users", schema("s-import", USERS));
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("pz/users.csv"),
                RequestBody.fromString("USER_ID,AGE\nu1,30\nu2,\n", StandardCharsets.UTF_8));
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "pz-import-" + i;
            jobs.add(personalize.createDatasetImportJob(r -> r.jobName(name).datasetArn(arn)
                    .dataSource(d -> d.dataLocation("s3://" + LocalRuntime.LANDING_BUCKET + "/pz/users.csv"))
                    .tags(Tag.builder().tagKey("run").tagValue(name).build())).datasetImportJobArn());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(jobs.get(2))).datasetImportJob().status()
                .equals("ACTIVE")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        JsonNode record = api.ok("intake", "GetRecord", Map.of("datasetArn", arn, "key", Map.of("USER_ID", "u1"))).get("record");
        assertThat(record.toString()).isEqualTo("{\"USER_ID\":\"u1\",\"AGE\":30}");

        List<DatasetImportJobSummary> listed = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = personalize.listDatasetImportJobs(r -> r.datasetArn(arn).maxResults(2).nextToken(next));
            assertThat(page.datasetImportJobs()).hasSizeLessThanOrEqualTo(2);
            listed.addAll(page.datasetImportJobs());
            token = page.nextToken();
        } while (token != null);
        assertThat(listed.stream().map(DatasetImportJobSummary::datasetImportJobArn)).containsExactlyElementsOf(jobs);
        var job = personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(jobs.get(2))).datasetImportJob();
        DatasetImportJobSummary last = listed.get(2);
        assertThat(last.jobName()).isEqualTo("pz-import-2");
        assertThat(last.status()).isEqualTo("ACTIVE");
        assertThat(last.importMode().toString()).isEqualTo("FULL");
        assertThat(last.creationDateTime()).isEqualTo(job.creationDateTime());
        assertThat(last.lastUpdatedDateTime()).isEqualTo(job.lastUpdatedDateTime());
        assertThat(last.failureReason()).isNull();
        assertThat(job.datasetArn()).isEqualTo(arn);

        assertThat(personalize.listDatasetImportJobs(r -> r.maxResults(100)).datasetImportJobs().stream()
                .map(DatasetImportJobSummary::datasetImportJobArn)).containsSubsequence(jobs);
        assertThat(personalize.listDatasetImportJobs(r -> r.datasetArn(ARN + "dataset/g-import/ITEMS")).datasetImportJobs())
                .isEmpty();
        String firstToken = personalize.listDatasetImportJobs(r -> r.datasetArn(arn).maxResults(1)).nextToken();
        assertThatThrownBy(() -> personalize.listDatasetImportJobs(r -> r.maxResults(1).nextToken(firstToken)))
                .isInstanceOf(InvalidNextTokenException.class);
        // a job's tags from its creation read back, and change as any resource's
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(jobs.get(0))).tags())
                .containsExactly(Tag.builder().tagKey("run").tagValue("pz-import-0").build());
        personalize.tagResource(r -> r.resourceArn(jobs.get(0)).tags(Tag.builder().tagKey("more").tagValue("x").build()));
        personalize.untagResource(r -> r.resourceArn(jobs.get(0)).tagKeys("run"));
        assertThat(personalize.listTagsForResource(r -> r.resourceArn(jobs.get(0))).tags())
                .containsExactly(Tag.builder().tagKey("more").tagValue("x").build());
        assertThatThrownBy(() -> personalize.createDatasetImportJob(r -> r.jobName("pz-import-tags").datasetArn(arn)
                .dataSource(d -> d.dataLocation("s3://" + LocalRuntime.LANDING_BUCKET + "/pz/users.csv")).tags(tags(51))))
                .isInstanceOf(TooManyTagsException.class);
        assertThatThrownBy(() -> personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(ARN
                + "dataset-import-job/pz-import-tags"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void tagsAreAddedReplacedRemovedAndLimitedOnGroupsDatasetsAndImportJobs() throws Exception {
        String group = personalize.createDatasetGroup(r -> r.name("g-tags").tags(Tag.builder().tagKey("a").tagValue("1").build()))
                .datasetGroupArn();
        String dataset = dataset("people", group, "Users", schema("s-tags", USERS));
        for (String arn : List.of(group, dataset)) {
            personalize.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().tagKey("a").tagValue("2").build(),
                    Tag.builder().tagKey("b").tagValue("3").build()));
            assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsExactlyInAnyOrder(
                    Tag.builder().tagKey("a").tagValue("2").build(), Tag.builder().tagKey("b").tagValue("3").build());
            personalize.untagResource(r -> r.resourceArn(arn).tagKeys("a", "missing"));
            assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags())
                    .containsExactly(Tag.builder().tagKey("b").tagValue("3").build());
            personalize.tagResource(r -> r.resourceArn(arn).tags(tags(49)));
            assertThatThrownBy(() -> personalize.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().tagKey("c")
                    .tagValue("4").build()))).isInstanceOf(TooManyTagsException.class);
            assertThat(personalize.listTagsForResource(r -> r.resourceArn(arn)).tags()).hasSize(50);
            assertThatThrownBy(() -> personalize.untagResource(r -> r.resourceArn(arn)
                    .tagKeys(IntStream.range(0, 51).mapToObj(i -> "k" + i).toList())))
                    .isInstanceOf(TooManyTagKeysException.class);
            assertThatThrownBy(() -> personalize.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().tagKey("AWS:x")
                    .tagValue("y").build()))).isInstanceOf(InvalidInputException.class);
        }
        for (String missing : List.of(ARN + "dataset-group/none", ARN + "dataset/none/USERS", ARN + "dataset-import-job/none",
                ARN + "solution/none")) {
            assertThatThrownBy(() -> personalize.listTagsForResource(r -> r.resourceArn(missing)))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> personalize.tagResource(r -> r.resourceArn(missing).tags(tags(1))))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> personalize.untagResource(r -> r.resourceArn(missing).tagKeys("k0")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        assertThatThrownBy(() -> personalize.tagResource(r -> r.resourceArn(ARN + "schema/s-tags").tags(tags(1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Schemas have no tags");
    }

    @Test
    void anImportJobsRoleReadsBackAsTheIamRoleItNamed() throws Exception {
        String arn = dataset("readers", group("g-role"), "Users", schema("s-role", USERS));
        runtime.s3().client().putObject(r -> r.bucket(LocalRuntime.LANDING_BUCKET).key("pz-role/users.csv"),
                RequestBody.fromString("USER_ID,AGE\nu1,30\n", StandardCharsets.UTF_8));
        String job = personalize.createDatasetImportJob(r -> r.jobName("pz-role-1").datasetArn(arn).roleArn(READER)
                .dataSource(d -> d.dataLocation("s3://" + LocalRuntime.LANDING_BUCKET + "/pz-role/users.csv")))
                .datasetImportJobArn();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var described = personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(job)).datasetImportJob();
        while (!described.status().equals("ACTIVE") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            described = personalize.describeDatasetImportJob(r -> r.datasetImportJobArn(job)).datasetImportJob();
        }
        assertThat(described.status()).isEqualTo("ACTIVE");
        assertThat(described.roleArn()).isEqualTo(READER);
        assertThatThrownBy(() -> personalize.createDatasetImportJob(r -> r.jobName("pz-role-2").datasetArn(arn)
                .roleArn("arn:aws:iam::000000000000:role/other")
                .dataSource(d -> d.dataLocation("s3://" + LocalRuntime.LANDING_BUCKET + "/pz-role/users.csv"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("importRoleArns");
    }
}
