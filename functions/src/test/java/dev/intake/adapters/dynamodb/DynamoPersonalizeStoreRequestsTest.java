package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.DynamoMocks.bool;
import static dev.intake.adapters.dynamodb.DynamoMocks.cancelled;
import static dev.intake.adapters.dynamodb.DynamoMocks.conditionFailed;
import static dev.intake.adapters.dynamodb.DynamoMocks.key;
import static dev.intake.adapters.dynamodb.DynamoMocks.n;
import static dev.intake.adapters.dynamodb.DynamoMocks.s;
import static dev.intake.adapters.dynamodb.DynamoMocks.sent;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.personalize.DatasetGroup;
import dev.intake.core.personalize.DatasetType;
import dev.intake.core.personalize.PersonalizeDataset;
import dev.intake.core.personalize.PersonalizeSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/** The exact requests DynamoPersonalizeStore sends: control-table items, counted uses, one transaction per change. */
class DynamoPersonalizeStoreRequestsTest {
    private static final String TABLE = "intake-control";
    private static final Instant CREATED = Instant.parse("2024-03-01T10:15:30.123Z");
    private static final String CREATED_MILLIS = "1709288130123";
    private static final String AVRO = "{\"type\":\"record\",\"name\":\"U\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}]}";

    private DynamoDbClient dynamo;
    private DynamoPersonalizeStore store;

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        store = new DynamoPersonalizeStore(dynamo, TABLE);
    }

    private void transactionsSucceed() {
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenReturn(TransactWriteItemsResponse.builder().build());
    }

    private List<TransactWriteItem> transaction() {
        return sent(dynamo, TransactWriteItemsRequest.class).get(0).transactItems();
    }

    private static TransactWriteItem use(String pk, String name, String delta, String condition) {
        return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key(pk, name))
                .updateExpression("ADD datasets :delta").conditionExpression(condition)
                .expressionAttributeValues(Map.of(":delta", n(delta)))).build();
    }

    private static PersonalizeDataset users(String schema) {
        return new PersonalizeDataset("shop", DatasetType.USERS, "people", schema, CREATED, CREATED, false);
    }

    @Test
    void aSchemaIsPutIfTheNameIsFreeWithNoUses() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        store.createSchema(new PersonalizeSchema("users", AVRO, "ECOMMERCE", CREATED, CREATED));
        assertThat(sent(dynamo)).containsExactly(PutItemRequest.builder().tableName(TABLE).item(Map.ofEntries(
                entry("pk", s("PZ_SCHEMAS")), entry("sk", s("users")), entry("name", s("users")), entry("schema", s(AVRO)),
                entry("domain", s("ECOMMERCE")), entry("createdAt", n(CREATED_MILLIS)), entry("updatedAt", n(CREATED_MILLIS)),
                entry("datasets", n("0")))).conditionExpression("attribute_not_exists(pk)").build());

        when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
        assertThatThrownBy(() -> store.createSchema(new PersonalizeSchema("users", AVRO, null, CREATED, CREATED)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS));
    }

    @Test
    void aSchemaIsDeletedOnlyWithoutUsesAndARefusalSaysHowMany() {
        when(dynamo.deleteItem(any(DeleteItemRequest.class))).thenReturn(DeleteItemResponse.builder().build());
        store.deleteSchema("users");
        DeleteItemRequest delete = DeleteItemRequest.builder().tableName(TABLE).key(key("PZ_SCHEMAS", "users"))
                .conditionExpression("attribute_exists(pk) AND datasets = :zero")
                .expressionAttributeValues(Map.of(":zero", n("0"))).build();
        assertThat(sent(dynamo)).containsExactly(delete);

        when(dynamo.deleteItem(any(DeleteItemRequest.class))).thenThrow(conditionFailed());
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(Map.of("pk", s("PZ_SCHEMAS"), "sk", s("users"), "datasets", n("2"))).build());
        assertThatThrownBy(() -> store.deleteSchema("users"))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.IN_USE))
                .hasMessageContaining("used by 2 dataset(s)");
        assertThat(sent(dynamo, GetItemRequest.class)).containsExactly(GetItemRequest.builder().tableName(TABLE)
                .key(key("PZ_SCHEMAS", "users")).consistentRead(true).build());

        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        assertThatThrownBy(() -> store.deleteSchema("users"))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void aGroupIsPutWithItsTagsInOneTransactionAndDeletedWithThem() {
        transactionsSucceed();
        store.createGroup(new DatasetGroup("shop", "arn:aws:iam::123456789012:role/r", null, null, "ACTIVE", CREATED, CREATED),
                Map.of("team", "recs"));
        assertThat(transaction()).containsExactly(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.ofEntries(entry("pk", s("PZ_DATASET_GROUPS")),
                        entry("sk", s("shop")), entry("name", s("shop")), entry("roleArn", s("arn:aws:iam::123456789012:role/r")),
                        entry("status", s("ACTIVE")), entry("createdAt", n(CREATED_MILLIS)), entry("updatedAt", n(CREATED_MILLIS)),
                        entry("datasets", n("0")))).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s("TAGS#dataset-group/shop"),
                        "sk", s("TAGS"), "tags", AttributeValue.fromM(Map.of("team", s("recs"))), "version", n("1")))).build());

        dynamo = DynamoMocks.client();
        store = new DynamoPersonalizeStore(dynamo, TABLE);
        transactionsSucceed();
        store.deleteGroup("shop");
        assertThat(transaction()).containsExactly(
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(key("PZ_DATASET_GROUPS", "shop"))
                        .conditionExpression("attribute_exists(pk) AND datasets = :zero")
                        .expressionAttributeValues(Map.of(":zero", n("0")))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(key("TAGS#dataset-group/shop", "TAGS"))).build());
    }

    @Test
    void aDatasetIsWrittenWithItsIntakeDatasetTagsAndBothUsesInOneTransaction() {
        transactionsSucceed();
        Dataset intake = new Dataset("shop.USERS", AVRO, List.of("USER_ID"), CREATED, CREATED, "initial-1", false, 0);
        store.createDataset(intake, users("users"), Map.of("k", "v"));
        assertThat(transaction()).containsExactly(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(DynamoDatasetStore.item(intake))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.ofEntries(entry("pk", s("PZ_DATASETS")),
                        entry("sk", s("shop/USERS")), entry("group", s("shop")), entry("type", s("USERS")),
                        entry("name", s("people")), entry("schemaName", s("users")), entry("createdAt", n(CREATED_MILLIS)),
                        entry("updatedAt", n(CREATED_MILLIS)), entry("deleting", bool(false))))
                        .conditionExpression("attribute_not_exists(pk) OR deleting = :true")
                        .expressionAttributeValues(Map.of(":true", bool(true)))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("PZ_DATASET_GROUPS", "shop"))
                        .updateExpression("ADD datasets :delta").conditionExpression("attribute_exists(pk) AND #status = :active")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":delta", n("1"), ":active", s("ACTIVE")))).build(),
                use("PZ_SCHEMAS", "users", "1", "attribute_exists(pk)"),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s("TAGS#dataset/shop.USERS@" + CREATED_MILLIS),
                        "sk", s("TAGS"), "tags", AttributeValue.fromM(Map.of("k", s("v"))), "version", n("1")))).build());
        assertThat(DynamoDatasetStore.item(intake)).containsEntry("pk", s("DATASETS")).containsEntry("sk", s("shop.USERS"));
    }

    @Test
    void aRefusedDatasetSaysWhichConditionFailed() {
        Dataset intake = new Dataset("shop.USERS", AVRO, List.of("USER_ID"), CREATED, CREATED, "initial-1", false, 0);
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenThrow(cancelled("None", "ConditionalCheckFailed", "None", "None", "None"))
                .thenThrow(cancelled("None", "None", "ConditionalCheckFailed", "None", "None"))
                .thenThrow(cancelled("None", "None", "None", "ConditionalCheckFailed", "None"))
                .thenThrow(cancelled("ConditionalCheckFailed", "None", "None", "None", "None"));
        for (var expected : List.of(Map.entry(ErrorKind.ALREADY_EXISTS, "already has a USERS dataset"),
                Map.entry(ErrorKind.NOT_FOUND, "Dataset group 'shop' does not exist"),
                Map.entry(ErrorKind.NOT_FOUND, "Schema 'users' does not exist"),
                Map.entry(ErrorKind.ALREADY_EXISTS, "Dataset 'shop.USERS' already exists"))) {
            assertThatThrownBy(() -> store.createDataset(intake, users("users"), Map.of()))
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(expected.getKey()))
                    .hasMessageContaining(expected.getValue());
        }
    }

    @Test
    void aSchemaChangeMovesTheUseAndTheIntakeSchemaInOneTransaction() {
        transactionsSucceed();
        Instant when = CREATED.plusMillis(1);
        store.changeSchema(users("v1"), "v2", AVRO, when);
        assertThat(transaction()).containsExactly(
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("DATASETS", "shop.USERS"))
                        .updateExpression("SET #schema = :schema, updatedAt = :when")
                        .conditionExpression("attribute_exists(pk) AND activeJobs = :zero AND attribute_not_exists(deletion)")
                        .expressionAttributeNames(Map.of("#schema", "schema"))
                        .expressionAttributeValues(Map.of(":schema", s(AVRO), ":when", n("1709288130124"), ":zero", n("0"))))
                        .build(),
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("PZ_DATASETS", "shop/USERS"))
                        .updateExpression("SET schemaName = :new, updatedAt = :when")
                        .conditionExpression("schemaName = :old AND deleting = :false")
                        .expressionAttributeValues(Map.of(":new", s("v2"), ":old", s("v1"), ":when", n("1709288130124"),
                                ":false", bool(false)))).build(),
                use("PZ_SCHEMAS", "v2", "1", "attribute_exists(pk)"),
                use("PZ_SCHEMAS", "v1", "-1", "attribute_exists(pk)"));

        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenThrow(cancelled("ConditionalCheckFailed", "None", "None", "None"));
        assertThatThrownBy(() -> store.changeSchema(users("v1"), "v2", AVRO, when))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.IN_USE));
    }

    @Test
    void markingADatasetDeletingFreesItsGroupAndSchemaOnce() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(Map.ofEntries(
                entry("pk", s("PZ_DATASETS")), entry("sk", s("shop/USERS")), entry("group", s("shop")), entry("type", s("USERS")),
                entry("name", s("people")), entry("schemaName", s("v1")), entry("createdAt", n(CREATED_MILLIS)),
                entry("updatedAt", n(CREATED_MILLIS)), entry("deleting", bool(false)))).build());
        transactionsSucceed();
        store.datasetDeleting(users("v1"));
        assertThat(transaction()).containsExactly(
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("PZ_DATASETS", "shop/USERS"))
                        .updateExpression("SET deleting = :true").conditionExpression("deleting = :false AND schemaName = :schema")
                        .expressionAttributeValues(Map.of(":true", bool(true), ":false", bool(false), ":schema", s("v1"))))
                        .build(),
                use("PZ_DATASET_GROUPS", "shop", "-1", "attribute_exists(pk)"),
                use("PZ_SCHEMAS", "v1", "-1", "attribute_exists(pk)"));
    }

    @Test
    void tagsArePutConditionedOnTheVersionRead() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        store.putTags("dataset-import-job/j", Map.of("a", "1"), 0);
        store.putTags("dataset-import-job/j", Map.of(), 1);
        Map<String, AttributeValue> first = Map.of("pk", s("TAGS#dataset-import-job/j"), "sk", s("TAGS"),
                "tags", AttributeValue.fromM(Map.of("a", s("1"))), "version", n("1"));
        Map<String, AttributeValue> second = Map.of("pk", s("TAGS#dataset-import-job/j"), "sk", s("TAGS"),
                "tags", AttributeValue.fromM(Map.of()), "version", n("2"));
        assertThat(sent(dynamo)).containsExactly(
                PutItemRequest.builder().tableName(TABLE).item(first).conditionExpression("attribute_not_exists(pk)").build(),
                PutItemRequest.builder().tableName(TABLE).item(second).conditionExpression("version = :expected")
                        .expressionAttributeValues(Map.of(":expected", n("1"))).build());
        when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
        assertThatThrownBy(() -> store.putTags("dataset-import-job/j", Map.of(), 1))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    }

    @Test
    void aGroupsDatasetsAreOneQueryOnTheirPrefix() {
        when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder().items(List.of()).build());
        assertThat(store.listDatasets("shop", "shop/ITEMS", 10).items()).isEmpty();
        store.listSchemas(null, 5);
        assertThat(sent(dynamo)).containsExactly(
                QueryRequest.builder().tableName(TABLE).consistentRead(true).limit(10)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s("PZ_DATASETS"), ":prefix", s("shop/")))
                        .exclusiveStartKey(key("PZ_DATASETS", "shop/ITEMS")).build(),
                QueryRequest.builder().tableName(TABLE).consistentRead(true).limit(5).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s("PZ_SCHEMAS"))).build());
    }
}
