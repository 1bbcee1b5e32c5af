package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.Page;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A dialect's opaque, versioned documents in the control table: one partition per kind
 * ({@code <prefix>#<kind>}), sorted by name. The Forecast, Lookout for Equipment and DataZone stores
 * are this, each with its own prefix, kinds and entry type.
 */
final class DynamoDocuments<K extends Enum<K>, E> {
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

    private E toEntry(K kind, Map<String, AttributeValue> item) {
        return entries.entry(kind, Attr.str(item, "sk"), Attr.str(item, "document"), Attr.num(item, "version"),
                Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"));
    }
}
