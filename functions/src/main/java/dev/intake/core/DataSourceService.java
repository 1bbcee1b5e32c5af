package dev.intake.core;

import dev.intake.core.ports.DataSourceStore;
import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.Page;
import dev.intake.core.ports.SourceSchedules;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved data sources: creating, changing and deleting them together with their schedules, and
 * running them. A run is an ordinary import job (so a run while the previous one is still going
 * waits behind it in the dataset's queue) that records what started it.
 *
 * <p>Disabling a source stops its schedule (and its S3-event runs); a run by hand
 * ({@link #run}) is still allowed: disabling stops what runs by itself, not deliberate runs.
 */
public final class DataSourceService {
    private static final Logger LOG = LoggerFactory.getLogger(DataSourceService.class);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final DataSourceStore sources;
    private final DatasetStore datasets;
    private final SourceSchedules schedules;
    private final ImportJobService jobs;
    private final ImportAccess access;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public DataSourceService(DataSourceStore sources, DatasetStore datasets, SourceSchedules schedules,
                             ImportJobService jobs, ImportAccess access, Clock clock) {
        this.sources = sources;
        this.datasets = datasets;
        this.schedules = schedules;
        this.jobs = jobs;
        this.access = access;
        this.clock = clock;
    }

    /** What a caller asks for when creating a data source. */
    public record NewDataSource(String name, String location, String datasetName, ImportMode importMode,
                                SourceSchedule schedule, Boolean enabled, String roleArn, Double maxFailedRowsPercent,
                                Map<String, String> tags) {
    }

    /**
     * What an update changes; a null member keeps what the source has.
     *
     * @param removeSchedule drop the schedule (with no {@code schedule} given)
     * @param removeRoleArn  read as Intake's own roles again (with no {@code roleArn} given)
     */
    public record Changes(String location, String datasetName, ImportMode importMode, SourceSchedule schedule,
                          boolean removeSchedule, Boolean enabled, String roleArn, boolean removeRoleArn,
                          Double maxFailedRowsPercent) {
    }

    /** What a schedule's firing did: the job it started (or had started on an earlier try), or why none. */
    public record ScheduledRun(ImportJob job, String skipped) {
    }

    /**
     * Stores the source and then makes its schedule; a schedule that cannot be made takes the stored
     * source away again, so a failed create leaves nothing behind.
     */
    public DataSource create(NewDataSource request) {
        Instant now = clock.instant();
        DataSource source = new DataSource(request.name(), DataLocation.parse(request.location()), request.datasetName(),
                request.importMode(), request.schedule(), request.enabled() == null || request.enabled(),
                request.roleArn(), request.maxFailedRowsPercent(), request.tags(), now, now, 1);
        check(source);
        sources.create(source);
        try {
            schedules.put(source);
        } catch (RuntimeException e) {
            sources.delete(source.name());
            throw e;
        }
        return source;
    }

    /**
     * The data source whose location holds the object (the longest matching folder wins), as the
     * target of objects arriving there; empty if none does. Sources that import only when they run
     * take no arrivals.
     */
    public java.util.Optional<ObjectArrivals.Target> covering(String bucket, String key) {
        return sources.all().stream()
                .filter(s -> !s.runsOnly() && s.location().bucket().equals(bucket) && key.startsWith(s.location().key()))
                .max(java.util.Comparator.comparingInt(s -> s.location().key().length()))
                .map(s -> new ObjectArrivals.Target(s.datasetName(), s.location().uri(), s.name(), s.roleArn(),
                        s.maxFailedRowsPercent(), s.enabled()));
    }

    public DataSource describe(String name) {
        return sources.find(name).orElseThrow(() -> notFound(name));
    }

    public Page<DataSource> list(String startAfter, int limit) {
        return sources.list(startAfter, limit);
    }

    /**
     * Changes a source: its schedule first, then the record, conditional on the version read; if the
     * record cannot be written (changed or deleted meanwhile), the schedule is put back to match what
     * is stored.
     */
    public DataSource update(String name, Changes changes) {
        if (changes.removeSchedule() && changes.schedule() != null) {
            throw IntakeException.invalid("Give either a schedule or removeSchedule, not both");
        }
        if (changes.removeRoleArn() && changes.roleArn() != null) {
            throw IntakeException.invalid("Give either a roleArn or removeRoleArn, not both");
        }
        DataSource current = describe(name);
        DataSource changed = new DataSource(name,
                changes.location() == null ? current.location() : DataLocation.parse(changes.location()),
                changes.datasetName() == null ? current.datasetName() : changes.datasetName(),
                changes.importMode() == null ? current.importMode() : changes.importMode(),
                changes.removeSchedule() ? null : changes.schedule() == null ? current.schedule() : changes.schedule(),
                changes.enabled() == null ? current.enabled() : changes.enabled(),
                changes.removeRoleArn() ? null : changes.roleArn() == null ? current.roleArn() : changes.roleArn(),
                changes.maxFailedRowsPercent() == null ? current.maxFailedRowsPercent() : changes.maxFailedRowsPercent(),
                current.tags(), current.createdAt(), clock.instant(), current.version() + 1);
        check(changed);
        schedules.put(changed);
        try {
            sources.update(changed, current.version());
        } catch (RuntimeException e) {
            try {
                Optional<DataSource> stored = sources.find(name);
                if (stored.isPresent()) {
                    schedules.put(stored.get());
                } else {
                    schedules.delete(name);
                }
            } catch (RuntimeException restore) {
                e.addSuppressed(restore);
                LOG.error("data source {}: its schedule may not match the stored source; update it again", name, restore);
            }
            throw e;
        }
        return changed;
    }

    /** Deletes the schedule, then the source (so a failure leaves a source that can be deleted again). */
    public void delete(String name) {
        describe(name);
        schedules.delete(name);
        sources.delete(name);
    }

    /**
     * Starts an import of the source's location now (StartDataSourceRun, or an S3 event with its
     * trigger). Allowed when the source is disabled: disabling stops runs that start by themselves.
     */
    public ImportJob run(String name, ImportTrigger trigger) {
        DataSource source = describe(name);
        for (int attempt = 1; ; attempt++) {
            // Unique per second and 16 random bits: two runs at once get two jobs.
            String job = source.name() + "-r-" + SECOND.format(clock.instant()) + "-"
                    + HexFormat.of().toHexDigits((short) random.nextInt(1 << 16));
            try {
                return jobs.create(newImport(source, job, trigger));
            } catch (IntakeException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * A schedule fired. Its job is named after the source and the scheduled minute, so a retried
     * invocation finds the job it made before instead of making a second one. A source that is gone,
     * disabled or no longer scheduled starts nothing (the schedule fired as it was being changed); so
     * does one whose import would be refused (a dataset deleted, a location no longer allowed), which
     * is logged: retrying would not help.
     */
    public ScheduledRun runScheduled(String name, Instant scheduledTime) {
        Optional<DataSource> found = sources.find(name);
        if (found.isEmpty() || !found.get().scheduled()) {
            String why = found.isEmpty() ? "the data source does not exist"
                    : !found.get().enabled() ? "the data source is disabled" : "the data source has no schedule";
            LOG.info("schedule of data source {} fired for {}; nothing started: {}", name, scheduledTime, why);
            return new ScheduledRun(null, why);
        }
        String job = scheduledJobName(name, scheduledTime);
        try {
            return new ScheduledRun(jobs.create(newImport(found.get(), job, new ImportTrigger(ImportTrigger.Type.SCHEDULE,
                    name))), null);
        } catch (IntakeException e) {
            if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                return new ScheduledRun(jobs.describe(job), null); // a retried invocation: started already
            }
            LOG.warn("schedule of data source {} fired for {}; its import was refused: {}", name, scheduledTime,
                    e.getMessage());
            return new ScheduledRun(null, e.getMessage());
        }
    }

    /** {@code <source>-s-<yyyyMMdd-HHmm>}, the scheduled minute in UTC: at most 56 characters. */
    public static String scheduledJobName(String source, Instant scheduledTime) {
        return source + "-s-" + MINUTE.format(scheduledTime);
    }

    private static NewImport newImport(DataSource source, String jobName, ImportTrigger trigger) {
        return new NewImport(jobName, source.datasetName(), source.location().uri(), source.importMode(),
                source.roleArn(), source.tags(), false, source.maxFailedRowsPercent(), trigger);
    }

    /** What an import of it would be refused for now: its dataset, location and role. */
    private void check(DataSource source) {
        Dataset dataset = datasets.find(source.datasetName())
                .orElseThrow(() -> IntakeException.notFound("Dataset '" + source.datasetName() + "' does not exist"));
        if (dataset.status().deleting()) {
            throw new IntakeException(ErrorKind.IN_USE, "Dataset '" + dataset.name() + "' is being deleted");
        }
        access.check(source.location(), source.roleArn());
    }

    private static IntakeException notFound(String name) {
        return IntakeException.notFound("Data source '" + name + "' does not exist");
    }
}
