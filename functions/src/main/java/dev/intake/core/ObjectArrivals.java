package dev.intake.core;

import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.JobStore.Admission;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.core.format.DataFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns objects arriving in S3 into imports. An object belongs to the dataset a saved data source
 * names for its folder (the longest matching prefix), or else, in the landing bucket, to the dataset
 * named by its first folder ({@code s3://<landing>/<dataset>/...}). Arrivals for a dataset (and
 * source) gather in ONE open batch: an INCREMENTAL job that imports exactly the object versions
 * that arrived, created with the first of them and closed by its Start step once the window has
 * passed (or when it is full); later arrivals open the next one.
 *
 * <p>Each key remembers the sequencer of its latest arrival, in the same store write that adds the
 * arrival to a batch: a redelivered or duplicated notification (same or older sequencer) is never
 * imported twice and never creates a job, and an object written again later is imported again.
 */
public final class ObjectArrivals {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectArrivals.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Names S3 clients and tools give objects while they upload or stage them. */
    private static final Pattern TEMPORARY = Pattern.compile(
            "(?i).*(\\.tmp|\\.temp|\\.part|\\.partial|\\.filepart|\\.crdownload|\\._copying_|~)$");

    /** Where an arriving object goes, if a saved data source covers it. */
    public record Target(String datasetName, String location, String dataSourceName, String roleArn,
                         Double maxFailedRowsPercent, boolean enabled) {
    }

    /** Finds the saved data source covering an object (the longest prefix), if any. */
    @FunctionalInterface
    public interface SourceRoutes {
        SourceRoutes NONE = (bucket, key) -> Optional.empty();

        Optional<Target> find(String bucket, String key);
    }

    /** What became of one arrival. */
    public record Outcome(Kind kind, String jobName, String reason) {
        public enum Kind {
            /** The arrival opened a new batch: a new PENDING job. */
            OPENED,
            /** The arrival joined the dataset's open batch. */
            JOINED,
            /** The same or a later write of the key already arrived. */
            DUPLICATE,
            /** Not an object for any dataset, or not a data file (the reason says which). */
            IGNORED
        }

        static Outcome ignored(String reason) {
            return new Outcome(Kind.IGNORED, null, reason);
        }
    }

    private final DatasetStore datasets;
    private final JobStore jobs;
    private final WorkflowStarter starter;
    private final ImportMetrics metrics;
    private final ArrivalSettings settings;
    private final SourceRoutes sources;
    private final ImportAccess access;
    private final Clock clock;

    /** @param access where imports may read: an object outside it is ignored, not made a job that fails */
    public ObjectArrivals(DatasetStore datasets, JobStore jobs, WorkflowStarter starter, ImportMetrics metrics,
                          ArrivalSettings settings, ImportAccess access, SourceRoutes sources, Clock clock) {
        this.access = access;
        this.datasets = datasets;
        this.jobs = jobs;
        this.starter = starter;
        this.metrics = metrics;
        this.settings = settings;
        this.sources = sources;
        this.clock = clock;
    }

    public ArrivalSettings settings() {
        return settings;
    }

    public Outcome arrived(ObjectArrival arrival) {
        String skip = notData(arrival);
        if (skip != null) {
            return Outcome.ignored(skip);
        }
        Target target = sources.find(arrival.bucket(), arrival.key()).orElse(null);
        if (target == null) {
            Optional<Target> byFolder = byLandingFolder(arrival);
            if (byFolder.isEmpty()) {
                return Outcome.ignored("no dataset: s3://" + arrival.bucket() + "/" + arrival.key()
                        + " is under no data source and not in a dataset's folder of the landing bucket");
            }
            target = byFolder.get();
        } else if (!target.enabled()) {
            return Outcome.ignored("data source '" + target.dataSourceName() + "' is disabled");
        }
        try {
            access.check(DataLocation.parse(target.location()), target.roleArn());
        } catch (IntakeException refused) {
            return Outcome.ignored(refused.getMessage());
        }
        Optional<Dataset> dataset = datasets.find(target.datasetName());
        if (dataset.isEmpty()) {
            return Outcome.ignored("dataset '" + target.datasetName() + "' does not exist");
        }
        if (dataset.get().status().deleting()) {
            return Outcome.ignored("dataset '" + target.datasetName() + "' is being deleted");
        }
        String batch = batchKey(target.datasetName(), target.dataSourceName());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<JobStore.OpenBatch> open = jobs.openBatch(batch);
            if (open.isPresent() && !stillCollecting(open.get().job())) {
                // its job ended while collecting (stopped, failed): it imports nothing more
                jobs.closeBatch(batch, open.get().job());
                continue;
            }
            if (open.isPresent()) {
                Admission admitted = jobs.addToBatch(batch, open.get().job(), arrival, settings.maxObjectsPerJob());
                switch (admitted) {
                    case ADDED:
                        return new Outcome(Outcome.Kind.JOINED, open.get().job(), null);
                    case DUPLICATE:
                        return new Outcome(Outcome.Kind.DUPLICATE, null, null);
                    default:
                        // full, or closed meanwhile by its Start step: the next arrival opens another
                        jobs.closeBatch(batch, open.get().job());
                        continue;
                }
            }
            ImportJob job = newJob(target, arrival);
            Instant until = clock.instant().plus(settings.window());
            Admission opened = jobs.openBatch(batch, job, until, arrival);
            if (opened == Admission.DUPLICATE) {
                return new Outcome(Outcome.Kind.DUPLICATE, null, null);
            }
            if (opened == Admission.ADDED) {
                metrics.jobStarted(job);
                startIfFirst(job);
                return new Outcome(Outcome.Kind.OPENED, job.name(), null);
            }
            // another arrival opened the batch first: join it
        }
        throw new TransientImportException("Could not add " + arrival.uri() + " to an import of dataset '"
                + target.datasetName() + "' after " + MAX_ATTEMPTS + " attempts (concurrent arrivals)", null);
    }

    /** The open batch of a dataset, fed by one source (null: the landing bucket's folder convention). */
    public static String batchKey(String datasetName, String dataSourceName) {
        return dataSourceName == null ? datasetName : datasetName + "#" + dataSourceName;
    }

    /** Why an object is not a data file to import, or null if it is one. */
    static String notData(ObjectArrival arrival) {
        String key = arrival.key();
        if (key.endsWith("/")) {
            return "folder marker";
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        for (String segment : key.split("/")) {
            if (segment.startsWith(".") || segment.startsWith("_")) {
                return "hidden or temporary name (a path segment starts with '.' or '_')";
            }
        }
        if (TEMPORARY.matcher(name).matches()) {
            return "temporary upload name";
        }
        if (DataFormat.forKey(key).isEmpty()) {
            return "not a data file (use .csv or .jsonl, .json, .ndjson, optionally .gz, or .parquet)";
        }
        if (arrival.size() == 0) {
            return "empty object";
        }
        return null;
    }

    private boolean stillCollecting(String job) {
        return jobs.find(job).map(j -> j.status() == JobStatus.PENDING).orElse(false);
    }

    private Optional<Target> byLandingFolder(ObjectArrival arrival) {
        if (settings.landingBucket() == null || !settings.landingBucket().equals(arrival.bucket())) {
            return Optional.empty();
        }
        int slash = arrival.key().indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String dataset = arrival.key().substring(0, slash);
        return Optional.of(new Target(dataset, DataLocation.uri(arrival.bucket(), dataset + "/"), null, null, null, true));
    }

    private ImportJob newJob(Target target, ObjectArrival first) {
        Instant now = clock.instant();
        String prefix = target.datasetName().length() > 36 ? target.datasetName().substring(0, 36) : target.datasetName();
        String name = prefix + "-s3-" + STAMP.format(now) + "-"
                + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
        double maxFailed = target.maxFailedRowsPercent() == null
                ? ImportJob.DEFAULT_MAX_FAILED_ROWS_PERCENT : target.maxFailedRowsPercent();
        return new ImportJob(name, target.datasetName(), target.location(), ImportMode.INCREMENTAL, JobStatus.PENDING,
                now, now, null, target.roleArn(), java.util.Map.of(), false, maxFailed, ImportStatistics.EMPTY, null, null,
                new ImportTrigger(ImportTrigger.Type.S3_EVENT, target.dataSourceName()));
    }

    private void startIfFirst(ImportJob job) {
        try {
            if (jobs.queueHead(job.datasetName()).filter(job.name()::equals).isPresent()) {
                starter.start(job.name());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not start the workflow of job {}; it starts when unfinished jobs are resumed", job.name(), e);
        }
    }

    /** The objects an arrival-batch job imports, in key order. */
    public List<ObjectArrival> objects(String jobName) {
        return jobs.batchObjects(jobName);
    }
}
