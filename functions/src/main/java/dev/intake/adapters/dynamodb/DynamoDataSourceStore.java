package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.DataLocation;
import dev.intake.core.DataSource;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.SourceSchedule;
import dev.intake.core.ports.DataSourceStore;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Data sources in the control table, all in one partition ({@code SOURCES}) sorted by name. */
public final class DynamoDataSourceStore implements DataSourceStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDataSourceStore(DynamoDbClient dynamo, String controlTable) {
        this.dynamo = dynamo;
        this.table = controlTable;
    }

    @Override
    public void create(DataSource source) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item(source))
                    .conditionExpression("attribute_not_exists(pk)").build());
        } catch (ConditionalCheckFailedException e) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Data source '" + source.name() + "' already exists");
        }
    }

    @Override
    public Optional<DataSource> find(String name) {
        var item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key(ControlKeys.SOURCES_PK, name))
                .consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toSource(item));
    }

    @Override
    public Page<DataSource> list(String startAfter, int limit) {
        QueryResponse response = dynamo.query(query(startAfter, limit));
        String last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("sk").s() : null;
        return new Page<>(response.items().stream().map(DynamoDataSourceStore::toSource).toList(), last);
    }

    @Override
    public void update(DataSource source, long expectedVersion) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item(source))
                    .conditionExpression("version = :expected")
                    .expressionAttributeValues(Map.of(":expected", Attr.n(expectedVersion))).build());
        } catch (ConditionalCheckFailedException e) {
            if (find(source.name()).isEmpty()) {
                throw IntakeException.notFound("Data source '" + source.name() + "' does not exist");
            }
            throw new IntakeException(ErrorKind.CONFLICT, "Data source '" + source.name()
                    + "' was changed by another request meanwhile; describe it and update it again");
        }
    }

    @Override
    public void delete(String name) {
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(ControlKeys.SOURCES_PK, name)).build());
    }

    @Override
    public List<DataSource> all() {
        List<DataSource> all = new ArrayList<>();
        String after = null;
        do {
            Page<DataSource> page = list(after, 1000);
            all.addAll(page.items());
            after = page.lastKey();
        } while (after != null);
        return all;
    }

    private QueryRequest query(String startAfter, int limit) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(ControlKeys.SOURCES_PK))).consistentRead(true).limit(limit);
        if (startAfter != null) {
            query.exclusiveStartKey(key(ControlKeys.SOURCES_PK, startAfter));
        }
        return query.build();
    }

    static Map<String, AttributeValue> item(DataSource source) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.SOURCES_PK, source.name()));
        item.put("name", s(source.name()));
        item.put("location", s(source.location().uri()));
        item.put("dataset", s(source.datasetName()));
        item.put("importMode", s(source.importMode().name()));
        if (source.schedule() != null) {
            item.put("scheduleExpression", s(source.schedule().expression().text()));
            item.put("scheduleTimeZone", s(source.schedule().timeZone().getId()));
        }
        item.put("enabled", Attr.bool(source.enabled()));
        if (source.roleArn() != null) {
            item.put("roleArn", s(source.roleArn()));
        }
        if (source.maxFailedRowsPercent() != null) {
            item.put("maxFailedRowsPercent", Attr.n(source.maxFailedRowsPercent()));
        }
        if (!source.tags().isEmpty()) {
            Map<String, AttributeValue> tags = new LinkedHashMap<>();
            source.tags().forEach((k, v) -> tags.put(k, s(v)));
            item.put("tags", AttributeValue.fromM(tags));
        }
        item.put("createdAt", Attr.time(source.createdAt()));
        item.put("updatedAt", Attr.time(source.updatedAt()));
        item.put("version", Attr.n(source.version()));
        return item;
    }

    static DataSource toSource(Map<String, AttributeValue> item) {
        String expression = Attr.str(item, "scheduleExpression");
        Map<String, String> tags = new LinkedHashMap<>();
        if (item.containsKey("tags")) {
            item.get("tags").m().forEach((k, v) -> tags.put(k, v.s()));
        }
        return new DataSource(Attr.str(item, "name"), DataLocation.parse(Attr.str(item, "location")),
                Attr.str(item, "dataset"), ImportMode.valueOf(Attr.str(item, "importMode")),
                expression == null ? null : SourceSchedule.of(expression, Attr.str(item, "scheduleTimeZone")),
                Attr.bool(item, "enabled"), Attr.str(item, "roleArn"),
                item.containsKey("maxFailedRowsPercent") ? Attr.dbl(item, "maxFailedRowsPercent", 0) : null,
                tags, Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"), Attr.num(item, "version"));
    }
}
