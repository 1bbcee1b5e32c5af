package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.DynamoMocks.conditionFailed;
import static dev.intake.adapters.dynamodb.DynamoMocks.key;
import static dev.intake.adapters.dynamodb.DynamoMocks.n;
import static dev.intake.adapters.dynamodb.DynamoMocks.queries;
import static dev.intake.adapters.dynamodb.DynamoMocks.s;
import static dev.intake.adapters.dynamodb.DynamoMocks.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.when;

import dev.intake.core.RecordOutcome;
import dev.intake.core.TransientImportException;
import dev.intake.core.ports.RecordHistory;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The exact requests DynamoRecordStore sends and how it handles what dynalite never does:
 * UnprocessedKeys/UnprocessedItems, throttling, server errors, an unreachable DynamoDB.
 */
class DynamoRecordStoreRequestsTest {
    private static final String TABLE = "intake-records";
    /** Partitions of keys k1, k2, k3 in dataset "ds", generation "g1": CRC32 of the key modulo 16, in hex. */
    private static final String K1_PK = "ds#g1#09";
    private static final String K2_PK = "ds#g1#03";
    private static final String K3_PK = "ds#g1#05";
    private static final Map<String, String> NAMES = Map.of("#k", "sk", "#h", "h", "#j", "j", "#s", "s", "#b", "b",
            "#hs", "hs");

    private DynamoDbClient dynamo;
    private CapacityMeter meter;
    private DynamoRecordStore store;
    private final List<Long> sleeps = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() {
        dynamo = DynamoMocks.client();
        meter = new CapacityMeter();
        store = new DynamoRecordStore(dynamo, TABLE, Runnable::run, meter, sleeps::add);
    }

    private static RecordWrite newRecord(String key, long seq) {
        return new RecordWrite(key, "{\"id\":\"" + key + "\"}", "hash-" + key, seq, "", null, null);
    }

    private static ConsumedCapacity units(double units) {
        return ConsumedCapacity.builder().tableName(TABLE).capacityUnits(units).build();
    }

    private static PutItemResponse written(double units) {
        return PutItemResponse.builder().consumedCapacity(units(units)).build();
    }

    private static String sortKey(PutItemRequest request) {
        return request.item().get("sk").s();
    }

    @Test
    void recordsAreSpreadOverSixteenPartitionsByACrc32OfTheKey() {
        assertThat(DynamoRecordStore.partition("ds", "g1", "k1")).isEqualTo(K1_PK);
        assertThat(DynamoRecordStore.partition("ds", "g1", "k2")).isEqualTo(K2_PK);
        assertThat(DynamoRecordStore.partition("ds", "g1", "k3")).isEqualTo(K3_PK);
        assertThat(DynamoRecordStore.partition("ds", "g1", "c")).isEqualTo("ds#g1#0f");
        assertThat(IntStream.range(0, 1_000).mapToObj(i -> DynamoRecordStore.partition("ds", "g1", "key-" + i)).distinct())
                .hasSize(16).allMatch(pk -> pk.matches("ds#g1#0[0-9a-f]"));
    }

    @Nested
    class PutRequest {
        @Test
        void aNewKeyIsWrittenOnlyIfStillAbsent() {
            RecordWrite write = new RecordWrite("k1", "{\"id\":\"k1\",\"n\":1}", "h-new", 42, "", null, null);

            PutItemRequest request = store.putRequest("ds", "g1", "job-7", write);

            assertThat(request).isEqualTo(PutItemRequest.builder().tableName(TABLE)
                    .item(Map.of("pk", s(K1_PK), "sk", s("k1"), "data", s("{\"id\":\"k1\",\"n\":1}"), "h", s("h-new"),
                            "j", s("job-7"), "s", n("42"), "b", s("")))
                    .conditionExpression("attribute_not_exists(pk)")
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build());
            assertThat(request.item()).doesNotContainKey("hs");
            assertThat(request.hasExpressionAttributeNames()).isFalse();
            assertThat(request.hasExpressionAttributeValues()).isFalse();
        }

        @Test
        void aKeyWithHistoryCarriesItEncoded() {
            NavigableMap<Long, RecordOutcome> history = new TreeMap<>(Map.of(3L, RecordOutcome.ADDED,
                    40L, RecordOutcome.UPDATED));
            RecordWrite write = new RecordWrite("k1", "{}", "h-new", 77, "h-base", null, history);

            PutItemRequest request = store.putRequest("ds", "g1", "job-7", write);

            assertThat(request.item()).containsEntry("hs", s("3:a,14:u"))
                    .containsEntry("hs", s(RecordHistory.encode(history)))
                    .containsEntry("b", s("h-base"));
        }

        @Test
        void aKnownKeyIsWrittenOnlyIfItStillHoldsWhatTheRowWasDecidedOn() {
            StoredRecord expected = new StoredRecord("k2", "h-old", "job-5", 17, "h-base");
            RecordWrite write = new RecordWrite("k2", "{}", "h-new", 3, "h-old", expected, null);

            PutItemRequest request = store.putRequest("ds", "g1", "job-7", write);

            assertThat(request).isEqualTo(PutItemRequest.builder().tableName(TABLE)
                    .item(Map.of("pk", s(K2_PK), "sk", s("k2"), "data", s("{}"), "h", s("h-new"), "j", s("job-7"),
                            "s", n("3"), "b", s("h-old")))
                    .conditionExpression("#j = :j AND #s = :s")
                    .expressionAttributeNames(Map.of("#j", "j", "#s", "s"))
                    .expressionAttributeValues(Map.of(":j", s("job-5"), ":s", n("17")))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build());
        }
    }

    @Nested
    class Write {
        private final List<RecordWrite> writes = List.of(newRecord("k1", 1),
                new RecordWrite("k2", "{}", "h2", 2, "h-old", new StoredRecord("k2", "h-old", "job-5", 9, ""), null),
                newRecord("k3", 3));

        @Test
        void sendsOnePutPerRowAndReturnsTheKeysThatChangedMeanwhile() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenAnswer(call -> switch (sortKey(call.getArgument(0))) {
                case "k1" -> written(1.0);
                case "k2" -> throw conditionFailed();
                default -> written(2.5);
            });

            Set<String> changed = store.write("ds", "g1", "job-7", writes);

            assertThat(changed).containsExactly("k2");
            assertThat(sent(dynamo)).containsExactlyInAnyOrderElementsOf(
                    writes.stream().map(w -> store.putRequest("ds", "g1", "job-7", w)).toList());
            CapacityMeter.Totals totals = meter.totals();
            assertThat(totals.writeUnits()).isCloseTo(3.5, within(1e-9));
            assertThat(totals.writes()).isEqualTo(2);
            assertThat(totals.conditionFailures()).isEqualTo(1);
            assertThat(totals.readUnits()).isZero();
        }

        @Test
        void aPutWithoutReportedCapacityIsStillCounted() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());

            assertThat(store.write("ds", "g1", "job-7", writes)).isEmpty();

            assertThat(meter.totals().writes()).isEqualTo(3);
            assertThat(meter.totals().writeUnits()).isZero();
        }

        static Stream<Arguments> transientFailures() {
            return Stream.of(
                    Arguments.of("provisioned throughput exceeded", (Supplier<SdkException>) DynamoMocks::provisionedThroughputExceeded),
                    Arguments.of("on-demand throttling", (Supplier<SdkException>) DynamoMocks::throttling),
                    Arguments.of("request limit exceeded", (Supplier<SdkException>) DynamoMocks::requestLimitExceeded),
                    Arguments.of("500", (Supplier<SdkException>) DynamoMocks::internalServerError),
                    Arguments.of("503", (Supplier<SdkException>) DynamoMocks::serviceUnavailable),
                    Arguments.of("unreachable", (Supplier<SdkException>) DynamoMocks::unreachable));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("transientFailures")
        void throttlingServerErrorsAndAnUnreachableDynamoAreTransient(String name, Supplier<SdkException> failure) {
            SdkException error = failure.get();
            when(dynamo.putItem(any(PutItemRequest.class))).thenAnswer(call -> {
                if (sortKey(call.getArgument(0)).equals("k2")) {
                    throw error;
                }
                return written(1.0);
            });

            assertThatThrownBy(() -> store.write("ds", "g1", "job-7", writes))
                    .isInstanceOf(TransientImportException.class)
                    .hasMessageEndingWith("; will retry")
                    .hasCause(error);
            // Every put of the batch was sent (and the others counted) before the failure reached the caller.
            assertThat(sent(dynamo, PutItemRequest.class)).extracting(DynamoRecordStoreRequestsTest::sortKey)
                    .containsExactly("k1", "k2", "k3");
            assertThat(meter.totals().writes()).isEqualTo(2);
        }

        @Test
        void theTransientMessageNamesTheErrorCode() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(DynamoMocks.provisionedThroughputExceeded());

            assertThatThrownBy(() -> store.write("ds", "g1", "job-7", writes))
                    .hasMessage("DynamoDB is busy (ProvisionedThroughputExceededException); will retry");
        }

        @Test
        void anUnreachableDynamoSaysSo() {
            when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(DynamoMocks.unreachable());

            assertThatThrownBy(() -> store.write("ds", "g1", "job-7", writes))
                    .hasMessage("Could not reach DynamoDB; will retry");
        }

        @Test
        void aRejectedRequestIsNotTransient() {
            DynamoDbException invalid = DynamoMocks.validation();
            when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(invalid);

            assertThatThrownBy(() -> store.write("ds", "g1", "job-7", writes)).isSameAs(invalid);
        }

        @Test
        void theFirstFailureOfTheBatchIsTheOneThrown() {
            var unreachable = DynamoMocks.unreachable();
            var throttled = DynamoMocks.throttling();
            when(dynamo.putItem(any(PutItemRequest.class))).thenAnswer(call -> switch (sortKey(call.getArgument(0))) {
                case "k1" -> written(1.0);
                case "k2" -> throw unreachable;
                default -> throw throttled;
            });

            assertThatThrownBy(() -> store.write("ds", "g1", "job-7", writes)).hasCause(unreachable);
            assertThat(sent(dynamo)).hasSize(3);
        }

        @Nested
        class OnWriterThreads {
            private ExecutorService pool;

            @BeforeEach
            void threads() {
                pool = Executors.newFixedThreadPool(4);
                store = new DynamoRecordStore(dynamo, TABLE, pool, meter);
            }

            @AfterEach
            void stop() throws InterruptedException {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            }

            @Test
            void everyWriteIsAwaitedBeforeTheFailureIsThrown() {
                AtomicBoolean slowWriteDone = new AtomicBoolean();
                when(dynamo.putItem(any(PutItemRequest.class))).thenAnswer(call -> switch (sortKey(call.getArgument(0))) {
                    case "k1" -> throw DynamoMocks.throttling();
                    case "k2" -> {
                        Thread.sleep(300);
                        slowWriteDone.set(true);
                        yield written(1.0);
                    }
                    default -> written(1.0);
                });

                assertThatThrownBy(() -> store.write("ds", "g1", "job-7", writes))
                        .isInstanceOf(TransientImportException.class);
                assertThat(slowWriteDone).as("the slow write had finished when write() failed").isTrue();
                assertThat(meter.totals().writes()).isEqualTo(2);
            }

            @Test
            void writesRunSideBySideAndTheirResultsAreCollected() {
                List<RecordWrite> many = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    many.add(newRecord("key-" + i, i));
                }
                when(dynamo.putItem(any(PutItemRequest.class))).thenAnswer(call -> {
                    String key = sortKey(call.getArgument(0));
                    if (key.endsWith("7")) {
                        throw conditionFailed();
                    }
                    return written(1.0);
                });

                Set<String> changed = store.write("ds", "g1", "job-7", many);

                assertThat(changed).containsExactlyInAnyOrder("key-7", "key-17", "key-27", "key-37", "key-47", "key-57",
                        "key-67", "key-77", "key-87", "key-97");
                assertThat(sent(dynamo)).hasSize(100);
                assertThat(meter.totals().writes()).isEqualTo(90);
                assertThat(meter.totals().conditionFailures()).isEqualTo(10);
            }
        }

        @Test
        void moreThanOneHundredWritesAreRefused() {
            List<RecordWrite> tooMany = IntStream.range(0, 101).mapToObj(i -> newRecord("key-" + i, i)).toList();

            assertThatThrownBy(() -> store.write("ds", "g1", "job-7", tooMany)).isInstanceOf(IllegalArgumentException.class);
            verifyNoInteractions(dynamo);
        }
    }

    @Nested
    class Read {
        private KeysAndAttributes keys(List<Map<String, AttributeValue>> keys) {
            return KeysAndAttributes.builder().keys(keys).consistentRead(true)
                    .projectionExpression("#k, #h, #j, #s, #b, #hs").expressionAttributeNames(NAMES).build();
        }

        private Map<String, AttributeValue> item(String key, String hash, String job, long seq, String base,
                                                 String history) {
            Map<String, AttributeValue> item = new HashMap<>(Map.of("sk", s(key), "h", s(hash), "j", s(job),
                    "s", n(Long.toString(seq)), "b", s(base)));
            if (history != null) {
                item.put("hs", s(history));
            }
            return item;
        }

        @Test
        void readsStronglyConsistentlyOnlyWhatClassifyingNeeds() {
            when(dynamo.batchGetItem(any(BatchGetItemRequest.class))).thenReturn(BatchGetItemResponse.builder()
                    .responses(Map.of(TABLE, List.of(item("k1", "h1", "job-5", 9, "h0", "3:a,14:u"))))
                    .consumedCapacity(units(1.5))
                    .build());

            Map<String, StoredRecord> found = store.read("ds", "g1", List.of("k1", "k2"));

            assertThat(sent(dynamo)).containsExactly(BatchGetItemRequest.builder()
                    .requestItems(Map.of(TABLE, keys(List.of(key(K1_PK, "k1"), key(K2_PK, "k2")))))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build());
            assertThat(found).containsOnlyKeys("k1");
            assertThat(found.get("k1")).isEqualTo(new StoredRecord("k1", "h1", "job-5", 9, "h0",
                    new TreeMap<>(Map.of(3L, RecordOutcome.ADDED, 40L, RecordOutcome.UPDATED))));
            assertThat(meter.totals().readUnits()).isCloseTo(1.5, within(1e-9));
        }

        @Test
        void unprocessedKeysAreAskedForAgainUntilNoneAreLeft() {
            when(dynamo.batchGetItem(any(BatchGetItemRequest.class)))
                    .thenReturn(BatchGetItemResponse.builder()
                            .responses(Map.of(TABLE, List.of(item("k1", "h1", "job-5", 1, "", null))))
                            .unprocessedKeys(Map.of(TABLE, keys(List.of(key(K2_PK, "k2"), key(K3_PK, "k3")))))
                            .consumedCapacity(units(1.0)).build())
                    .thenReturn(BatchGetItemResponse.builder()
                            .responses(Map.of(TABLE, List.of(item("k2", "h2", "job-5", 2, "", null))))
                            .unprocessedKeys(Map.of(TABLE, keys(List.of(key(K3_PK, "k3")))))
                            .consumedCapacity(units(0.5)).build())
                    .thenReturn(BatchGetItemResponse.builder()
                            .responses(Map.of(TABLE, List.of(item("k3", "h3", "job-6", 3, "h2", null))))
                            .consumedCapacity(units(0.5)).build());

            Map<String, StoredRecord> found = store.read("ds", "g1", List.of("k1", "k2", "k3"));

            assertThat(sent(dynamo, BatchGetItemRequest.class)).extracting(r -> r.requestItems().get(TABLE).keys())
                    .containsExactly(
                            List.of(key(K1_PK, "k1"), key(K2_PK, "k2"), key(K3_PK, "k3")),
                            List.of(key(K2_PK, "k2"), key(K3_PK, "k3")),
                            List.of(key(K3_PK, "k3")));
            assertThat(sent(dynamo, BatchGetItemRequest.class)).allSatisfy(r -> {
                assertThat(r.requestItems()).containsOnlyKeys(TABLE);
                assertThat(r.requestItems().get(TABLE).consistentRead()).isTrue();
                assertThat(r.requestItems().get(TABLE).projectionExpression()).isEqualTo("#k, #h, #j, #s, #b, #hs");
                assertThat(r.requestItems().get(TABLE).expressionAttributeNames()).isEqualTo(NAMES);
                assertThat(r.returnConsumedCapacity()).isEqualTo(ReturnConsumedCapacity.TOTAL);
            });
            assertThat(found).isEqualTo(Map.of(
                    "k1", new StoredRecord("k1", "h1", "job-5", 1, ""),
                    "k2", new StoredRecord("k2", "h2", "job-5", 2, ""),
                    "k3", new StoredRecord("k3", "h3", "job-6", 3, "h2")));
            assertThat(meter.totals().readUnits()).isCloseTo(2.0, within(1e-9));
            assertThat(store.throttledRequests()).as("two calls left keys unprocessed").isEqualTo(2);
        }

        @Test
        void keysLeftUnprocessedRoundAfterRoundAreTransient() {
            when(dynamo.batchGetItem(any(BatchGetItemRequest.class))).thenAnswer(call -> {
                BatchGetItemRequest request = call.getArgument(0);
                return BatchGetItemResponse.builder().unprocessedKeys(request.requestItems()).build();
            });

            assertThatThrownBy(() -> store.read("ds", "g1", List.of("k1", "k2")))
                    .isInstanceOf(TransientImportException.class)
                    .hasMessage("DynamoDB left 2 reads unprocessed; will retry");
            assertThat(sent(dynamo, BatchGetItemRequest.class)).hasSize(9);
            assertThat(sleeps).hasSize(9);
        }

        @Test
        void aThrottledReadIsTransient() {
            var throttled = DynamoMocks.provisionedThroughputExceeded();
            when(dynamo.batchGetItem(any(BatchGetItemRequest.class))).thenThrow(throttled);

            assertThatThrownBy(() -> store.read("ds", "g1", List.of("k1")))
                    .isInstanceOf(TransientImportException.class).hasCause(throttled);
        }

        @Test
        void moreThanOneHundredKeysAreRefused() {
            List<String> keys = IntStream.range(0, 101).mapToObj(i -> "key-" + i).toList();

            assertThatThrownBy(() -> store.read("ds", "g1", keys)).isInstanceOf(IllegalArgumentException.class);
            verifyNoInteractions(dynamo);
        }

        @Test
        void oneHundredKeysAreOneRequest() {
            when(dynamo.batchGetItem(any(BatchGetItemRequest.class))).thenReturn(BatchGetItemResponse.builder().build());
            List<String> keys = IntStream.range(0, 100).mapToObj(i -> "key-" + i).toList();

            assertThat(store.read("ds", "g1", keys)).isEmpty();
            assertThat(sent(dynamo, BatchGetItemRequest.class)).singleElement()
                    .satisfies(r -> assertThat(r.requestItems().get(TABLE).keys()).hasSize(100));
        }
    }

    @Nested
    class DeleteSome {
        private static String bucket(int i) {
            return String.format("ds#g1#%02x", i);
        }

        private static Map<String, AttributeValue> record(String pk, int i) {
            return key(pk, "key-" + i);
        }

        private static QueryRequest query(int bucket, int limit) {
            return QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(bucket(bucket))))
                    .projectionExpression("pk, sk").consistentRead(true).limit(limit).build();
        }

        private static WriteRequest delete(Map<String, AttributeValue> key) {
            return WriteRequest.builder().deleteRequest(d -> d.key(key)).build();
        }

        private static BatchWriteItemRequest deletes(List<Map<String, AttributeValue>> keys) {
            return BatchWriteItemRequest.builder()
                    .requestItems(Map.of(TABLE, keys.stream().map(DeleteSome::delete).toList())).build();
        }

        /** Partition ds#g1#03 holds 30 records, ds#g1#0a one, the others none. */
        private final List<Map<String, AttributeValue>> bucket3 = IntStream.range(0, 30).mapToObj(i -> record(bucket(3), i)).toList();
        private final Map<String, AttributeValue> inBucket10 = record(bucket(10), 99);
        /** What the table holds: queries read it as DynamoDB does (a full page has a LastEvaluatedKey), deletes remove. */
        private final Map<String, List<Map<String, AttributeValue>>> table = new java.util.HashMap<>();

        private void partitionsHoldRecords() {
            table.put(bucket(3), new ArrayList<>(bucket3));
            table.put(bucket(10), new ArrayList<>(List.of(inBucket10)));
            when(dynamo.query(any(QueryRequest.class))).thenAnswer(call -> {
                QueryRequest q = call.getArgument(0);
                List<Map<String, AttributeValue>> items = table.getOrDefault(q.expressionAttributeValues().get(":pk").s(), List.of());
                List<Map<String, AttributeValue>> page = List.copyOf(items.subList(0, Math.min(q.limit(), items.size())));
                return page.size() == q.limit()
                        ? QueryResponse.builder().items(page).lastEvaluatedKey(page.get(page.size() - 1)).build()
                        : QueryResponse.builder().items(page).build();
            });
        }

        private void deletesSucceed() {
            when(dynamo.batchWriteItem(any(BatchWriteItemRequest.class))).thenAnswer(call -> {
                BatchWriteItemRequest request = call.getArgument(0);
                request.requestItems().get(TABLE).forEach(w -> table.values().forEach(items -> items.remove(w.deleteRequest().key())));
                return BatchWriteItemResponse.builder().build();
            });
        }

        @Test
        void deletesAtMostTheLimitReadingEachPartitionFromItsStartAndSaysWhenNothingIsLeft() {
            partitionsHoldRecords();
            deletesSucceed();

            assertThat(store.deleteSome("ds", "g1", 25)).isFalse();

            assertThat(queries(dynamo)).containsExactly(query(0, 25), query(1, 25), query(2, 25), query(3, 25));
            assertThat(sent(dynamo, BatchWriteItemRequest.class)).containsExactly(deletes(bucket3.subList(0, 25)));

            clearInvocations(dynamo);
            assertThat(store.deleteSome("ds", "g1", 25)).isTrue();

            List<QueryRequest> expected = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                // 5 records left in partition 3; after them the limit is what the step may still delete
                expected.add(query(i, i <= 3 ? 25 : i <= 10 ? 20 : 19));
            }
            assertThat(queries(dynamo)).containsExactlyElementsOf(expected);
            assertThat(sent(dynamo, BatchWriteItemRequest.class)).containsExactly(
                    deletes(bucket3.subList(25, 30)), deletes(List.of(inBucket10)));
            assertThat(table.values()).allSatisfy(items -> assertThat(items).isEmpty());
        }

        @Test
        void aFullPageIsReadAgainUntilThePartitionIsEmpty() {
            partitionsHoldRecords();
            deletesSucceed();

            assertThat(store.deleteSome("ds", "g1", 100)).isTrue();

            // Partition 3 is read in pages of the limit left: 30 records, then an empty page after a full one.
            assertThat(queries(dynamo)).extracting(q -> q.expressionAttributeValues().get(":pk").s() + "/" + q.limit())
                    .startsWith("ds#g1#00/100", "ds#g1#01/100", "ds#g1#02/100", "ds#g1#03/100", "ds#g1#04/70");
            assertThat(sent(dynamo, BatchWriteItemRequest.class)).containsExactly(
                    deletes(bucket3.subList(0, 25)), deletes(bucket3.subList(25, 30)), deletes(List.of(inBucket10)));
        }

        @Test
        void anEmptyGenerationIsSixteenQueriesAndNoWrites() {
            when(dynamo.query(any(QueryRequest.class))).thenReturn(QueryResponse.builder().build());

            assertThat(store.deleteSome("ds", "g1", 10)).isTrue();

            assertThat(sent(dynamo)).hasSize(16);
            assertThat(queries(dynamo)).containsExactlyElementsOf(IntStream.range(0, 16).mapToObj(i -> query(i, 10)).toList());
        }

        @Test
        void unprocessedItemsAreSentAgainUntilDone() {
            partitionsHoldRecords();
            when(dynamo.batchWriteItem(any(BatchWriteItemRequest.class)))
                    .thenReturn(BatchWriteItemResponse.builder()
                            .unprocessedItems(Map.of(TABLE, List.of(delete(bucket3.get(4)), delete(bucket3.get(7))))).build())
                    .thenReturn(BatchWriteItemResponse.builder()
                            .unprocessedItems(Map.of(TABLE, List.of(delete(bucket3.get(7))))).build())
                    .thenReturn(BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build());

            assertThat(store.deleteSome("ds", "g1", 25)).isFalse();

            assertThat(sent(dynamo, BatchWriteItemRequest.class)).containsExactly(
                    deletes(bucket3.subList(0, 25)),
                    deletes(List.of(bucket3.get(4), bucket3.get(7))),
                    deletes(List.of(bucket3.get(7))));
            assertThat(meter.totals().throttledRequests()).as("two calls left items unprocessed").isEqualTo(2);
        }

        @Test
        void itemsLeftUnprocessedRoundAfterRoundAreTransient() {
            when(dynamo.batchWriteItem(any(BatchWriteItemRequest.class))).thenAnswer(call -> {
                BatchWriteItemRequest request = call.getArgument(0);
                return BatchWriteItemResponse.builder().unprocessedItems(request.requestItems()).build();
            });
            List<WriteRequest> two = List.of(delete(record(bucket(1), 1)), delete(record(bucket(1), 2)));

            assertThatThrownBy(() -> store.batchWrite(two))
                    .isInstanceOf(TransientImportException.class)
                    .hasMessage("DynamoDB left 2 deletes unprocessed; will retry");
            // It backs off between rounds: full jitter under a cap of 25 ms doubling each round, at most 2 s.
            assertThat(sleeps).hasSize(9);
            for (int round = 0; round < sleeps.size(); round++) {
                assertThat(sleeps.get(round)).as("round %d", round).isBetween(0L, Math.min(2_000L, 25L << round));
            }
            // The first try and eight more (MAX_BACKOFF_ATTEMPTS), each with the same two deletes.
            assertThat(sent(dynamo, BatchWriteItemRequest.class)).hasSize(9)
                    .allSatisfy(r -> assertThat(r.requestItems()).isEqualTo(Map.of(TABLE, two)));
        }

        @Test
        void aThrottledBatchWriteIsTransient() {
            partitionsHoldRecords();
            var throttled = DynamoMocks.throttling();
            when(dynamo.batchWriteItem(any(BatchWriteItemRequest.class))).thenThrow(throttled);

            assertThatThrownBy(() -> store.deleteSome("ds", "g1", 10))
                    .isInstanceOf(TransientImportException.class).hasCause(throttled);
        }

        @Test
        void aThrottledQueryIsTransient() {
            var throttled = DynamoMocks.provisionedThroughputExceeded();
            when(dynamo.query(any(QueryRequest.class))).thenThrow(throttled);

            assertThatThrownBy(() -> store.deleteSome("ds", "g1", 10))
                    .isInstanceOf(TransientImportException.class).hasCause(throttled);
        }
    }

    /** list: each partition in turn, in key order, after the cursor's key; the cursor names the partition. */
    @Nested
    class Listing {
        private QueryRequest query(int bucket, String after, int limit) {
            String pk = String.format("ds#g1#%02x", bucket);
            QueryRequest.Builder query = QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(pk))).projectionExpression("sk, #d")
                    .expressionAttributeNames(Map.of("#d", "data")).consistentRead(true).limit(limit)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            if (after != null) {
                query.exclusiveStartKey(key(pk, after));
            }
            return query.build();
        }

        private Map<String, AttributeValue> item(int bucket, String sk) {
            return Map.of("pk", s(String.format("ds#g1#%02x", bucket)), "sk", s(sk), "data", s("{\"id\":\"" + sk + "\"}"));
        }

        @Test
        void aPageReadsPartitionsInTurnAndItsCursorNamesWhereItStopped() {
            when(dynamo.query(any(QueryRequest.class))).thenAnswer(call -> {
                QueryRequest q = call.getArgument(0);
                String pk = q.expressionAttributeValues().get(":pk").s();
                if (pk.equals("ds#g1#03") && q.exclusiveStartKey().isEmpty()) {
                    return QueryResponse.builder().items(item(3, "a"), item(3, "b")).lastEvaluatedKey(key(pk, "b"))
                            .consumedCapacity(units(0.5)).build();
                }
                if (pk.equals("ds#g1#03")) {
                    return QueryResponse.builder().items(item(3, "c")).build();
                }
                if (pk.equals("ds#g1#0a")) {
                    return QueryResponse.builder().items(item(10, "z")).build();
                }
                return QueryResponse.builder().build();
            });

            var first = store.list("ds", "g1", null, 2);
            assertThat(first.items()).extracting(dev.intake.core.ports.RecordEntry::key).containsExactly("a", "b");
            assertThat(first.items().get(0).canonical()).isEqualTo("{\"id\":\"a\"}");
            assertThat(first.lastKey()).isEqualTo("03:b");
            assertThat(queries(dynamo)).containsExactly(query(0, null, 2), query(1, null, 2), query(2, null, 2),
                    query(3, null, 2));
            assertThat(meter.totals().readUnits()).isEqualTo(0.5, within(1e-9));

            clearInvocations(dynamo);
            var second = store.list("ds", "g1", first.lastKey(), 2);
            assertThat(second.items()).extracting(dev.intake.core.ports.RecordEntry::key).containsExactly("c", "z");
            assertThat(second.lastKey()).as("the page filled as partition 10 ended: the next one starts at 11")
                    .isEqualTo("0b:");
            List<QueryRequest> expected = new ArrayList<>(List.of(query(3, "b", 2)));
            IntStream.range(4, 11).forEach(i -> expected.add(query(i, null, 1)));
            assertThat(queries(dynamo)).containsExactlyElementsOf(expected);

            clearInvocations(dynamo);
            var last = store.list("ds", "g1", second.lastKey(), 2);
            assertThat(last.items()).isEmpty();
            assertThat(last.lastKey()).isNull();
            assertThat(queries(dynamo)).containsExactlyElementsOf(IntStream.range(11, 16).mapToObj(i -> query(i, null, 2)).toList());
        }
    }
}
