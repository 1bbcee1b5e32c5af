package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.Page;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Datasets in the control table, all in one partition sorted by name. */
public final class DynamoDatasetStore implements DatasetStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDatasetStore(DynamoDbClient dynamo, String controlTable) {
        this.dynamo = dynamo;
        this.table = controlTable;
    }

    @Override
    public void create(Dataset d) {
        Map<String, AttributeValue> item = item(d);
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset '" + d.name() + "' already exists");
        }
    }

    @Override
    public Optional<Dataset> find(String name) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(ControlKeys.DATASETS_PK, name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toDataset(item));
    }

    @Override
    public Page<Dataset> list(String startAfter, int limit) {
        QueryResponse response = dynamo.query(r -> {
            r.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(ControlKeys.DATASETS_PK))).limit(limit);
            if (startAfter != null) {
                r.exclusiveStartKey(key(ControlKeys.DATASETS_PK, startAfter));
            }
        });
        var items = response.items().stream().map(DynamoDatasetStore::toDataset).toList();
        String last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("sk").s() : null;
        return new Page<>(items, last);
    }

    @Override
    public Dataset markDeleting(String name) {
        for (int attempt = 1; ; attempt++) {
            try {
                // A dataset already being deleted keeps its status (if_not_exists): marking is idempotent.
                return toDataset(dynamo.updateItem(r -> r.tableName(table).key(key(ControlKeys.DATASETS_PK, name))
                        .updateExpression("SET deletion = if_not_exists(deletion, :pending)")
                        .conditionExpression("attribute_exists(pk) AND activeJobs = :zero")
                        .expressionAttributeValues(Map.of(":zero", Attr.n(0), ":pending", s(Dataset.Status.DELETE_PENDING.name())))
                        .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes());
            } catch (ConditionalCheckFailedException e) {
                Dataset current = find(name).orElseThrow(() -> IntakeException.notFound("Dataset '" + name + "' does not exist"));
                // Its imports may have finished between the delete and the read: then try again.
                if (current.activeJobs() > 0 || attempt == 3) {
                    throw new IntakeException(ErrorKind.IN_USE, "Dataset '" + name + "' has " + current.activeJobs()
                            + " import job(s) pending or in progress; delete it when they have finished");
                }
            }
        }
    }

    @Override
    public void deletionStarted(String name) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(ControlKeys.DATASETS_PK, name))
                    .updateExpression("SET deletion = :started")
                    .conditionExpression("deletion = :pending")
                    .expressionAttributeValues(Map.of(":pending", s(Dataset.Status.DELETE_PENDING.name()),
                            ":started", s(Dataset.Status.DELETE_IN_PROGRESS.name()))));
        } catch (ConditionalCheckFailedException e) {
            // started already (a retried step), or gone
        }
    }

    @Override
    public void forget(String name) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(ControlKeys.DATASETS_PK, name))
                    .conditionExpression("attribute_exists(deletion)"));
        } catch (ConditionalCheckFailedException e) {
            // gone already (a retried step); an active dataset is never removed
        }
    }

    @Override
    public void generationDeleted(String name, String generation) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(ControlKeys.DATASETS_PK, name))
                    .updateExpression("DELETE retiredGenerations :g")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromSs(java.util.List.of(generation)))));
        } catch (ConditionalCheckFailedException e) {
            // The dataset was deleted meanwhile: nothing is left to forget.
        }
    }

    /** A new dataset's item (also written by Personalize's CreateDataset, in its transaction). */
    static Map<String, AttributeValue> item(Dataset d) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.DATASETS_PK, d.name()));
        item.put("name", s(d.name()));
        item.put("schema", s(d.schema()));
        item.put("keyFields", Attr.strings(d.keyFields()));
        item.put("createdAt", Attr.time(d.createdAt()));
        item.put("updatedAt", Attr.time(d.updatedAt()));
        item.put("generation", s(d.generation()));
        item.put("fullImported", Attr.bool(d.fullImported()));
        item.put("activeJobs", Attr.n(d.activeJobs()));
        return item;
    }

    static Dataset toDataset(Map<String, AttributeValue> item) {
        AttributeValue retired = item.get("retiredGenerations");
        return new Dataset(Attr.str(item, "name"), Attr.str(item, "schema"), Attr.strings(item, "keyFields"),
                Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"), Attr.str(item, "generation"),
                Attr.bool(item, "fullImported"), (int) Attr.num(item, "activeJobs"),
                retired == null || !retired.hasSs() ? java.util.Set.of() : java.util.Set.copyOf(retired.ss()),
                item.containsKey("deletion") ? Dataset.Status.valueOf(item.get("deletion").s()) : Dataset.Status.ACTIVE);
    }
}
