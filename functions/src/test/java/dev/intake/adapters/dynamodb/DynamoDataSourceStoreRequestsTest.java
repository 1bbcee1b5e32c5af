package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.DynamoMocks.bool;
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

import dev.intake.core.DataLocation;
import dev.intake.core.DataSource;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.SourceSchedule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The exact requests DynamoDataSourceStore sends: one partition of the control table, conditional writes. */
class DynamoDataSourceStoreRequestsTest {
    private static final String TABLE = "intake-control";
    private static final Instant CREATED = Instant.parse("2024-03-01T10:15:30.123Z");
    private static final String CREATED_MILLIS = "1709288130123";

    private DynamoDbClient dynamo;
    private DynamoDataSourceStore store;

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        store = new DynamoDataSourceStore(dynamo, TABLE);
    }

    private static DataSource nightly(long version) {
        return new DataSource("nightly", DataLocation.parse("s3://landing/users/"), "users", ImportMode.INCREMENTAL,
                SourceSchedule.of("cron(0 2 * * ? *)", "Europe/Berlin"), false, "arn:aws:iam::123456789012:role/reader",
                25.0, Map.of("team", "crm"), CREATED, CREATED, version);
    }

    private static Map<String, AttributeValue> nightlyItem(String version) {
        return Map.ofEntries(entry("pk", s("SOURCES")), entry("sk", s("nightly")), entry("name", s("nightly")),
                entry("location", s("s3://landing/users/")), entry("dataset", s("users")), entry("importMode", s("INCREMENTAL")),
                entry("scheduleExpression", s("cron(0 2 * * ? *)")), entry("scheduleTimeZone", s("Europe/Berlin")),
                entry("enabled", bool(false)), entry("roleArn", s("arn:aws:iam::123456789012:role/reader")),
                entry("maxFailedRowsPercent", n("25.0")), entry("tags", AttributeValue.fromM(Map.of("team", s("crm")))),
                entry("createdAt", n(CREATED_MILLIS)), entry("updatedAt", n(CREATED_MILLIS)), entry("version", n(version)));
    }

    @Test
    void createPutsTheSourceOnlyIfTheNameIsFree() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        store.create(nightly(1));
        assertThat(sent(dynamo)).containsExactly(PutItemRequest.builder().tableName(TABLE).item(nightlyItem("1"))
                .conditionExpression("attribute_not_exists(pk)").build());

        when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
        assertThatThrownBy(() -> store.create(nightly(1)))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessage("Data source 'nightly' already exists");
    }

    @Test
    void aSourceWithoutScheduleRoleLimitOrTagsStoresNoneOfThem() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        store.create(new DataSource("plain", DataLocation.parse("s3://landing/"), "users", null, null, true, null, null, null,
                CREATED, CREATED, 1));
        assertThat(sent(dynamo, PutItemRequest.class).get(0).item()).containsOnlyKeys("pk", "sk", "name", "location", "dataset",
                "importMode", "enabled", "createdAt", "updatedAt", "version");
    }

    @Test
    void findReadsConsistentlyAndReadsBackEveryField() {
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(nightlyItem("3")).build());
        assertThat(store.find("nightly")).contains(nightly(3));
        assertThat(sent(dynamo)).containsExactly(GetItemRequest.builder().tableName(TABLE).key(key("SOURCES", "nightly"))
                .consistentRead(true).build());
    }

    @Test
    void updateIsConditionalOnTheVersionReadAndTellsAChangedSourceFromAGoneOne() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());
        store.update(nightly(3), 2);
        assertThat(sent(dynamo)).containsExactly(PutItemRequest.builder().tableName(TABLE).item(nightlyItem("3"))
                .conditionExpression("version = :expected").expressionAttributeValues(Map.of(":expected", n("2"))).build());

        when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(nightlyItem("5")).build());
        assertThatThrownBy(() -> store.update(nightly(3), 2))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        assertThatThrownBy(() -> store.update(nightly(3), 2))
                .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void listingQueriesThePartitionInPagesAndAllFollowsThemToTheEnd() {
        when(dynamo.query(any(QueryRequest.class)))
                .thenReturn(QueryResponse.builder().items(List.of(nightlyItem("1"))).lastEvaluatedKey(key("SOURCES", "nightly")).build())
                .thenReturn(QueryResponse.builder().items(List.of()).build());
        assertThat(store.all()).containsExactly(nightly(1));
        assertThat(sent(dynamo)).containsExactly(
                QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s("SOURCES"))).consistentRead(true).limit(1000).build(),
                QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s("SOURCES"))).consistentRead(true).limit(1000)
                        .exclusiveStartKey(key("SOURCES", "nightly")).build());
    }

    @Test
    void deleteRemovesTheItemUnconditionally() {
        store.delete("nightly");
        assertThat(sent(dynamo)).containsExactly(DeleteItemRequest.builder().tableName(TABLE).key(key("SOURCES", "nightly")).build());
    }
}
