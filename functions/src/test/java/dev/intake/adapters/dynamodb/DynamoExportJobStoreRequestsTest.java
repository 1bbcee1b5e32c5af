package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.DynamoMocks.conditionFailed;
import static dev.intake.adapters.dynamodb.DynamoMocks.key;
import static dev.intake.adapters.dynamodb.DynamoMocks.s;
import static dev.intake.adapters.dynamodb.DynamoMocks.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportJobCodec;
import dev.intake.core.export.ExportStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The exact requests DynamoExportJobStore sends. */
class DynamoExportJobStoreRequestsTest {
    private static final String TABLE = "intake-control";
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private DynamoDbClient dynamo;
    private DynamoExportJobStore store;

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        store = new DynamoExportJobStore(dynamo, TABLE);
    }

    private static ExportJob job(String name, String dataset) {
        return new ExportJob(name, dataset, ExportJob.IngestionMode.BULK, "arn:aws:iam::000000000000:role/r", "s3://b/out/",
                null, Map.of("k", "v"), ExportStatus.PENDING, null, T0, T0, null);
    }

    private static Map<String, AttributeValue> item(ExportJob job) {
        Map<String, AttributeValue> item = new HashMap<>(key("EXPORT_JOBS", job.name()));
        item.put("ds", s(job.dataset()));
        item.put("st", s(job.status().name()));
        item.put("doc", s(ExportJobCodec.encode(job)));
        return item;
    }

    @Test
    void createIsOnePutConditionedOnTheNameBeingFree() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build())
                .thenThrow(conditionFailed());
        ExportJob job = job("e1", "shop.ITEMS");
        store.create(job);
        assertThatThrownBy(() -> store.create(job)).isInstanceOfSatisfying(IntakeException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS));
        PutItemRequest expected = PutItemRequest.builder().tableName(TABLE).item(item(job))
                .conditionExpression("attribute_not_exists(pk)").build();
        assertThat(sent(dynamo)).containsExactly(expected, expected);
    }

    @Test
    void aChangeIsOnePutConditionedOnTheStatusItWasDecidedOn() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build())
                .thenThrow(conditionFailed());
        ExportJob started = job("e1", "ds").started("gen", T0.plusSeconds(1));
        assertThat(store.replace(started, ExportStatus.PENDING)).isTrue();
        assertThat(store.replace(started, ExportStatus.PENDING)).isFalse();
        PutItemRequest expected = PutItemRequest.builder().tableName(TABLE).item(item(started))
                .conditionExpression("st = :expected").expressionAttributeValues(Map.of(":expected", s("PENDING"))).build();
        assertThat(sent(dynamo)).containsExactly(expected, expected);
    }

    @Test
    void findIsAConsistentGetOfTheJobsItem() {
        ExportJob job = job("e1", "ds");
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(item(job)).build())
                .thenReturn(GetItemResponse.builder().build());
        assertThat(store.find("e1")).contains(job);
        assertThat(store.find("e2")).isEmpty();
        assertThat(sent(dynamo)).containsExactly(
                GetItemRequest.builder().tableName(TABLE).key(key("EXPORT_JOBS", "e1")).consistentRead(true).build(),
                GetItemRequest.builder().tableName(TABLE).key(key("EXPORT_JOBS", "e2")).consistentRead(true).build());
    }

    @Test
    void aDatasetsJobsAreQueriedWithAFilterUntilOneMoreThanAPageIsFound() {
        when(dynamo.query(any(QueryRequest.class)))
                .thenReturn(QueryResponse.builder().items(item(job("a", "ds"))).lastEvaluatedKey(key("EXPORT_JOBS", "b")).build())
                .thenReturn(QueryResponse.builder().items(item(job("c", "ds")), item(job("d", "ds")))
                        .lastEvaluatedKey(key("EXPORT_JOBS", "d")).build());

        var page = store.list("ds", "0", 2);

        assertThat(page.items()).extracting(ExportJob::name).containsExactly("a", "c");
        assertThat(page.lastKey()).isEqualTo("c");
        Map<String, AttributeValue> values = Map.of(":pk", s("EXPORT_JOBS"), ":ds", s("ds"));
        assertThat(sent(dynamo)).containsExactly(
                QueryRequest.builder().tableName(TABLE).consistentRead(true).limit(3).keyConditionExpression("pk = :pk")
                        .filterExpression("ds = :ds").exclusiveStartKey(key("EXPORT_JOBS", "0"))
                        .expressionAttributeValues(values).build(),
                QueryRequest.builder().tableName(TABLE).consistentRead(true).limit(2).keyConditionExpression("pk = :pk")
                        .filterExpression("ds = :ds").exclusiveStartKey(key("EXPORT_JOBS", "b"))
                        .expressionAttributeValues(values).build());
    }

    @Test
    void everyJobIsQueriedWithoutAFilterAndTheLastPageHasNoNextKey() {
        when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder().items(item(job("a", "x"))).build());
        var page = store.list(null, null, 100);
        assertThat(page.items()).extracting(ExportJob::name).containsExactly("a");
        assertThat(page.lastKey()).isNull();
        assertThat(sent(dynamo)).containsExactly(QueryRequest.builder().tableName(TABLE).consistentRead(true).limit(101)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("EXPORT_JOBS"))).build());
    }
}
