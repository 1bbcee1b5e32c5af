package dev.intake.adapters.dynamodb;

import dev.intake.core.ports.DataZoneStore;
import dev.intake.core.ports.Page;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DataZone dialect's documents in the control table: one partition per kind ({@code DATAZONE#<kind>}), by name. */
public final class DynamoDataZoneStore implements DataZoneStore {
    private final DynamoDocuments<Kind, Entry> documents;

    public DynamoDataZoneStore(DynamoDbClient dynamo, String controlTable) {
        this.documents = new DynamoDocuments<>(dynamo, controlTable, "DATAZONE", DataZoneStore::describe, Entry::new);
    }

    @Override
    public void create(Kind kind, String name, String document, Instant at) {
        documents.create(kind, name, document, at);
    }

    @Override
    public Optional<Entry> find(Kind kind, String name) {
        return documents.find(kind, name);
    }

    @Override
    public Page<Entry> list(Kind kind, String prefix, String startAfter, int limit) {
        return documents.list(kind, prefix, startAfter, limit);
    }

    @Override
    public void update(Kind kind, String name, String document, long expectedVersion, Instant at) {
        documents.update(kind, name, document, expectedVersion, at);
    }

    @Override
    public void delete(Kind kind, String name) {
        documents.delete(kind, name);
    }

    @Override
    public void putAll(Kind kind, Map<String, String> entries, Instant at) {
        documents.putAll(kind, entries, at);
    }

    @Override
    public int deleteAll(Kind kind, String prefix) {
        return documents.deleteAll(kind, prefix);
    }
}
