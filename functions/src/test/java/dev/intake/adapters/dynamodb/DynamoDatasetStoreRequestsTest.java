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

import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The exact requests DynamoDatasetStore sends, and how it reads its conditions' failures. */
class DynamoDatasetStoreRequestsTest {
    private static final String TABLE = "intake-control";
    private static final Instant CREATED = Instant.parse("2024-03-01T10:15:30.123Z");
    private static final String CREATED_MILLIS = "1709288130123";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Movie\",\"fields\":[]}";

    private DynamoDbClient dynamo;
    private DynamoDatasetStore store;

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        store = new DynamoDatasetStore(dynamo, TABLE);
    }

    private static Map<String, AttributeValue> movies(int activeJobs) {
        return Map.ofEntries(entry("pk", s("DATASETS")), entry("sk", s("movies")), entry("name", s("movies")),
                entry("schema", s(SCHEMA)), entry("keyFields", AttributeValue.fromL(List.of(s("id"), s("region")))),
                entry("createdAt", n(CREATED_MILLIS)), entry("updatedAt", n(CREATED_MILLIS)),
                entry("generation", s("g1")), entry("fullImported", bool(false)),
                entry("activeJobs", n(Integer.toString(activeJobs))));
    }

    @Nested
    class Create {
        private final Dataset dataset = new Dataset("movies", SCHEMA, List.of("id", "region"), CREATED, CREATED, "g1",
                false, 0);

        @Test
        void writesTheDatasetOnlyIfTheNameIsFree() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());

            store.create(dataset);

            assertThat(sent(dynamo)).containsExactly(PutItemRequest.builder().tableName(TABLE).item(movies(0))
                    .conditionExpression("attribute_not_exists(pk)").build());
        }

        @Test
        void aTakenNameIsAlreadyExists() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(conditionFailed());

            assertThatThrownBy(() -> store.create(dataset))
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                    .hasMessage("Dataset 'movies' already exists");
        }
    }

    @Nested
    class MarkDeleting {
        private final UpdateItemRequest delete = UpdateItemRequest.builder().tableName(TABLE).key(key("DATASETS", "movies"))
                .updateExpression("SET deletion = if_not_exists(deletion, :pending)")
                .conditionExpression("attribute_exists(pk) AND activeJobs = :zero")
                .expressionAttributeValues(Map.of(":zero", n("0"), ":pending", s("DELETE_PENDING")))
                .returnValues(ReturnValue.ALL_NEW).build();
        private final GetItemRequest read = GetItemRequest.builder().tableName(TABLE).key(key("DATASETS", "movies"))
                .consistentRead(true).build();

        @Test
        void marksADatasetWithoutActiveJobsAndReturnsIt() {
            Map<String, AttributeValue> marked = new HashMap<>(movies(0));
            marked.put("generation", s("g3"));
            marked.put("fullImported", bool(true));
            marked.put("retiredGenerations", AttributeValue.fromSs(List.of("g1", "g2")));
            marked.put("deletion", s("DELETE_PENDING"));
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().attributes(marked).build());

            Dataset deleted = store.markDeleting("movies");

            assertThat(sent(dynamo)).containsExactly(delete);
            assertThat(deleted).isEqualTo(new Dataset("movies", SCHEMA, List.of("id", "region"), CREATED, CREATED, "g3",
                    true, 0, Set.of("g1", "g2"), Dataset.Status.DELETE_PENDING));
        }

        @Test
        void startingAndEndingTheDeletionAreConditionalOnItsState() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());
            when(dynamo.deleteItem(any(DeleteItemRequest.class))).thenThrow(conditionFailed());

            store.deletionStarted("movies"); // started already: nothing to do
            store.forget("movies"); // gone already, or active: never removed

            assertThat(sent(dynamo)).containsExactly(
                    UpdateItemRequest.builder().tableName(TABLE).key(key("DATASETS", "movies"))
                            .updateExpression("SET deletion = :started").conditionExpression("deletion = :pending")
                            .expressionAttributeValues(Map.of(":pending", s("DELETE_PENDING"), ":started", s("DELETE_IN_PROGRESS")))
                            .build(),
                    DeleteItemRequest.builder().tableName(TABLE).key(key("DATASETS", "movies"))
                            .conditionExpression("attribute_exists(deletion)").build());
        }

        @Test
        void aMissingDatasetIsNotFound() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());

            assertThatThrownBy(() -> store.markDeleting("movies"))
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                    .hasMessage("Dataset 'movies' does not exist");
            assertThat(sent(dynamo)).containsExactly(delete, read);
        }

        @Test
        void aDatasetWithActiveJobsIsInUseAndSaysHowMany() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());
            when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().item(movies(2)).build());

            assertThatThrownBy(() -> store.markDeleting("movies"))
                    .isInstanceOfSatisfying(IntakeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.IN_USE))
                    .hasMessage("Dataset 'movies' has 2 import job(s) pending or in progress; delete it when they have finished");
            assertThat(sent(dynamo)).containsExactly(delete, read);
        }
    }

    @Nested
    class GenerationDeleted {
        private final UpdateItemRequest update = UpdateItemRequest.builder().tableName(TABLE).key(key("DATASETS", "movies"))
                .updateExpression("DELETE retiredGenerations :g")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromSs(List.of("g1"))))
                .build();

        @Test
        void forgetsTheRetiredGeneration() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenReturn(UpdateItemResponse.builder().build());

            store.generationDeleted("movies", "g1");

            assertThat(sent(dynamo)).containsExactly(update);
        }

        @Test
        void aDatasetDeletedMeanwhileIsNothingToForget() {
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(conditionFailed());

            store.generationDeleted("movies", "g1");

            assertThat(sent(dynamo)).containsExactly(update);
        }

        @Test
        void otherFailuresAreNotSwallowed() {
            var throttled = DynamoMocks.throttling();
            when(dynamo.updateItem(any(UpdateItemRequest.class))).thenThrow(throttled);

            assertThatThrownBy(() -> store.generationDeleted("movies", "g1")).isSameAs(throttled);
        }
    }
}
