package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.Page;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A dialect's opaque, versioned documents in the control table: one partition per kind
 * ({@code <prefix>#<kind>}), sorted by name. The Forecast, Lookout for Equipment and DataZone stores
 * are this, each with its own prefix, kinds and entry type.
 */
final class DynamoDocuments<K extends Enum<K>, E> {
    /** TransactWriteItems takes at most 100 actions ... */
    static final int MAX_TRANSACTION_ITEMS = 100;
    /** ... and 4 MB in all; a transaction of many documents stops adding well below that. */
    static final int MAX_TRANSACTION_BYTES = 3_000_000;
    /** A transaction that met another one on the same items is sent again this many times at most. */
    private static final int MAX_CONFLICT_ATTEMPTS = 5;

    /** Makes a dialect's entry from a stored item. */
    interface Entries<K, E> {
        E entry(K kind, String name, String document, long version, Instant createdAt, Instant updatedAt);
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final String prefix;
    private final BiFunction<K, String, String> describe;
    private final Entries<K, E> entries;

    /**
     * @param prefix   the partitions' prefix ({@code FORECAST}, {@code LOOKOUT})
     * @param describe how messages name an entry of a kind ("Dataset group 'x'")
     */
    DynamoDocuments(DynamoDbClient dynamo, String table, String prefix, BiFunction<K, String, String> describe,
                    Entries<K, E> entries) {
        this.dynamo = dynamo;
        this.table = table;
        this.prefix = prefix;
        this.describe = describe;
        this.entries = entries;
    }

    String pk(K kind) {
        return prefix + "#" + kind.name();
    }

    void create(K kind, String name, String document, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk(kind), name));
        item.put("document", s(document));
        item.put("version", Attr.n(1));
        item.put("createdAt", Attr.time(at));
        item.put("updatedAt", Attr.time(at));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, describe.apply(kind, name) + " already exists");
        }
    }

    Optional<E> find(K kind, String name) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(pk(kind), name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toEntry(kind, item));
    }

    Page<E> list(K kind, String startAfter, int limit) {
        return list(kind, "", startAfter, limit);
    }

    /** Entries of a kind whose names start with {@code prefix} ("" for all), by name, after {@code startAfter}. */
    Page<E> list(K kind, String prefix, String startAfter, int limit) {
        QueryResponse response = dynamo.query(r -> {
            if (prefix.isEmpty()) {
                r.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk(kind))));
            } else {
                r.keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(pk(kind)), ":prefix", s(prefix)));
            }
            r.tableName(table).consistentRead(true).limit(limit);
            if (startAfter != null) {
                r.exclusiveStartKey(key(pk(kind), startAfter));
            }
        });
        String last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("sk").s() : null;
        return new Page<>(response.items().stream().map(item -> toEntry(kind, item)).toList(), last);
    }

    void update(K kind, String name, String document, long expectedVersion, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(pk(kind), name))
                    .updateExpression("SET document = :document, version = :next, updatedAt = :at")
                    .conditionExpression("version = :expected")
                    .expressionAttributeValues(Map.of(":document", s(document), ":next", Attr.n(expectedVersion + 1),
                            ":at", Attr.time(at), ":expected", Attr.n(expectedVersion))));
        } catch (ConditionalCheckFailedException e) {
            if (find(kind, name).isEmpty()) {
                throw IntakeException.notFound(describe.apply(kind, name) + " does not exist");
            }
            throw new IntakeException(ErrorKind.CONFLICT, describe.apply(kind, name)
                    + " was changed by another request meanwhile; describe it and try again");
        }
    }

    void delete(K kind, String name) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(pk(kind), name)));
    }

    /**
     * Writes many documents of a kind whole (version 1, created and updated at {@code at}), replacing
     * any of the same name: as TransactWriteItems of at most 100 puts (and well under 4 MB) each, so
     * no write is left unprocessed; a transaction that met another on the same items is sent again.
     * Used for entries nobody updates conditionally (one per object), where a retried write writes
     * the same document again.
     */
    void putAll(K kind, Map<String, String> documents, Instant at) {
        List<TransactWriteItem> batch = new ArrayList<>();
        int bytes = 0;
        for (Map.Entry<String, String> document : documents.entrySet()) {
            Map<String, AttributeValue> item = new HashMap<>(key(pk(kind), document.getKey()));
            item.put("document", s(document.getValue()));
            item.put("version", Attr.n(1));
            item.put("createdAt", Attr.time(at));
            item.put("updatedAt", Attr.time(at));
            int size = 100 + document.getKey().getBytes(StandardCharsets.UTF_8).length
                    + document.getValue().getBytes(StandardCharsets.UTF_8).length;
            if (batch.size() == MAX_TRANSACTION_ITEMS || !batch.isEmpty() && bytes + size > MAX_TRANSACTION_BYTES) {
                transact(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build());
            bytes += size;
        }
        if (!batch.isEmpty()) {
            transact(batch);
        }
    }

    /**
     * Removes every document of a kind whose name starts with {@code prefix} (not empty): a Query of
     * their keys, page by page, each page deleted by TransactWriteItems of at most 100 deletes.
     * Answers how many were removed.
     */
    int deleteAll(K kind, String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("deleting all the documents of a kind needs a prefix");
        }
        int deleted = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> start = startKey;
            QueryResponse response = dynamo.query(r -> {
                r.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(pk(kind)), ":prefix", s(prefix)))
                        .projectionExpression("sk").consistentRead(true).limit(MAX_TRANSACTION_ITEMS);
                if (start != null) {
                    r.exclusiveStartKey(start);
                }
            });
            List<TransactWriteItem> batch = response.items().stream().map(item -> TransactWriteItem.builder()
                    .delete(d -> d.tableName(table).key(key(pk(kind), Attr.str(item, "sk")))).build()).toList();
            if (!batch.isEmpty()) {
                transact(batch);
                deleted += batch.size();
            }
            startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (startKey != null);
        return deleted;
    }

    private void transact(List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return;
            } catch (TransactionCanceledException e) {
                boolean conflict = e.hasCancellationReasons() && e.cancellationReasons().stream()
                        .anyMatch(reason -> "TransactionConflict".equals(reason.code()));
                if (!conflict || attempt == MAX_CONFLICT_ATTEMPTS) {
                    throw new IntakeException(ErrorKind.CONFLICT, "Another request was writing the same entries;"
                            + " try again");
                }
                DynamoCalls.sleep(ThreadLocalRandom.current().nextLong(25L << attempt)); // full jitter
            }
        }
    }

    private E toEntry(K kind, Map<String, AttributeValue> item) {
        return entries.entry(kind, Attr.str(item, "sk"), Attr.str(item, "document"), Attr.num(item, "version"),
                Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"));
    }
}
