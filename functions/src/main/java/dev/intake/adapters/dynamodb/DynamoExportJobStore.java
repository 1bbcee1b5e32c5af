package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.s;
import static dev.intake.adapters.dynamodb.DynamoCalls.call;

import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.export.ExportJob;
import dev.intake.core.export.ExportJobCodec;
import dev.intake.core.export.ExportStatus;
import dev.intake.core.ports.ExportJobStore;
import dev.intake.core.ports.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Export jobs in the control table: partition {@value #PK}, one item per job keyed by its name,
 * holding its dataset ({@code ds}), status ({@code st}, what every change is conditioned on) and the
 * job as a JSON document ({@code doc}).
 */
public final class DynamoExportJobStore implements ExportJobStore {
    static final String PK = "EXPORT_JOBS";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoExportJobStore(DynamoDbClient dynamo, String controlTable) {
        this.dynamo = dynamo;
        this.table = controlTable;
    }

    @Override
    public void create(ExportJob job) {
        try {
            call(() -> dynamo.putItem(createRequest(job)));
        } catch (ConditionalCheckFailedException e) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset export job '" + job.name() + "' already exists");
        }
    }

    PutItemRequest createRequest(ExportJob job) {
        return PutItemRequest.builder().tableName(table).item(item(job)).conditionExpression("attribute_not_exists(pk)").build();
    }

    @Override
    public Optional<ExportJob> find(String name) {
        var item = call(() -> dynamo.getItem(r -> r.tableName(table).key(key(PK, name)).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ExportJobCodec.decode(item.get("doc").s()));
    }

    @Override
    public Page<ExportJob> list(String dataset, String startAfter, int limit) {
        List<ExportJob> found = new ArrayList<>();
        String from = startAfter;
        // With a dataset filter a query page may hold fewer matches than it read: read on until there
        // is one more than asked for (which says a next page exists) or the partition ends.
        while (found.size() <= limit) {
            QueryRequest request = queryRequest(dataset, from, limit + 1 - found.size());
            QueryResponse response = call(() -> dynamo.query(request));
            response.items().forEach(item -> found.add(ExportJobCodec.decode(item.get("doc").s())));
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                break;
            }
            from = response.lastEvaluatedKey().get("sk").s();
        }
        List<ExportJob> items = found.subList(0, Math.min(limit, found.size()));
        return new Page<>(items, found.size() > limit ? items.get(items.size() - 1).name() : null);
    }

    QueryRequest queryRequest(String dataset, String startAfter, int limit) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true).limit(limit);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(PK)));
        query.keyConditionExpression("pk = :pk");
        if (dataset != null) {
            values.put(":ds", s(dataset));
            query.filterExpression("ds = :ds");
        }
        if (startAfter != null) {
            query.exclusiveStartKey(key(PK, startAfter));
        }
        return query.expressionAttributeValues(values).build();
    }

    @Override
    public boolean replace(ExportJob job, ExportStatus expected) {
        try {
            call(() -> dynamo.putItem(replaceRequest(job, expected)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    PutItemRequest replaceRequest(ExportJob job, ExportStatus expected) {
        return PutItemRequest.builder().tableName(table).item(item(job)).conditionExpression("st = :expected")
                .expressionAttributeValues(Map.of(":expected", s(expected.name()))).build();
    }

    private static Map<String, AttributeValue> item(ExportJob job) {
        Map<String, AttributeValue> item = new HashMap<>(key(PK, job.name()));
        item.put("ds", s(job.dataset()));
        item.put("st", s(job.status().name()));
        item.put("doc", s(ExportJobCodec.encode(job)));
        return item;
    }
}
