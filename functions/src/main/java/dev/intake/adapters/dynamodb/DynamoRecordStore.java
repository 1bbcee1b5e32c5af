package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.n;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.JobNotRunningException;
import dev.intake.core.JobStatus;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Records in the records table. A generation's records are spread over {@link #PARTITIONS}
 * partition keys (by a hash of the record key) so one dataset is not one hot partition.
 */
public final class DynamoRecordStore implements RecordStore {
    static final int PARTITIONS = 16;
    private static final int MAX_BACKOFF_ATTEMPTS = 8;
    /** DynamoDB's limit, less the one action that checks the job is still running. */
    private static final int MAX_TRANSACTION_ACTIONS = 99;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String controlTable;

    public DynamoRecordStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.table = tables.records();
        this.controlTable = tables.control();
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
    public Map<String, StoredRecord> read(String dataset, String generation, Collection<String> keys) {
        Map<String, StoredRecord> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        List<Map<String, AttributeValue>> pending = keys.stream()
                .map(k -> key(partition(dataset, generation, k), k)).toList();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            List<Map<String, AttributeValue>> batch = pending;
            BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder()
                    .keys(batch).consistentRead(true).projectionExpression("sk, h, j, s, b").build())));
            response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(Attr.str(item, "sk"),
                    new StoredRecord(Attr.str(item, "sk"), Attr.str(item, "h"), Attr.str(item, "j"), Attr.num(item, "s"),
                            Attr.str(item, "b"))));
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            pending = unprocessed == null ? List.of() : unprocessed.keys();
            if (!pending.isEmpty()) {
                backoff(attempt);
            }
        }
        return found;
    }

    @Override
    public boolean commit(String dataset, String generation, String job, List<RecordWrite> writes) {
        if (writes.size() > MAX_COMMIT) {
            throw new IllegalArgumentException("at most " + MAX_COMMIT + " writes per commit");
        }
        // One transaction holds at most 100 actions; a write and its correction stay in the same one.
        List<TransactWriteItem> actions = new ArrayList<>();
        for (RecordWrite w : writes) {
            int needed = w.superseded() == null ? 1 : 2;
            if (actions.size() + needed > MAX_TRANSACTION_ACTIONS) {
                if (!transact(job, actions)) {
                    return false;
                }
                actions = new ArrayList<>();
            }
            actions.addAll(actionsFor(dataset, generation, job, w));
        }
        return actions.isEmpty() || transact(job, actions);
    }

    /** Fails the transaction unless the job is still IN_PROGRESS (see JobNotRunningException). */
    private TransactWriteItem jobIsRunning(String job) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(controlTable)
                .key(key(ControlKeys.jobPk(job), ControlKeys.JOB_SK))
                .conditionExpression("#status = :running")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":running", s(JobStatus.IN_PROGRESS.name())))).build();
    }

    private List<TransactWriteItem> actionsFor(String dataset, String generation, String job, RecordWrite w) {
        Map<String, AttributeValue> item = new HashMap<>(key(partition(dataset, generation, w.key()), w.key()));
        item.put("data", s(w.canonical()));
        item.put("h", s(w.hash()));
        item.put("j", s(job));
        item.put("s", n(w.seq()));
        item.put("b", s(w.base()));
        StoredRecord expected = w.expected();
        TransactWriteItem put = TransactWriteItem.builder().put(p -> {
            p.tableName(table).item(item);
            if (expected == null) {
                p.conditionExpression("attribute_not_exists(pk)");
            } else {
                p.conditionExpression("j = :j AND s = :s")
                        .expressionAttributeValues(Map.of(":j", s(expected.job()), ":s", n(expected.seq())));
            }
        }).build();
        if (w.superseded() == null) {
            return List.of(put);
        }
        Map<String, AttributeValue> correction = new HashMap<>(key(ControlKeys.jobPk(job),
                ControlKeys.correctionSk(expected.seq(), w.key())));
        correction.put("outcome", s(w.superseded().name()));
        return List.of(put, TransactWriteItem.builder().put(p -> p.tableName(controlTable).item(correction)).build());
    }

    private boolean transact(String job, List<TransactWriteItem> writes) {
        List<TransactWriteItem> actions = new ArrayList<>(writes.size() + 1);
        actions.add(jobIsRunning(job));
        actions.addAll(writes);
        for (int attempt = 0; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(actions));
                return true;
            } catch (TransactionCanceledException e) {
                var reasons = e.cancellationReasons();
                if (reasons != null && !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                    throw new JobNotRunningException(job);
                }
                boolean conditionFailed = reasons != null && reasons.stream()
                        .anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()));
                if (conditionFailed || attempt >= MAX_BACKOFF_ATTEMPTS) {
                    return false; // the caller re-reads and decides again
                }
                backoff(attempt); // a concurrent transaction on the same items: try the same writes again
            }
        }
    }

    @Override
    public boolean superseded(String job, String key, long seq) {
        var item = dynamo.getItem(r -> r.tableName(controlTable).key(key(ControlKeys.jobPk(job),
                ControlKeys.correctionSk(seq, key))).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    @Override
    public Optional<String> get(String dataset, String generation, String key) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(partition(dataset, generation, key), key))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Attr.str(item, "data"));
    }

    @Override
    public void deleteGeneration(String dataset, String generation) {
        for (int bucket = 0; bucket < PARTITIONS; bucket++) {
            QueryRequest query = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(partitionKey(dataset, generation, bucket))))
                    .projectionExpression("pk, sk").build();
            List<WriteRequest> deletes = new ArrayList<>();
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(query).items()) {
                deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(item)).build());
                if (deletes.size() == 25) {
                    batchWrite(deletes);
                    deletes.clear();
                }
            }
            if (!deletes.isEmpty()) {
                batchWrite(deletes);
            }
        }
    }

    /** BatchWriteItem, resubmitting UnprocessedItems with exponential backoff and full jitter. */
    private void batchWrite(List<WriteRequest> requests) {
        List<WriteRequest> pending = List.copyOf(requests);
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            List<WriteRequest> batch = pending;
            var unprocessed = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, batch))).unprocessedItems();
            pending = unprocessed == null ? List.of() : unprocessed.getOrDefault(table, List.of());
            if (!pending.isEmpty()) {
                backoff(attempt);
            }
        }
    }

    private static void backoff(int attempt) {
        long cap = Math.min(2_000, 25L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
