package dev.intake.adapters.dynamodb;

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

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.LookoutStore.Entry;
import dev.intake.core.ports.LookoutStore.Kind;
import java.time.Instant;
import java.util.HashMap;
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
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The exact requests DynamoLookoutStore sends: one control-table item per entry, in a LOOKOUT#<kind> partition. */
class DynamoLookoutStoreRequestsTest {
    private static final String TABLE = "intake-control";
    private static final Instant AT = Instant.parse("2024-03-01T10:15:30.123Z");
    private static final String AT_MILLIS = "1709288130123";

    private DynamoDbClient dynamo;
    private DynamoLookoutStore store;

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        store = new DynamoLookoutStore(dynamo, TABLE);
    }

    private static Map<String, AttributeValue> item(String pk, String name, String document, String version) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk, name));
        item.put("document", s(document));
        item.put("version", n(version));
        item.put("createdAt", n(AT_MILLIS));
        item.put("updatedAt", n(AT_MILLIS));
        return item;
    }

    @Test
    void anEntryIsPutInItsKindsPartitionIfTheNameIsFree() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        store.create(Kind.DATASET, "pumps", "{\"Id\":\"d1\"}", AT);
        assertThat(sent(dynamo)).containsExactly(PutItemRequest.builder().tableName(TABLE)
                .item(item("LOOKOUT#DATASET", "pumps", "{\"Id\":\"d1\"}", "1"))
                .conditionExpression("attribute_not_exists(pk)").build());
    }

    @Test
    void aTakenNameIsAlreadyExistsNamingTheKind() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
        assertThatThrownBy(() -> store.create(Kind.CLIENT_TOKEN, "CreateDataset/t1", "{}", AT))
                .isInstanceOfSatisfying(IntakeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("Client token 'CreateDataset/t1' already exists");
                });
    }

    @Test
    void findIsAConsistentGetOfTheKey() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(item("LOOKOUT#INGESTION_JOB", "0123", "{}", "3")).build());
        assertThat(store.find(Kind.INGESTION_JOB, "0123")).contains(new Entry(Kind.INGESTION_JOB, "0123", "{}", 3, AT, AT));
        assertThat(sent(dynamo)).containsExactly(GetItemRequest.builder().tableName(TABLE)
                .key(key("LOOKOUT#INGESTION_JOB", "0123")).consistentRead(true).build());
    }

    @Test
    void listIsAConsistentQueryOfThePartitionFromTheLastName() {
        when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder()
                .items(item("LOOKOUT#INGESTION_JOB", "b", "{}", "1"))
                .lastEvaluatedKey(key("LOOKOUT#INGESTION_JOB", "b")).build());
        var page = store.list(Kind.INGESTION_JOB, "a", 1);
        assertThat(page.items()).extracting(Entry::name).containsExactly("b");
        assertThat(page.lastKey()).isEqualTo("b");
        assertThat(sent(dynamo)).containsExactly(QueryRequest.builder().tableName(TABLE)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("LOOKOUT#INGESTION_JOB")))
                .consistentRead(true).limit(1).exclusiveStartKey(key("LOOKOUT#INGESTION_JOB", "a")).build());
    }

    @Test
    void anUpdateIsConditionedOnTheVersionRead() {
        when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());
        store.update(Kind.DATASET, "pumps", "{\"Id\":\"d2\"}", 4, AT);
        assertThat(sent(dynamo)).containsExactly(UpdateItemRequest.builder().tableName(TABLE)
                .key(key("LOOKOUT#DATASET", "pumps"))
                .updateExpression("SET document = :document, version = :next, updatedAt = :at")
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.ofEntries(entry(":document", s("{\"Id\":\"d2\"}")), entry(":next", n("5")),
                        entry(":at", n(AT_MILLIS)), entry(":expected", n("4")))).build());
    }

    @Test
    void aStaleUpdateIsConflictAndAMissingEntryNotFound() {
        when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(item("LOOKOUT#DATASET", "pumps", "{}", "5")).build());
        assertThatThrownBy(() -> store.update(Kind.DATASET, "pumps", "{}", 4, AT))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        assertThatThrownBy(() -> store.update(Kind.DATASET, "gone", "{}", 4, AT))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void deleteIsOneUnconditionalDeleteItem() {
        when(dynamo.deleteItem(any(DeleteItemRequest.class))).thenReturn(DeleteItemResponse.builder().build());
        store.delete(Kind.CLIENT_TOKEN, "StartDataIngestionJob/t");
        assertThat(sent(dynamo)).containsExactly(DeleteItemRequest.builder().tableName(TABLE)
                .key(key("LOOKOUT#CLIENT_TOKEN", "StartDataIngestionJob/t")).build());
    }
}
