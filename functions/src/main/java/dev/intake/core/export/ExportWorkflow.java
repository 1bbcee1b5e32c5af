package dev.intake.core.export;

import dev.intake.core.DataLocation;
import dev.intake.core.Dataset;
import dev.intake.core.ImportFailedException;
import dev.intake.core.TransientImportException;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.ExportJobStore;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.RecordEntry;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.schema.SchemaField;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * The steps of an export (statemachine/export-job.asl.json): start (fix the generation to read),
 * write one bounded part file per step, each after the cursor the previous one returned, finish;
 * or fail with a reason. Every step is idempotent: a retried part writes the same object again.
 *
 * <p>The files are {@code <path><job>/part-00000.csv}, {@code part-00001.csv}, ...: one folder per
 * job, each file with the header row, so the folder (or any one file) can be imported as it is.
 */
public final class ExportWorkflow {
    /** Records per part file at most: bounded so that one step fits one invocation (and its memory). */
    public static final int MAX_RECORDS_PER_PART = 100_000;
    /** Records read from the store at a time. */
    static final int PAGE = 1_000;

    /** Where the state machine goes next: the part to write and the cursor to write it from, or done. */
    public record Step(int part, String cursor, boolean done) {
    }

    private final ExportJobStore store;
    private final DatasetStore datasets;
    private final RecordStore records;
    private final ObjectStores objects;
    private final Clock clock;
    private final long partChars;

    /**
     * @param partChars a part file ends with the record that makes it this long (in characters), or
     *                  at {@value #MAX_RECORDS_PER_PART} records: the engine's chunk size
     */
    public ExportWorkflow(ExportJobStore store, DatasetStore datasets, RecordStore records, ObjectStores objects,
                          Clock clock, long partChars) {
        this.store = store;
        this.datasets = datasets;
        this.records = records;
        this.objects = objects;
        this.clock = clock;
        this.partChars = partChars;
    }

    /**
     * PENDING → IN_PROGRESS, reading the dataset's current generation from now on.
     *
     * @return false if the job has ended already (the execution just stops)
     */
    public boolean start(String name) {
        ExportJob job = job(name);
        if (job.status().ended()) {
            return false;
        }
        if (job.status() == ExportStatus.IN_PROGRESS) {
            return true; // a retried Start
        }
        Dataset dataset = readable(job);
        if (!store.replace(job.started(dataset.generation(), clock.instant()), ExportStatus.PENDING)) {
            return start(name); // another attempt started (or ended) it meanwhile
        }
        return true;
    }

    /** Writes part {@code part}: the records after {@code cursor}, at most the part size. */
    public Step exportPart(String name, int part, String cursor) {
        ExportJob job = job(name);
        if (job.status() != ExportStatus.IN_PROGRESS) {
            throw new ImportFailedException("Dataset export job '" + name + "' is no longer in progress");
        }
        Dataset dataset = readable(job);
        if (!dataset.generation().equals(job.generation())) {
            throw new ImportFailedException("A FULL import replaced the records of dataset '" + job.dataset()
                    + "' while they were being exported; export them again");
        }
        List<String> fields = dataset.recordSchema().fields().stream().map(SchemaField::name).toList();
        ExportCsv csv = new ExportCsv(fields);
        String next = cursor;
        boolean more = job.ingestionMode().exportsImportedRecords();
        int headerChars = csv.length();
        while (more && csv.length() < partChars && csv.rows() < MAX_RECORDS_PER_PART) {
            // as many records as should fill the part, by the size of those read so far (one at first)
            long perRecord = csv.rows() == 0 ? 0 : Math.max(1, (csv.length() - headerChars) / csv.rows());
            long wanted = perRecord == 0 ? 1 : (partChars - csv.length()) / perRecord + 1;
            Page<RecordEntry> page = records.list(job.dataset(), job.generation(), next,
                    (int) Math.min(Math.min(PAGE, wanted), MAX_RECORDS_PER_PART - csv.rows()));
            page.items().forEach(r -> csv.add(r.canonical()));
            next = page.lastKey();
            more = next != null;
        }
        if (csv.rows() > 0 || part == 0) { // the first file even if empty: the header says what was exported
            write(job, part, csv.text());
        }
        return more ? new Step(part + 1, next, false) : new Step(part + 1, null, true);
    }

    /** IN_PROGRESS → ACTIVE; an ended job stays as it is. */
    public ExportJob finish(String name) {
        return end(name, ExportStatus.ACTIVE, null);
    }

    /** PENDING or IN_PROGRESS → FAILED with the reason; an ended job stays as it is. */
    public ExportJob fail(String name, String reason) {
        return end(name, ExportStatus.FAILED, reason);
    }

    /**
     * An export execution ended (its status as Step Functions names it): a job it left unfinished
     * (the execution was stopped, timed out, or failed outside its steps) fails with that reason.
     * A job the execution ended, or one that does not exist, is left alone.
     */
    public void executionEnded(String name, String executionStatus, String error) {
        if (store.find(name).map(job -> job.status().ended()).orElse(true)) {
            return;
        }
        fail(name, "The export's execution ended " + executionStatus + " before the job did"
                + (error == null || error.isBlank() ? "" : " (" + error + ")") + "; create the export job again");
    }

    private ExportJob end(String name, ExportStatus end, String reason) {
        while (true) {
            ExportJob job = job(name);
            if (job.status().ended() || (end == ExportStatus.ACTIVE && job.status() != ExportStatus.IN_PROGRESS)) {
                return job;
            }
            ExportJob ended = job.ended(end, reason, clock.instant());
            if (store.replace(ended, job.status())) {
                return ended;
            }
        }
    }

    /** The object key of a part: {@code <folder><job>/part-NNNNN.csv}. */
    public static String partKey(ExportJob job, int part) {
        return ExportJobService.destination(job.path()).key() + job.name() + "/" + String.format("part-%05d.csv", part);
    }

    private void write(ExportJob job, int part, String text) {
        DataLocation folder = ExportJobService.destination(job.path());
        String key = partKey(job, part);
        ObjectStore store = objects.forWriting(job.name(), job.roleArn(), folder);
        try {
            store.put(folder.bucket(), key, text.getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8");
        } catch (ObjectStoreException e) {
            if (e.isTransient()) {
                throw new TransientImportException("Writing " + DataLocation.uri(folder.bucket(), key) + " failed for now: "
                        + e.getMessage(), e);
            }
            throw new ImportFailedException("Could not write " + DataLocation.uri(folder.bucket(), key) + ": " + e.getMessage());
        }
    }

    private ExportJob job(String name) {
        return store.find(name).orElseThrow(() -> new ImportFailedException("Dataset export job '" + name + "' does not exist"));
    }

    private Dataset readable(ExportJob job) {
        Dataset dataset = datasets.find(job.dataset()).orElseThrow(() ->
                new ImportFailedException("Dataset '" + job.dataset() + "' was deleted before its records were exported"));
        if (dataset.status().deleting()) {
            throw new ImportFailedException("Dataset '" + job.dataset() + "' is being deleted; its records were not exported");
        }
        return dataset;
    }
}
