package dev.intake.core;

import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.WorkflowStarter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starting and reading import jobs; the workflow does the importing. */
public final class ImportJobService {
    private static final Logger LOG = LoggerFactory.getLogger(ImportJobService.class);

    private final DatasetStore datasets;
    private final JobStore jobs;
    private final WorkflowStarter workflow;
    private final ImportMetrics metrics;
    private final ImportAccess access;
    private final Clock clock;

    /** @param access where jobs may read from and which roles they may name: checked before a job is stored */
    public ImportJobService(DatasetStore datasets, JobStore jobs, WorkflowStarter workflow, ImportMetrics metrics,
                            ImportAccess access, Clock clock) {
        this.datasets = datasets;
        this.access = access;
        this.jobs = jobs;
        this.workflow = workflow;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Stores a PENDING job and starts its execution. A request this deployment does not allow (its
     * location outside the import sources, a role not listed) is refused before anything is stored.
     */
    public ImportJob create(NewImport request) {
        access.check(DataLocation.parse(request.dataLocation()), request.roleArn());
        Dataset dataset = datasets.find(request.datasetName())
                .orElseThrow(() -> IntakeException.notFound("Dataset '" + request.datasetName() + "' does not exist"));
        if (dataset.status().deleting()) {
            throw new IntakeException(ErrorKind.IN_USE, "Dataset '" + dataset.name() + "' is being deleted");
        }
        ImportMode mode = request.mode() == null ? ImportMode.FULL : request.mode();
        if (mode == ImportMode.INCREMENTAL && !dataset.fullImported()) {
            throw IntakeException.invalid("Dataset '" + dataset.name()
                    + "' has no completed FULL import yet; import it with importMode FULL before INCREMENTAL");
        }
        double maxFailed = request.maxFailedRowsPercent() == null
                ? ImportJob.DEFAULT_MAX_FAILED_ROWS_PERCENT : request.maxFailedRowsPercent();
        if (!(maxFailed >= 0 && maxFailed <= 100)) {
            throw IntakeException.invalid("maxFailedRowsPercent must be between 0 and 100");
        }
        Instant now = clock.instant();
        ImportJob job = new ImportJob(request.jobName(), dataset.name(), request.dataLocation(), mode,
                JobStatus.PENDING, now, now, null, request.roleArn(), request.tags(), request.publishStatistics(),
                maxFailed, ImportStatistics.EMPTY, null, null, request.trigger());
        jobs.create(job);
        metrics.jobStarted(job);
        try {
            // Only the job first in its dataset's queue runs; the others are started, one by one, by
            // the end of the job before them.
            if (jobs.queueHead(dataset.name()).filter(job.name()::equals).isPresent()) {
                workflow.start(job.name());
            }
        } catch (RuntimeException e) {
            // The job is stored and PENDING; the resumer starts its execution within minutes.
            LOG.warn("could not start the workflow of job {}; it starts when unfinished jobs are resumed", job.name(), e);
        }
        return job;
    }

    public ImportJob describe(String name) {
        return jobs.find(name).orElseThrow(() -> IntakeException.notFound("Import job '" + name + "' does not exist"));
    }

    /**
     * How many minutes a running job still needs, estimated from its first pass: the share of its
     * planned bytes that chunks have finished, and the time since it started. Whatever is left after
     * the first pass (a second pass for contested keys, Finish) is not in it. Rounded up, so a job
     * with anything left shows at least 1; 0 once every chunk is done. Empty when the job is not
     * running (pending, stopping or ended), has no plan yet or has not finished a chunk: nothing to go by.
     */
    public java.util.OptionalLong estimatedMinutesRemaining(ImportJob job) {
        long planned = job.statistics().bytes();
        if (job.status() != JobStatus.IN_PROGRESS || planned <= 0) {
            return java.util.OptionalLong.empty();
        }
        long done = Math.min(planned, jobs.progress(job.name()).bytes());
        long elapsed = java.time.Duration.between(job.updatedAt(), clock.instant()).toMillis(); // updatedAt: when it started
        if (done <= 0 || elapsed < 0) {
            return java.util.OptionalLong.empty();
        }
        double remainingMillis = (double) elapsed * (planned - done) / done;
        return java.util.OptionalLong.of((long) Math.ceil(remainingMillis / 60_000));
    }

    /**
     * How far a running job has got ({@link ImportProgress}): empty unless it is IN_PROGRESS. Before
     * its plan is recorded the totals are 0; before a chunk is done nothing is estimated.
     */
    public java.util.Optional<ImportProgress> progress(ImportJob job) {
        if (job.status() != JobStatus.IN_PROGRESS) {
            return java.util.Optional.empty();
        }
        var done = jobs.progress(job.name());
        ImportStatistics plan = job.statistics();
        return java.util.Optional.of(ImportProgress.of(plan.filesIngested(), plan.bytes(), done.bytes(), done.rows(),
                java.time.Duration.between(job.updatedAt(), clock.instant()))); // updatedAt: when it started
    }

    /** Jobs in creation order: of one dataset, or all when {@code datasetName} is null (see JobStore.listJobs). */
    public dev.intake.core.ports.Page<ImportJob> list(String datasetName, String startAfter, int limit) {
        return jobs.listJobs(datasetName, startAfter, limit);
    }
}
