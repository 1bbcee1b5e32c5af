package dev.intake.core;

import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.schema.RecordSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating, reading, listing and deleting datasets. */
public final class DatasetService {
    private final DatasetStore datasets;
    private final RecordStore records;
    private final Clock clock;

    public DatasetService(DatasetStore datasets, RecordStore records, Clock clock) {
        this.datasets = datasets;
        this.records = records;
        this.clock = clock;
    }

    public Dataset create(String name, String schema, List<String> keyFields) {
        RecordSchema.parse(schema, keyFields); // rejects a bad schema before anything is written
        Instant now = clock.instant();
        // Named after the creation time so a dataset re-created under the same name never sees old records.
        Dataset dataset = new Dataset(name, schema, keyFields, now, now, "initial-" + now.toEpochMilli(), false, 0);
        datasets.create(dataset);
        return dataset;
    }

    public Dataset describe(String name) {
        return datasets.find(name).orElseThrow(() -> IntakeException.notFound("Dataset '" + name + "' does not exist"));
    }

    public Page<Dataset> list(String startAfter, int limit) {
        return datasets.list(startAfter, limit);
    }

    public void delete(String name) {
        Dataset dataset = datasets.delete(name); // as it was when deleted: no job can change it after
        records.deleteGeneration(name, dataset.generation());
        dataset.retiredGenerations().forEach(generation -> records.deleteGeneration(name, generation));
    }

    /** A record of the dataset by key, as canonical JSON. */
    public Optional<String> record(String name, Map<String, Object> key) {
        Dataset dataset = describe(name);
        return records.get(name, dataset.generation(), dataset.recordSchema().encodeKey(key));
    }
}
