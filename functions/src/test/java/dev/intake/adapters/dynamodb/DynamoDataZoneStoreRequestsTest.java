package dev.intake.adapters.dynamodb;

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

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ObjectArrival;
import dev.intake.core.ports.DataZoneStore.Entry;
import dev.intake.core.ports.DataZoneStore.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The exact requests DynamoDataZoneStore sends (one control-table partition per kind, conditional
 * writes, prefix listings by begins_with on the sort key), and those of JobStore.putJobObjects.
 */
class DynamoDataZoneStoreRequestsTest {
    private static final String TABLE = "intake-control";
    private static final Instant AT = Instant.parse("2024-03-01T10:15:30.123Z");
    private static final String AT_MILLIS = "1709288130123";

    private DynamoDbClient dynamo;
    private DynamoDataZoneStore store;

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        store = new DynamoDataZoneStore(dynamo, TABLE);
    }

    private static Map<String, AttributeValue> item(String kind, String name, String document, String version) {
        return Map.ofEntries(entry("pk", s("DATAZONE#" + kind)), entry("sk", s(name)), entry("document", s(document)),
                entry("version", n(version)), entry("createdAt", n(AT_MILLIS)), entry("updatedAt", n(AT_MILLIS)));
    }

    @Test
    void createPutsTheEntryOnlyIfTheNameIsFree() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        store.create(Kind.DOMAIN, "dzd_1", "{}", AT);
        assertThat(sent(dynamo)).containsExactly(PutItemRequest.builder().tableName(TABLE)
                .item(item("DOMAIN", "dzd_1", "{}", "1")).conditionExpression("attribute_not_exists(pk)").build());

        when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
        assertThatThrownBy(() -> store.create(Kind.DOMAIN, "dzd_1", "{}", AT))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessage("Domain 'dzd_1' already exists");
    }

    @Test
    void findReadsConsistently() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(item("RUN", "dzd_1/r", "{\"id\":\"r\"}", "3")).build());
        assertThat(store.find(Kind.RUN, "dzd_1/r")).contains(new Entry(Kind.RUN, "dzd_1/r", "{\"id\":\"r\"}", 3, AT, AT));
        assertThat(sent(dynamo)).containsExactly(GetItemRequest.builder().tableName(TABLE)
                .key(key("DATAZONE#RUN", "dzd_1/r")).consistentRead(true).build());
    }

    @Test
    void listingUnderAPrefixQueriesWithBeginsWithAndStartsAfterTheLastKey() {
        when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder()
                .items(List.of(item("RUN", "dzd_1/s-b", "{}", "1"))).lastEvaluatedKey(key("DATAZONE#RUN", "dzd_1/s-b")).build());
        var page = store.list(Kind.RUN, "dzd_1/s-", "dzd_1/s-a", 1);
        assertThat(page.items()).extracting(Entry::name).containsExactly("dzd_1/s-b");
        assertThat(page.lastKey()).isEqualTo("dzd_1/s-b");
        assertThat(sent(dynamo)).containsExactly(QueryRequest.builder().tableName(TABLE)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s("DATAZONE#RUN"), ":prefix", s("dzd_1/s-")))
                .consistentRead(true).limit(1).exclusiveStartKey(key("DATAZONE#RUN", "dzd_1/s-a")).build());
    }

    @Test
    void listingAllOfAKindQueriesItsPartition() {
        when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder().items(List.of()).build());
        assertThat(store.list(Kind.DOMAIN, "", null, 25).lastKey()).isNull();
        assertThat(sent(dynamo)).containsExactly(QueryRequest.builder().tableName(TABLE)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("DATAZONE#DOMAIN")))
                .consistentRead(true).limit(25).build());
    }

    @Test
    void updateIsConditionalOnTheVersionAndTellsAConflictFromAMissingEntry() {
        when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());
        store.update(Kind.SOURCE_OBJECTS, "src", "{\"a.csv\":\"e\"}", 4, AT);
        assertThat(sent(dynamo)).containsExactly(UpdateItemRequest.builder().tableName(TABLE)
                .key(key("DATAZONE#SOURCE_OBJECTS", "src"))
                .updateExpression("SET document = :document, version = :next, updatedAt = :at")
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":document", s("{\"a.csv\":\"e\"}"), ":next", n("5"), ":at", n(AT_MILLIS),
                        ":expected", n("4"))).build());

        when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(item("SOURCE_OBJECTS", "src", "{}", "5")).build());
        assertThatThrownBy(() -> store.update(Kind.SOURCE_OBJECTS, "src", "{}", 4, AT))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        assertThatThrownBy(() -> store.update(Kind.SOURCE_OBJECTS, "src", "{}", 4, AT))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void deleteRemovesTheItemUnconditionally() {
        store.delete(Kind.CLIENT_TOKEN, "dzd_1/CreateDataSource/t");
        assertThat(sent(dynamo)).containsExactly(DeleteItemRequest.builder().tableName(TABLE)
                .key(key("DATAZONE#CLIENT_TOKEN", "dzd_1/CreateDataSource/t")).build());
    }

    private static TransactWriteItem put(String kind, String name, String document) {
        return TransactWriteItem.builder().put(Put.builder().tableName(TABLE)
                .item(item(kind, name, document, "1")).build()).build();
    }

    private static TransactWriteItem delete(String kind, String name) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(TABLE)
                .key(key("DATAZONE#" + kind, name)).build()).build();
    }

    @Test
    void manyEntriesArePutWholeByTransactionsOfAHundred() {
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenReturn(TransactWriteItemsResponse.builder().build());
        Map<String, String> documents = new LinkedHashMap<>();
        for (int i = 0; i < 101; i++) {
            documents.put("dzd_1/run/" + String.format("%07d", i), "{\"i\":" + i + "}");
        }
        store.putAll(Kind.RUN_ACTIVITIES, documents, AT);
        List<TransactWriteItem> first = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            first.add(put("RUN_ACTIVITIES", "dzd_1/run/" + String.format("%07d", i), "{\"i\":" + i + "}"));
        }
        assertThat(sent(dynamo)).containsExactly(
                TransactWriteItemsRequest.builder().transactItems(first).build(),
                TransactWriteItemsRequest.builder().transactItems(put("RUN_ACTIVITIES", "dzd_1/run/0000100", "{\"i\":100}")).build());
    }

    @Test
    void aTransactionOfManyLargeEntriesStaysWellUnderFourMegabytes() {
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenReturn(TransactWriteItemsResponse.builder().build());
        Map<String, String> documents = new LinkedHashMap<>();
        String large = "x".repeat(350_000); // under DynamoDB's 400 KB an item
        for (int i = 0; i < 10; i++) {
            documents.put("src/" + i, large);
        }
        store.putAll(Kind.SOURCE_OBJECTS, documents, AT);
        assertThat(sent(dynamo, TransactWriteItemsRequest.class)).extracting(r -> r.transactItems().size())
                .containsExactly(8, 2);
    }

    @Test
    void aTransactionThatMetAnotherIsSentAgainAndOtherCancellationsAreAConflict() {
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class)))
                .thenThrow(cancelled("TransactionConflict"))
                .thenReturn(TransactWriteItemsResponse.builder().build());
        store.putAll(Kind.SOURCE_OBJECTS, Map.of("src/h", "{}"), AT);
        TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(put("SOURCE_OBJECTS", "src/h", "{}")).build();
        assertThat(sent(dynamo)).containsExactly(request, request);

        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenThrow(cancelled("ValidationError"));
        assertThatThrownBy(() -> store.putAll(Kind.SOURCE_OBJECTS, Map.of("src/h", "{}"), AT))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    }

    @Test
    void deletingUnderAPrefixQueriesTheKeysAPageAtATimeAndDeletesEachPageInOneTransaction() {
        when(dynamo.query(any(QueryRequest.class)))
                .thenReturn(QueryResponse.builder().items(List.of(key("DATAZONE#SOURCE_OBJECTS", "src/a"),
                        key("DATAZONE#SOURCE_OBJECTS", "src/b"))).lastEvaluatedKey(key("DATAZONE#SOURCE_OBJECTS", "src/b")).build())
                .thenReturn(QueryResponse.builder().items(List.of(key("DATAZONE#SOURCE_OBJECTS", "src/c"))).build());
        when(dynamo.transactWriteItems(any(TransactWriteItemsRequest.class))).thenReturn(TransactWriteItemsResponse.builder().build());
        assertThat(store.deleteAll(Kind.SOURCE_OBJECTS, "src/")).isEqualTo(3);
        QueryRequest query = QueryRequest.builder().tableName(TABLE)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s("DATAZONE#SOURCE_OBJECTS"), ":prefix", s("src/")))
                .projectionExpression("sk").consistentRead(true).limit(100).build();
        assertThat(sent(dynamo)).containsExactly(
                query,
                TransactWriteItemsRequest.builder().transactItems(delete("SOURCE_OBJECTS", "src/a"),
                        delete("SOURCE_OBJECTS", "src/b")).build(),
                query.toBuilder().exclusiveStartKey(key("DATAZONE#SOURCE_OBJECTS", "src/b")).build(),
                TransactWriteItemsRequest.builder().transactItems(delete("SOURCE_OBJECTS", "src/c")).build());
    }

    @Test
    void aJobsExactObjectsArePutOneByOneUnderTheJob() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        new DynamoJobStore(dynamo, TABLE).putJobObjects("src-run1", List.of(
                new ObjectArrival("landing", "dz/a.csv", 10, "e1", null, "0"),
                new ObjectArrival("landing", "dz/b.csv", 20, null, "v2", "0")));
        assertThat(sent(dynamo)).containsExactly(
                PutItemRequest.builder().tableName(TABLE).item(Map.of("pk", s("JOB#src-run1"), "sk", s("OBJECT#landing/dz/a.csv"),
                        "bucket", s("landing"), "key", s("dz/a.csv"), "size", n("10"), "etag", s("e1"),
                        "sequencer", s("00000000000000000000000000000000"))).build(),
                PutItemRequest.builder().tableName(TABLE).item(Map.of("pk", s("JOB#src-run1"), "sk", s("OBJECT#landing/dz/b.csv"),
                        "bucket", s("landing"), "key", s("dz/b.csv"), "size", n("20"), "versionId", s("v2"),
                        "sequencer", s("00000000000000000000000000000000"))).build());
    }
}
