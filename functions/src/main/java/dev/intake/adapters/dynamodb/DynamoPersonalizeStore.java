package dev.intake.adapters.dynamodb;

import static dev.intake.adapters.dynamodb.Attr.key;
import static dev.intake.adapters.dynamodb.Attr.n;
import static dev.intake.adapters.dynamodb.Attr.s;

import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.personalize.DatasetGroup;
import dev.intake.core.personalize.DatasetType;
import dev.intake.core.personalize.PersonalizeDataset;
import dev.intake.core.personalize.PersonalizeSchema;
import dev.intake.core.personalize.Tags;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.PersonalizeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Personalize's schemas, dataset groups and datasets in the control table, one partition each
 * (few: they list in a query or two), and each resource's tags in an item of its own. A schema's
 * and a group's {@code datasets} count changes in the transaction that adds or frees a dataset.
 */
public final class DynamoPersonalizeStore implements PersonalizeStore {
    private final DynamoDbClient dynamo;
    private final String table;
    /** Transactions, retried on contention as the job store's are. */
    private final DynamoJobStore transactions;

    public DynamoPersonalizeStore(DynamoDbClient dynamo, String controlTable) {
        this.dynamo = dynamo;
        this.table = controlTable;
        this.transactions = new DynamoJobStore(dynamo, controlTable);
    }

    @Override
    public void createSchema(PersonalizeSchema schema) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.PZ_SCHEMAS_PK, schema.name()));
        item.put("name", s(schema.name()));
        item.put("schema", s(schema.schema()));
        if (schema.domain() != null) {
            item.put("domain", s(schema.domain()));
        }
        item.put("createdAt", Attr.time(schema.createdAt()));
        item.put("updatedAt", Attr.time(schema.updatedAt()));
        item.put("datasets", n(0));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Schema '" + schema.name() + "' already exists");
        }
    }

    @Override
    public Optional<PersonalizeSchema> findSchema(String name) {
        return get(ControlKeys.PZ_SCHEMAS_PK, name).map(DynamoPersonalizeStore::toSchema);
    }

    @Override
    public Page<PersonalizeSchema> listSchemas(String startAfter, int limit) {
        return page(ControlKeys.PZ_SCHEMAS_PK, null, startAfter, limit, DynamoPersonalizeStore::toSchema);
    }

    @Override
    public void deleteSchema(String name) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(ControlKeys.PZ_SCHEMAS_PK, name))
                    .conditionExpression("attribute_exists(pk) AND datasets = :zero")
                    .expressionAttributeValues(Map.of(":zero", n(0))));
        } catch (ConditionalCheckFailedException e) {
            long uses = uses(ControlKeys.PZ_SCHEMAS_PK, name, "Schema");
            throw new IntakeException(ErrorKind.IN_USE, "Schema '" + name + "' is used by " + uses
                    + " dataset(s); delete them or give them another schema first");
        }
    }

    @Override
    public void createGroup(DatasetGroup group, Map<String, String> tags) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.PZ_GROUPS_PK, group.name()));
        item.put("name", s(group.name()));
        if (group.roleArn() != null) {
            item.put("roleArn", s(group.roleArn()));
        }
        if (group.kmsKeyArn() != null) {
            item.put("kmsKeyArn", s(group.kmsKeyArn()));
        }
        if (group.domain() != null) {
            item.put("domain", s(group.domain()));
        }
        item.put("status", s(group.status()));
        item.put("createdAt", Attr.time(group.createdAt()));
        item.put("updatedAt", Attr.time(group.updatedAt()));
        item.put("datasets", n(0));
        try {
            transactions.transact(List.of(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk)")).build(),
                    tagsPut("dataset-group/" + group.name(), tags, 1)));
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, 0)) {
                throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset group '" + group.name() + "' already exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<DatasetGroup> findGroup(String name) {
        return get(ControlKeys.PZ_GROUPS_PK, name).map(DynamoPersonalizeStore::toGroup);
    }

    @Override
    public Page<DatasetGroup> listGroups(String startAfter, int limit) {
        return page(ControlKeys.PZ_GROUPS_PK, null, startAfter, limit, DynamoPersonalizeStore::toGroup);
    }

    @Override
    public void deleteGroup(String name) {
        try {
            transactions.transact(List.of(
                    TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(ControlKeys.PZ_GROUPS_PK, name))
                            .conditionExpression("attribute_exists(pk) AND datasets = :zero")
                            .expressionAttributeValues(Map.of(":zero", n(0)))).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName(table)
                            .key(key(ControlKeys.tagsPk("dataset-group/" + name), ControlKeys.TAGS_SK))).build()));
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, 0)) {
                long uses = uses(ControlKeys.PZ_GROUPS_PK, name, "Dataset group");
                throw new IntakeException(ErrorKind.IN_USE, "Dataset group '" + name + "' has " + uses
                        + " dataset(s); delete them first");
            }
            throw e;
        }
    }

    /** A schema's or group's count of datasets; NOT_FOUND if it does not exist. */
    private long uses(String pk, String name, String what) {
        return get(pk, name).map(item -> Attr.num(item, "datasets"))
                .orElseThrow(() -> IntakeException.notFound(what + " '" + name + "' does not exist"));
    }

    @Override
    public void createDataset(Dataset dataset, PersonalizeDataset p, Map<String, String> tags) {
        try {
            transactions.transact(List.of(
                    TransactWriteItem.builder().put(put -> put.tableName(table).item(DynamoDatasetStore.item(dataset))
                            .conditionExpression("attribute_not_exists(pk)")).build(),
                    TransactWriteItem.builder().put(put -> put.tableName(table).item(datasetItem(p))
                            .conditionExpression("attribute_not_exists(pk) OR deleting = :true")
                            .expressionAttributeValues(Map.of(":true", Attr.bool(true)))).build(),
                    use(ControlKeys.PZ_GROUPS_PK, p.group(), 1, "attribute_exists(pk) AND #status = :active"),
                    use(ControlKeys.PZ_SCHEMAS_PK, p.schemaName(), 1, "attribute_exists(pk)"),
                    tagsPut(Tags.datasetResource(dataset), tags, 1)));
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, 1)) {
                throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset group '" + p.group() + "' already has a "
                        + p.type().name() + " dataset");
            }
            if (failedCondition(e, 2)) {
                throw IntakeException.notFound("Dataset group '" + p.group() + "' does not exist");
            }
            if (failedCondition(e, 3)) {
                throw IntakeException.notFound("Schema '" + p.schemaName() + "' does not exist");
            }
            if (failedCondition(e, 0)) {
                throw new IntakeException(ErrorKind.ALREADY_EXISTS, "Dataset '" + dataset.name() + "' already exists");
            }
            throw e;
        }
    }

    /** One use more or less of a schema or group, on the condition given. */
    private TransactWriteItem use(String pk, String name, int delta, String condition) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":delta", n(delta));
        Map<String, String> names = new HashMap<>();
        if (condition.contains(":active")) {
            values.put(":active", s(DatasetGroup.ACTIVE));
            names.put("#status", "status");
        }
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(pk, name))
                .updateExpression("ADD datasets :delta").conditionExpression(condition)
                .expressionAttributeValues(values).expressionAttributeNames(names.isEmpty() ? null : names)).build();
    }

    @Override
    public Optional<PersonalizeDataset> findDataset(String group, DatasetType type) {
        return get(ControlKeys.PZ_DATASETS_PK, group + "/" + type.name()).map(DynamoPersonalizeStore::toDataset);
    }

    @Override
    public Page<PersonalizeDataset> listDatasets(String group, String startAfter, int limit) {
        return page(ControlKeys.PZ_DATASETS_PK, group == null ? null : group + "/", startAfter, limit,
                DynamoPersonalizeStore::toDataset);
    }

    @Override
    public void changeSchema(PersonalizeDataset p, String schemaName, String schema, Instant when) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(ControlKeys.DATASETS_PK, p.datasetName()))
                .updateExpression("SET #schema = :schema, updatedAt = :when")
                .conditionExpression("attribute_exists(pk) AND activeJobs = :zero AND attribute_not_exists(deletion)")
                .expressionAttributeNames(Map.of("#schema", "schema"))
                .expressionAttributeValues(Map.of(":schema", s(schema), ":when", Attr.time(when), ":zero", n(0)))).build());
        actions.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(key(ControlKeys.PZ_DATASETS_PK, p.group() + "/" + p.type().name()))
                .updateExpression("SET schemaName = :new, updatedAt = :when")
                .conditionExpression("schemaName = :old AND deleting = :false")
                .expressionAttributeValues(Map.of(":new", s(schemaName), ":old", s(p.schemaName()),
                        ":when", Attr.time(when), ":false", Attr.bool(false)))).build());
        if (!schemaName.equals(p.schemaName())) { // a transaction may touch an item once
            actions.add(use(ControlKeys.PZ_SCHEMAS_PK, schemaName, 1, "attribute_exists(pk)"));
            actions.add(use(ControlKeys.PZ_SCHEMAS_PK, p.schemaName(), -1, "attribute_exists(pk)"));
        }
        try {
            transactions.transact(actions);
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, 1)) {
                Optional<PersonalizeDataset> current = findDataset(p.group(), p.type());
                if (current.isEmpty() || current.get().deleting()) {
                    throw IntakeException.notFound("Dataset group '" + p.group() + "' has no " + p.type().name() + " dataset");
                }
                throw new IntakeException(ErrorKind.CONFLICT, "Dataset " + p.group() + "/" + p.type().name()
                        + " was changed by another request meanwhile; describe it and update it again");
            }
            if (failedCondition(e, 0)) {
                throw new IntakeException(ErrorKind.IN_USE, "Dataset " + p.group() + "/" + p.type().name()
                        + " has imports pending or in progress (or is being deleted); update it when they have finished");
            }
            if (failedCondition(e, 2)) {
                throw IntakeException.notFound("Schema '" + schemaName + "' does not exist");
            }
            throw e;
        }
    }

    @Override
    public void datasetDeleting(PersonalizeDataset p) {
        Optional<PersonalizeDataset> current = findDataset(p.group(), p.type());
        if (current.isEmpty() || current.get().deleting()) {
            return;
        }
        try {
            transactions.transact(List.of(
                    TransactWriteItem.builder().update(u -> u.tableName(table)
                            .key(key(ControlKeys.PZ_DATASETS_PK, p.group() + "/" + p.type().name()))
                            .updateExpression("SET deleting = :true")
                            .conditionExpression("deleting = :false AND schemaName = :schema")
                            .expressionAttributeValues(Map.of(":true", Attr.bool(true), ":false", Attr.bool(false),
                                    ":schema", s(current.get().schemaName())))).build(),
                    use(ControlKeys.PZ_GROUPS_PK, p.group(), -1, "attribute_exists(pk)"),
                    use(ControlKeys.PZ_SCHEMAS_PK, current.get().schemaName(), -1, "attribute_exists(pk)")));
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, 0)) {
                datasetDeleting(p); // marked meanwhile (then nothing to do), or its schema changed: read again
                return;
            }
            throw e;
        }
    }

    @Override
    public Optional<Tags> tags(String resource) {
        return get(ControlKeys.tagsPk(resource), ControlKeys.TAGS_SK).map(item -> {
            Map<String, String> tags = new LinkedHashMap<>();
            item.get("tags").m().forEach((k, v) -> tags.put(k, v.s()));
            return new Tags(tags, Attr.num(item, "version"));
        });
    }

    @Override
    public void putTags(String resource, Map<String, String> tags, long expectedVersion) {
        try {
            dynamo.putItem(r -> {
                r.tableName(table).item(tagsItem(resource, tags, expectedVersion + 1));
                if (expectedVersion == 0) {
                    r.conditionExpression("attribute_not_exists(pk)");
                } else {
                    r.conditionExpression("version = :expected").expressionAttributeValues(Map.of(":expected", n(expectedVersion)));
                }
            });
        } catch (ConditionalCheckFailedException e) {
            throw new IntakeException(ErrorKind.CONFLICT, "The tags of " + resource + " changed meanwhile");
        }
    }

    private TransactWriteItem tagsPut(String resource, Map<String, String> tags, long version) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(tagsItem(resource, tags, version))).build();
    }

    private static Map<String, AttributeValue> tagsItem(String resource, Map<String, String> tags, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.tagsPk(resource), ControlKeys.TAGS_SK));
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        tags.forEach((k, v) -> map.put(k, s(v)));
        item.put("tags", AttributeValue.fromM(map));
        item.put("version", n(version));
        return item;
    }

    private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(pk, sk)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private <T> Page<T> page(String pk, String prefix, String startAfter, int limit, Function<Map<String, AttributeValue>, T> reader) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true).limit(limit);
        if (prefix == null) {
            query.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk)));
        } else {
            query.keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(prefix)));
        }
        if (startAfter != null) {
            query.exclusiveStartKey(key(pk, startAfter));
        }
        QueryResponse response = dynamo.query(query.build());
        String last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("sk").s() : null;
        return new Page<>(response.items().stream().map(reader).toList(), last);
    }

    private static boolean failedCondition(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static Map<String, AttributeValue> datasetItem(PersonalizeDataset p) {
        Map<String, AttributeValue> item = new HashMap<>(key(ControlKeys.PZ_DATASETS_PK, p.group() + "/" + p.type().name()));
        item.put("group", s(p.group()));
        item.put("type", s(p.type().name()));
        item.put("name", s(p.name()));
        item.put("schemaName", s(p.schemaName()));
        item.put("createdAt", Attr.time(p.createdAt()));
        item.put("updatedAt", Attr.time(p.updatedAt()));
        item.put("deleting", Attr.bool(p.deleting()));
        return item;
    }

    private static PersonalizeSchema toSchema(Map<String, AttributeValue> item) {
        return new PersonalizeSchema(Attr.str(item, "name"), Attr.str(item, "schema"), Attr.str(item, "domain"),
                Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"));
    }

    private static DatasetGroup toGroup(Map<String, AttributeValue> item) {
        return new DatasetGroup(Attr.str(item, "name"), Attr.str(item, "roleArn"), Attr.str(item, "kmsKeyArn"),
                Attr.str(item, "domain"), Attr.str(item, "status"), Attr.time(item, "createdAt"), Attr.time(item, "updatedAt"));
    }

    private static PersonalizeDataset toDataset(Map<String, AttributeValue> item) {
        return new PersonalizeDataset(Attr.str(item, "group"), DatasetType.valueOf(Attr.str(item, "type")),
                Attr.str(item, "name"), Attr.str(item, "schemaName"), Attr.time(item, "createdAt"),
                Attr.time(item, "updatedAt"), Attr.bool(item, "deleting"));
    }
}
