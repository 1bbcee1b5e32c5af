package dev.intake.core.export;

import dev.intake.core.DataLocation;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportAccess;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.ExportJobStore;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.WorkflowStarter;
import java.time.Clock;
import java.time.Instant;

/**
 * Creating, describing and listing dataset export jobs; the export itself is {@link ExportWorkflow},
 * run by its state machine.
 *
 * <p>Where exports may write: inside the deployment's import sources, as one of its allowed roles
 * ({@link ImportAccess}), the only S3 locations and roles a deployment is configured to touch.
 */
public final class ExportJobService {
    private final ExportJobStore store;
    private final DatasetStore datasets;
    private final WorkflowStarter starter;
    private final ImportAccess access;
    private final Clock clock;

    public ExportJobService(ExportJobStore store, DatasetStore datasets, WorkflowStarter starter, ImportAccess access,
                            Clock clock) {
        this.store = store;
        this.datasets = datasets;
        this.starter = starter;
        this.access = access;
        this.clock = clock;
    }

    /** Stores the job PENDING and starts its execution. */
    public ExportJob create(NewExport request) {
        Dataset dataset = datasets.find(request.dataset())
                .orElseThrow(() -> IntakeException.notFound("Dataset '" + request.dataset() + "' does not exist"));
        if (dataset.status().deleting()) {
            throw new IntakeException(ErrorKind.IN_USE, "Dataset '" + request.dataset() + "' is being deleted");
        }
        DataLocation folder = destination(request.path());
        try {
            access.check(folder, request.roleArn());
        } catch (IntakeException e) {
            throw e.kind() != ErrorKind.ACCESS_DENIED ? e : new IntakeException(ErrorKind.ACCESS_DENIED,
                    "Exports write only inside the import sources, as a role jobs may name. " + e.getMessage());
        }
        Instant now = clock.instant();
        ExportJob job = new ExportJob(request.name(), request.dataset(), request.ingestionMode(), request.roleArn(),
                request.path(), request.kmsKeyArn(), request.tags(), ExportStatus.PENDING, null, now, now, null);
        store.create(job);
        starter.start(job.name()); // a lost start leaves it PENDING: the execution's name makes a retry safe
        return job;
    }

    /**
     * The folder a path names: {@code s3://bucket/folder/} (a path without the final slash names the
     * same folder; {@code s3://bucket/} the bucket's top). Other schemes are refused: Intake writes
     * through S3's API only.
     */
    public static DataLocation destination(String path) {
        if (path == null || !path.startsWith("s3://")) {
            throw IntakeException.invalid("jobOutput.s3DataDestination.path must be an S3 folder (s3://bucket/folder/), not '"
                    + path + "'");
        }
        DataLocation location = DataLocation.parse(path);
        return location.isFolder() ? location : new DataLocation(location.bucket(), location.key() + "/");
    }

    /**
     * Starts the execution of every export job that has not ended (after a restart of the local
     * runtime, whose executions died with it): its steps are idempotent, so it runs again from its
     * first part.
     */
    public int resumeUnfinished() {
        int resumed = 0;
        String after = null;
        do {
            Page<ExportJob> page = store.list(null, after, 100);
            for (ExportJob job : page.items()) {
                if (!job.status().ended()) {
                    starter.start(job.name());
                    resumed++;
                }
            }
            after = page.lastKey();
        } while (after != null);
        return resumed;
    }

    public ExportJob describe(String name) {
        return store.find(name).orElseThrow(() -> IntakeException.notFound("Dataset export job '" + name + "' does not exist"));
    }

    public java.util.Optional<ExportJob> find(String name) {
        return store.find(name);
    }

    /** Jobs by name; only a dataset's, if it is given. */
    public Page<ExportJob> list(String dataset, String startAfter, int limit) {
        return store.list(dataset, startAfter, limit);
    }
}
