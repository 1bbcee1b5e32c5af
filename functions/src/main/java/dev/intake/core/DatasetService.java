package dev.intake.core;

import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.core.schema.RecordSchema;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating, reading, listing and deleting datasets. */
public final class DatasetService {
    /** Records one deletion step deletes per generation: seconds of work in DynamoDB, well inside a Lambda's time. */
    public static final int DELETE_STEP_RECORDS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(DatasetService.class);

    private final DatasetStore datasets;
    private final WorkflowStarter deletions;
    private final RecordStore records;
    private final Clock clock;

    public DatasetService(DatasetStore datasets, RecordStore records, WorkflowStarter deletions, Clock clock) {
        this.datasets = datasets;
        this.records = records;
        this.deletions = deletions;
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

    /**
     * Deletes a dataset asynchronously: it becomes DELETE_PENDING at once (no import can start on it)
     * and the deletion workflow deletes its records in steps, then the dataset; its name is free
     * again when it is gone. Calling it again while it is being deleted changes nothing.
     *
     * @throws IntakeException NOT_FOUND, or IN_USE while imports are pending or running
     */
    public Dataset delete(String name) {
        Dataset marked = datasets.markDeleting(name);
        continueDeletion(name);
        return marked;
    }

    /**
     * Starts the deletion workflow for a dataset that has records to delete (a dataset being deleted,
     * or generations that imports retired) unless one runs: after DeleteDataset, after every import
     * execution, after a deletion execution (to go on if there is more), and from the resumer.
     */
    public void continueDeletion(String name) {
        Optional<Dataset> dataset = datasets.find(name);
        if (dataset.isPresent() && dataset.get().hasRecordsToDelete()) {
            try {
                deletions.start(name);
            } catch (RuntimeException e) {
                // The records wait; the resumer starts the deletion within minutes.
                LOG.warn("could not start the deletion workflow of dataset {}; the resumer will", name, e);
            }
        }
    }

    /**
     * One step of the deletion workflow: deletes up to {@link #DELETE_STEP_RECORDS} records of each
     * retired generation it empties in turn, then, for a dataset being deleted, of its current
     * generation, and when that is empty too, the dataset. Idempotent; safe to run twice at once.
     *
     * @return true when nothing is left to delete
     */
    public boolean deleteSome(String name) {
        Optional<Dataset> found = datasets.find(name);
        if (found.isEmpty()) {
            return true;
        }
        Dataset dataset = found.get();
        if (dataset.status() == Dataset.Status.DELETE_PENDING) {
            datasets.deletionStarted(name);
        }
        for (String generation : dataset.retiredGenerations()) {
            if (!records.deleteSome(name, generation, DELETE_STEP_RECORDS)) {
                return false;
            }
            datasets.generationDeleted(name, generation);
        }
        if (!dataset.status().deleting()) {
            return true;
        }
        if (!records.deleteSome(name, dataset.generation(), DELETE_STEP_RECORDS)) {
            return false;
        }
        datasets.forget(name);
        return true;
    }

    /** The deletion workflow's safety net: every dataset with records to delete gets a running deletion. */
    public int resumeDeletions() {
        int count = 0;
        String after = null;
        do {
            Page<Dataset> page = datasets.list(after, 100);
            for (Dataset d : page.items()) {
                if (d.hasRecordsToDelete()) {
                    count++;
                    continueDeletion(d.name());
                }
            }
            after = page.lastKey();
        } while (after != null);
        return count;
    }

    /** A record of the dataset by key, as canonical JSON. */
    public Optional<String> record(String name, Map<String, Object> key) {
        Dataset dataset = describe(name);
        if (dataset.status().deleting()) {
            throw new IntakeException(ErrorKind.IN_USE, "Dataset '" + name + "' is being deleted");
        }
        return records.get(name, dataset.generation(), dataset.recordSchema().encodeKey(key));
    }
}
