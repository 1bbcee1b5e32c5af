package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.Page;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The DataZone dialect's documents in the control table: one partition per kind ({@code DATAZONE#<kind>}), by name. */
public final class DynamoDataZoneStore implements DataZoneStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDataZoneStore(DynamoDbClient dynamo, String controlTable) {
        this.dynamo = dynamo;
        this.table = controlTable;
    }

    static String pk(Kind kind) {
        return "DATAZONE#" + kind.name();
    }

    @Override
    public void create(Kind kind, String name, String document, Instant at) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item(new Entry(kind, name, document, 1, at, at)))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, describe(kind, name) + " already exists");
        }
    }

    @Override
    public Optional<Entry> find(Kind kind, String name) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(pk(kind), name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toEntry(kind, item));
    }

    @Override
    public Page<Entry> list(Kind kind, String prefix, String startAfter, int limit) {
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

    @Override
    public void update(Kind kind, String name, String document, long expectedVersion, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(pk(kind), name))
                    .updateExpression("SET document = :document, version = :next, updatedAt = :at")
                    .conditionExpression("version = :expected")
                    .expressionAttributeValues(Map.of(":document", s(document), ":next", Attr.n(expectedVersion + 1),
                            ":at", Attr.time(at), ":expected", Attr.n(expectedVersion))));
        } catch (ConditionalCheckFailedException e) {
            if (find(kind, name).isEmpty()) {
                throw IntakeException.notFound(describe(kind, name) + " does not exist");
            }
            throw new IntakeException(ErrorKind.CONFLICT, describe(kind, name)
                    + " was changed by another request meanwhile; describe it and try again");
        }
    }

    @Override
    public void delete(Kind kind, String name) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(pk(kind), name)));
    }

    static String describe(Kind kind, String name) {
        return DataZoneStore.describe(kind, name);
    }

    static Map<String, AttributeValue> item(Entry entry) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk(entry.kind()), entry.name()));
        item.put("document", s(entry.document()));
        item.put("version", Attr.n(entry.version()));
        item.put("createdAt", Attr.time(entry.createdAt()));
        item.put("updatedAt", Attr.time(entry.updatedAt()));
        return item;
    }

    private static Entry toEntry(Kind kind, Map<String, AttributeValue> item) {
        return new Entry(kind, Attr.str(item, "sk"), Attr.str(item, "document"), Attr.num(item, "version"),
                Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"));
    }
}
