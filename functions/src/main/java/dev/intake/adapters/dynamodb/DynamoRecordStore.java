package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.n;
import static dev.intake.adapters.dynamodb.Attr.s;
import static dev.intake.adapters.dynamodb.DynamoCalls.call;

import dev.intake.core.TransientImportException;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.RecordEntry;
import dev.intake.core.ports.RecordHistory;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.RecordWrite;
import dev.intake.core.ports.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Records in the records table: one item per record, written with one conditional PutItem per row
 * (never a transaction), so a row costs one write unit per KB of its item. A generation's records
 * are spread over {@link #PARTITIONS} partition keys (by a hash of the record key) so one dataset
 * is not one hot partition.
 *
 * <p>Item: pk, sk (the record key), data (canonical JSON), h (content digest), j (the import that
 * wrote it), s (the row's position in that import), b (the digest before that import), hs (the
 * import's earlier rows this key held; absent when none).
 */
public final class DynamoRecordStore implements RecordStore {
    static final int PARTITIONS = 16;
    /** BatchGetItem reads at most 100 keys. */
    static final int MAX_BATCH = 100;
    private static final int MAX_BACKOFF_ATTEMPTS = 8;
    private static final Map<String, String> NAMES = Map.of("#k", "sk", "#h", "h", "#j", "j", "#s", "s", "#b", "b",
            "#hs", "hs");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Executor writers;
    private final CapacityMeter meter;
    private final LongConsumer sleeper;

    /**
     * @param writers runs the single-item writes of one batch side by side (bounded by its threads)
     * @param meter   sums the capacity DynamoDB reports for this store's calls
     */
    public DynamoRecordStore(DynamoDbClient dynamo, String recordsTable, Executor writers, CapacityMeter meter) {
        this(dynamo, recordsTable, writers, meter, DynamoCalls::sleep);
    }

    /** @param sleeper waits between rounds of unprocessed keys or items (tests pass one that records instead) */
    DynamoRecordStore(DynamoDbClient dynamo, String recordsTable, Executor writers, CapacityMeter meter,
                      LongConsumer sleeper) {
        this.dynamo = dynamo;
        this.table = recordsTable;
        this.writers = writers;
        this.meter = meter;
        this.sleeper = sleeper;
    }

    static String partition(String dataset, String generation, String recordKey) {
        CRC32 crc = new CRC32();
        crc.update(recordKey.getBytes(StandardCharsets.UTF_8));
        return partitionKey(dataset, generation, (int) (crc.getValue() % PARTITIONS));
    }

    private static String partitionKey(String dataset, String generation, int bucket) {
        return dataset + "#" + generation + "#" + String.format("%02x", bucket);
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    /** What the meter counted: the client's throttled attempts (its metric publisher) and unprocessed batches. */
    @Override
    public long throttledRequests() {
        return meter.throttledRequests();
    }

    @Override
    public Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys) {
        requireBatchOf(keys.size());
        Map<String, StoredRecord> found = new HashMap<>();
        List<Map<String, AttributeValue>> pending = keys.stream().map(k -> key(partition(dataset, generation, k), k)).toList();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_BACKOFF_ATTEMPTS) {
                throw new TransientImportException("DynamoDB left " + pending.size() + " reads unprocessed; will retry", null);
            }
            List<Map<String, AttributeValue>> batch = pending;
            BatchGetItemResponse response = call(() -> dynamo.batchGetItem(r -> r
                    .requestItems(Map.of(table, KeysAndAttributes.builder().keys(batch).consistentRead(true)
                            .projectionExpression("#k, #h, #j, #s, #b, #hs").expressionAttributeNames(NAMES).build()))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
            if (response.hasConsumedCapacity()) {
                response.consumedCapacity().forEach(meter::read);
            }
            response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(Attr.str(item, "sk"), toStored(item)));
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            pending = unprocessed == null ? List.of() : unprocessed.keys();
            if (!pending.isEmpty()) {
                meter.unprocessed();
                backoff(attempt);
            }
        }
        return found;
    }

    private static StoredRecord toStored(Map<String, AttributeValue> item) {
        return new StoredRecord(Attr.str(item, "sk"), Attr.str(item, "h"), Attr.str(item, "j"), Attr.num(item, "s"),
                Attr.str(item, "b"), RecordHistory.decode(Attr.str(item, "hs")));
    }

    @Override
    public Set<String> write(String dataset, String generation, String job, List<RecordWrite> writes) {
        requireBatchOf(writes.size());
        List<CompletableFuture<String>> calls = new ArrayList<>(writes.size());
        for (RecordWrite w : writes) {
            PutItemRequest request = putRequest(dataset, generation, job, w);
            calls.add(CompletableFuture.supplyAsync(() -> put(request) ? null : w.key(), writers));
        }
        Set<String> changed = new TreeSet<>();
        RuntimeException failure = null;
        for (CompletableFuture<String> call : calls) {
            try {
                String key = call.join();
                if (key != null) {
                    changed.add(key);
                }
            } catch (CompletionException e) {
                // Wait for every call before failing, so no write of this batch is still on its way.
                failure = failure != null ? failure
                        : e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return changed;
    }

    /** The PutItem of one row: applies only if the key still holds what the row was decided on. */
    PutItemRequest putRequest(String dataset, String generation, String job, RecordWrite w) {
        Map<String, AttributeValue> item = new HashMap<>(key(partition(dataset, generation, w.key()), w.key()));
        item.put("data", s(w.canonical()));
        item.put("h", s(w.hash()));
        item.put("j", s(job));
        item.put("s", n(w.seq()));
        item.put("b", s(w.base()));
        if (!w.history().isEmpty()) {
            item.put("hs", s(RecordHistory.encode(w.history())));
        }
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (w.expected() == null) {
            put.conditionExpression("attribute_not_exists(pk)");
        } else {
            put.conditionExpression("#j = :j AND #s = :s").expressionAttributeNames(Map.of("#j", "j", "#s", "s"))
                    .expressionAttributeValues(Map.of(":j", s(w.expected().job()), ":s", n(w.expected().seq())));
        }
        return put.build();
    }

    /** @return false when the condition failed (the key changed meanwhile) */
    private boolean put(PutItemRequest request) {
        try {
            meter.write(call(() -> dynamo.putItem(request)).consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException e) {
            meter.conditionFailed();
            return false;
        }
    }

    @Override
    public Optional<String> get(String dataset, String generation, String key) {
        var item = call(() -> dynamo.getItem(r -> r.tableName(table).key(key(partition(dataset, generation, key), key))
                .consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Attr.str(item, "data"));
    }

    @Override
    public boolean deleteSome(String dataset, String generation, int max) {
        int deleted = 0;
        for (int bucket = 0; bucket < PARTITIONS; bucket++) {
            while (deleted < max) {
                int limit = max - deleted;
                QueryRequest query = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(partitionKey(dataset, generation, bucket))))
                        .projectionExpression("pk, sk").consistentRead(true).limit(limit).build();
                // Deleted items no longer match: each query starts from the partition's beginning.
                var page = call(() -> dynamo.query(query));
                List<WriteRequest> deletes = new ArrayList<>();
                for (Map<String, AttributeValue> item : page.items()) {
                    deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(item)).build());
                    if (deletes.size() == 25) {
                        batchWrite(deletes);
                        deletes.clear();
                    }
                }
                if (!deletes.isEmpty()) {
                    batchWrite(deletes);
                }
                deleted += page.items().size();
                if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                    break; // this partition is empty now
                }
            }
            if (deleted >= max) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the generation's {@value #PARTITIONS} partitions in turn, each in key order. The cursor
     * is {@code <partition, 2 hex digits>:<last key read there>} ({@code <partition>:} at a
     * partition's start).
     */
    @Override
    public Page<RecordEntry> list(String dataset, String generation, String cursor, int max) {
        int bucket = 0;
        String after = null;
        if (cursor != null) {
            int colon = cursor.indexOf(':');
            bucket = Integer.parseInt(cursor.substring(0, colon), 16);
            after = cursor.length() > colon + 1 ? cursor.substring(colon + 1) : null;
        }
        List<RecordEntry> found = new ArrayList<>();
        for (; bucket < PARTITIONS; bucket++, after = null) {
            while (found.size() < max) {
                QueryRequest query = listRequest(dataset, generation, bucket, after, max - found.size());
                var page = call(() -> dynamo.query(query));
                if (page.consumedCapacity() != null) {
                    meter.read(page.consumedCapacity());
                }
                page.items().forEach(item -> found.add(new RecordEntry(Attr.str(item, "sk"), Attr.str(item, "data"))));
                if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                    after = null;
                    break; // this partition is read
                }
                after = page.lastEvaluatedKey().get("sk").s();
            }
            if (found.size() >= max) {
                // the next page starts after the last key read, in this partition (or the next, if it ended)
                return new Page<>(found, after != null ? String.format("%02x:", bucket) + after
                        : bucket + 1 < PARTITIONS ? String.format("%02x:", bucket + 1) : null);
            }
        }
        return new Page<>(found, null);
    }

    /** One Query of a generation's partition, in key order, after {@code after} (null: from its start). */
    QueryRequest listRequest(String dataset, String generation, int bucket, String after, int limit) {
        String pk = partitionKey(dataset, generation, bucket);
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk))).projectionExpression("sk, #d")
                .expressionAttributeNames(Map.of("#d", "data")).consistentRead(true).limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (after != null) {
            query.exclusiveStartKey(key(pk, after));
        }
        return query.build();
    }

    /** BatchWriteItem, resubmitting UnprocessedItems with exponential backoff and full jitter. */
    void batchWrite(List<WriteRequest> requests) {
        List<WriteRequest> pending = List.copyOf(requests);
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_BACKOFF_ATTEMPTS) {
                throw new TransientImportException("DynamoDB left " + pending.size() + " deletes unprocessed; will retry", null);
            }
            List<WriteRequest> batch = pending;
            var unprocessed = call(() -> dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, batch)))).unprocessedItems();
            pending = unprocessed == null ? List.of() : unprocessed.getOrDefault(table, List.of());
            if (!pending.isEmpty()) {
                meter.unprocessed();
                backoff(attempt);
            }
        }
    }

    /** Exponential backoff with full jitter: up to 25 ms, 50 ms, 100 ms ... capped at 2 s. */
    private void backoff(int attempt) {
        long cap = Math.min(2_000, 25L << Math.min(attempt, 10));
        sleeper.accept(ThreadLocalRandom.current().nextLong(cap + 1));
    }

}
