package dev.intake.core;

import dev.intake.core.ports.DatasetStore;
import dev.intake.core.ports.JobStore;
import dev.intake.core.ports.ImportMetrics;
import dev.intake.core.ports.TimestampRules;
import dev.intake.core.ports.ObjectStoreException;
import dev.intake.core.ports.ObjectStores;
import dev.intake.core.ports.RecordStore;
import dev.intake.core.ports.WorkflowStarter;
import dev.intake.core.ports.WorkflowStarter.ExecutionStatus;
import dev.intake.core.stats.FieldStatistics;
import dev.intake.core.stats.FieldSummaries;
import dev.intake.core.format.ChunkRecords;
import dev.intake.core.format.DataFormat;
import dev.intake.core.format.RawRow;
import dev.intake.core.format.RowReader;
import dev.intake.core.format.RowReaders;
import dev.intake.core.ports.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;

/**
 * The steps the state machine runs for one job: wait for the dataset's turn, start, plan, ingest
 * chunks, finish (or fail). Every step may be retried and is idempotent.
 */
public final class ImportWorkflow {
    /** How many row errors the failure reason names. */
    static final int ERRORS_IN_REASON = 3;
    static final int MAX_REASON_CHARS = 2000;
    /** Where a job keeps its working files in the results bucket; they are deleted when it ends. */
    public static final String WORK = "work/";
    /** Where error reports go in the results bucket ({@code <prefix><job>.csv}). */
    public static final String ERROR_REPORTS = "error-reports/";
    /** Where statistics reports go in the results bucket ({@code <prefix><job>.json}). */
    public static final String STATISTICS = "statistics/";

    private final DatasetStore datasets;
    private final JobStore jobs;
    private final RecordStore records;
    private final ObjectStores objects;
    private final ImportMetrics metrics;
    private final EngineSettings settings;
    private final Clock clock;
    private final ImportPlanner planner;
    private final ChunkIngester ingester;
    private final WorkflowStarter starter;
    private final TimestampRules timestampRules;
    private final dev.intake.core.ports.FileRules fileRules;

    public ImportWorkflow(DatasetStore datasets, JobStore jobs, RecordStore records, ObjectStores objects,
                          WorkflowStarter starter, ImportMetrics metrics, EngineSettings settings, Clock clock) {
        this(datasets, jobs, records, objects, starter, metrics, settings, clock, TimestampRules.NONE);
    }

    /** @param timestampRules how each job reads its rows' timestamps (a dialect's job settings decide) */
    public ImportWorkflow(DatasetStore datasets, JobStore jobs, RecordStore records, ObjectStores objects,
                          WorkflowStarter starter, ImportMetrics metrics, EngineSettings settings, Clock clock,
                          TimestampRules timestampRules) {
        this(datasets, jobs, records, objects, starter, metrics, settings, clock, timestampRules,
                dev.intake.core.ports.FileRules.NONE);
    }

    /** @param fileRules which files each job reads and what their keys give its rows (a dialect's job settings decide) */
    public ImportWorkflow(DatasetStore datasets, JobStore jobs, RecordStore records, ObjectStores objects,
                          WorkflowStarter starter, ImportMetrics metrics, EngineSettings settings, Clock clock,
                          TimestampRules timestampRules, dev.intake.core.ports.FileRules fileRules) {
        this.timestampRules = timestampRules;
        this.fileRules = fileRules;
        this.starter = starter;
        this.datasets = datasets;
        this.jobs = jobs;
        this.records = records;
        this.objects = objects;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.planner = new ImportPlanner(settings.targetChunkBytes());
        this.ingester = new ChunkIngester(records, settings.errorReportRows());
    }

    /** What the workflow should do next about a job's turn. */
    public enum Turn {
        /** The job is first in its dataset's queue: run it. */
        GO,
        /** Another import of the dataset runs first: wait and ask again. */
        WAIT,
        /** The job already ended (a repeated execution): nothing to do. */
        DONE,
        /**
         * The job is an arrival batch whose window has not passed: wait until
         * {@link #collectingUntil} and ask again (the job stays PENDING, later arrivals join it).
         */
        COLLECT
    }

    public Turn turn(String jobName) {
        ImportJob job = job(jobName);
        if (job.status().isTerminal()) {
            return Turn.DONE;
        }
        return jobs.queueHead(job.datasetName()).filter(jobName::equals).isPresent() ? Turn.GO : Turn.WAIT;
    }

    /**
     * The execution's first step: runs the job if it is first in its dataset's queue. An execution
     * that finds another job first (a race of starters) or its job ended just stops; the job is
     * started again when it comes first.
     */
    public Turn begin(String jobName) {
        return startStep(jobName).turn();
    }

    /** What the Start step decided: the turn, and for COLLECT until when the batch collects. */
    public record StartStep(Turn turn, java.time.Instant until) {
    }

    /** {@link #begin}, also saying until when an arrival batch collects (read once, for the Wait state). */
    public StartStep startStep(String jobName) {
        Turn turn = turn(jobName);
        if (turn == Turn.GO) {
            Optional<java.time.Instant> until = collectingUntil(jobName);
            if (until.isPresent()) {
                return new StartStep(Turn.COLLECT, until.get());
            }
            start(jobName);
        }
        return new StartStep(turn, null);
    }

    /**
     * Until when an arrival-batch job, first in its dataset's queue, still collects objects. Once
     * its window has passed the batch is closed (the job imports exactly what it holds; the next
     * arrival opens another batch) and empty is returned, as for any other job.
     */
    public Optional<java.time.Instant> collectingUntil(String jobName) {
        ImportJob job = job(jobName);
        if (job.trigger().type() != ImportTrigger.Type.S3_EVENT || job.status() != JobStatus.PENDING) {
            return Optional.empty();
        }
        String batch = ObjectArrivals.batchKey(job.datasetName(), job.trigger().dataSourceName());
        Optional<JobStore.OpenBatch> open = jobs.openBatch(batch).filter(b -> b.job().equals(jobName));
        if (open.isEmpty()) {
            return Optional.empty();
        }
        if (clock.instant().isBefore(open.get().until())) {
            return Optional.of(open.get().until());
        }
        jobs.closeBatch(batch, jobName);
        return Optional.empty();
    }

    /**
     * An execution of a job ended (Step Functions' status-change event, or the local executor's).
     * If it ended without running the job's own end steps (stopped, timed out, or failed outside
     * them, such as MarkFailed itself failing or a payload over Step Functions' limits), the job
     * ends FAILED with a reason. Either way the dataset's next job starts: a job that ends always
     * hands its dataset on, and nothing waits in a polling loop.
     *
     * @return the job's dataset (whose retired generations the caller has deleted next), if the job exists
     */
    public Optional<String> executionEnded(String executionName, ExecutionStatus status, String error) {
        String jobName = WorkflowStarter.jobOf(executionName);
        ImportJob job = jobs.find(jobName).orElse(null);
        if (job == null) {
            return Optional.empty();
        }
        if (!job.status().isTerminal() && !newerAttemptRuns(jobName, executionName)) {
            if (job.status() == JobStatus.STOPPING) {
                endStopped(job); // the stopped execution (or any that ended while stopping) has ended
            } else if (status.abnormal()) {
                fail(jobName, abnormalEndReason(executionName, status, error));
            }
        }
        startNext(job.datasetName());
        return Optional.of(job.datasetName());
    }

    /** An event about an older attempt, delivered late, must not fail the attempt now running. */
    private boolean newerAttemptRuns(String jobName, String executionName) {
        return starter.latest(jobName)
                .filter(latest -> latest.status() == ExecutionStatus.RUNNING && !latest.name().equals(executionName))
                .isPresent();
    }

    static String abnormalEndReason(String executionName, ExecutionStatus status, String error) {
        return switch (status) {
            case ABORTED -> "The import's workflow (execution " + executionName + ") was stopped before the job ended";
            case TIMED_OUT -> "The import's workflow (execution " + executionName + ") timed out before the job ended";
            default -> "The import's workflow (execution " + executionName + ") failed before the job ended: "
                    + ("States.DataLimitExceeded".equals(error)
                    ? "a step's data exceeded Step Functions' 256 KiB limit (States.DataLimitExceeded)"
                    : error == null || error.isEmpty() ? "no error was given" : "error " + cap(error, 200));
        };
    }

    /** Starts the execution of the job first in the dataset's queue, if one waits and none runs. */
    public void startNext(String datasetName) {
        jobs.queueHead(datasetName).ifPresent(starter::start);
    }

    /**
     * The safety net, run on a schedule and when the local runtime starts: for every dataset with
     * unfinished jobs, the job first in its queue has an execution running; one whose latest
     * execution ended abnormally without ending it (a status-change event that was lost) is failed
     * and the next one started. Returns how many queue heads were looked at.
     */
    public int resumeUnfinished() {
        java.util.Set<String> datasetsSeen = new java.util.HashSet<>();
        java.util.Set<String> heads = new java.util.LinkedHashSet<>();
        for (String name : jobs.unfinished()) {
            // one queue read per dataset, however many jobs wait in it
            jobs.find(name).map(ImportJob::datasetName).filter(datasetsSeen::add)
                    .flatMap(jobs::queueHead).ifPresent(heads::add);
        }
        for (String head : heads) {
            var latest = starter.latest(head);
            if (latest.isEmpty() || latest.get().status() == ExecutionStatus.SUCCEEDED) {
                starter.start(head); // never started, or its execution found it was not its turn then
            } else if (latest.get().status().abnormal()) {
                executionEnded(latest.get().name(), latest.get().status(), null);
            }
        }
        return heads.size();
    }

    public void start(String jobName) {
        if (!jobs.transition(jobName, JobStatus.PENDING, JobStatus.IN_PROGRESS, clock.instant())) {
            JobStatus now = job(jobName).status();
            if (now == JobStatus.STOPPING) {
                // an execution started to end a stop whose execution had ended: MarkFailed ends it STOPPED
                throw new ImportFailedException("Import job '" + jobName + "' is being stopped");
            }
            if (now != JobStatus.IN_PROGRESS) {
                throw new ImportFailedException("Import job '" + jobName + "' cannot start from status " + now);
            }
        }
    }

    /**
     * Plans the import once: the files, their versions (ETags) and the chunks are kept with the job,
     * and a retried, concurrent or resumed Plan step returns exactly that plan rather than look at
     * the location again (where files may have been added, replaced or removed since).
     */
    public List<ChunkTask> plan(String jobName) {
        ImportJob job = job(jobName);
        if (job.status() != JobStatus.IN_PROGRESS) {
            throw new JobNotRunningException(jobName);
        }
        Optional<String> stored = jobs.plan(jobName);
        if (stored.isPresent()) {
            return readPlan(jobName, stored.get()).chunks();
        }
        Dataset dataset = dataset(job);
        DataLocation location = DataLocation.parse(job.dataLocation());
        try {
            // Checked when the job was created; again here for a job created under a wider setting.
            settings.access().check(location, job.roleArn());
        } catch (IntakeException e) {
            throw new ImportFailedException(e.getMessage());
        }
        ImportPlanner.Plan plan;
        FileRule rule = fileRules.forJob(job, dataset).orElse(null);
        try {
            ObjectStore store = objects.forJob(jobName, job.roleArn(), location);
            // An arrival batch, or a data source run that imports only what changed (JobStore.putJobObjects),
            // imports exactly its objects; any other job, what its location holds.
            List<ObjectArrival> exactly = jobs.batchObjects(jobName);
            plan = job.trigger().type() == ImportTrigger.Type.S3_EVENT || !exactly.isEmpty()
                    ? planner.planArrivals(store, location, exactly, dataset.recordSchema(), rule)
                    : planner.plan(store, location, dataset.recordSchema(), rule);
        } catch (ObjectStoreException e) {
            if (e.isTransient()) {
                throw new TransientImportException(e.getMessage(), e);
            }
            throw new ImportFailedException(e.getMessage());
        }
        if (rule != null) {
            fileRules.planned(job, plan.discarded()); // before the plan is recorded, so a crash in between loses nothing
        }
        String key = WORK + jobName + "/plan-" + UUID.randomUUID() + ".json";
        putWork(key, PlanCodec.write(plan));
        String recorded = jobs.recordPlan(jobName, plan.files(), key).orElseThrow(() -> new JobNotRunningException(jobName));
        // Another attempt recorded its plan first: that one is the job's plan.
        return recorded.equals(key) ? plan.chunks() : readPlan(jobName, recorded).chunks();
    }

    /**
     * {@link #plan}, the chunks written as the manifest of pass 1 ({@link ChunkManifest}) for the
     * state machine's Distributed Map. The manifest is made from the recorded plan, at a key fixed by
     * the job, so a retried or concurrent Plan step writes the same bytes to the same object.
     */
    public ChunkManifest planManifest(String jobName) {
        return writeManifest(jobName, 1, plan(jobName));
    }

    /**
     * {@link #reconcile}, the chunks it chose written as the manifest of pass 2; a manifest of no
     * chunks (key null, nothing written) when none is to be counted again.
     */
    public ChunkManifest reconcileManifest(String jobName, int chunkCount) {
        List<Integer> recount = reconcile(jobName, chunkCount);
        if (recount.isEmpty()) {
            return new ChunkManifest(settings.resultsBucket(), null, 0);
        }
        java.util.Set<Integer> chosen = java.util.Set.copyOf(recount);
        return writeManifest(jobName, 2, plan(jobName).stream().filter(c -> chosen.contains(c.index())).toList());
    }

    private ChunkManifest writeManifest(String jobName, int pass, List<ChunkTask> chunks) {
        String key = ChunkManifest.key(jobName, pass);
        try {
            // One PUT: about 200 bytes a chunk, so even 100,000 chunks are some 20 MB.
            results().put(settings.resultsBucket(), key, ChunkManifest.jsonLines(chunks), "application/jsonl");
        } catch (ObjectStoreException e) {
            throw new TransientImportException("Could not store the chunk manifest " + key + " in the results bucket: "
                    + e.getMessage(), e);
        }
        return new ChunkManifest(settings.resultsBucket(), key, chunks.size());
    }

    private ImportPlanner.Plan readPlan(String jobName, String key) {
        try (InputStream in = results().read(settings.resultsBucket(), key)) {
            return PlanCodec.read(in.readAllBytes());
        } catch (IOException | UncheckedIOException | ObjectStoreException e) {
            throw new TransientImportException("Could not read the plan of import job '" + jobName + "' (" + key + "): "
                    + e.getMessage(), e);
        }
    }

    /** Ingests a chunk in the import's first pass. */
    public ChunkResult ingest(String jobName, ChunkTask chunk) {
        return ingest(jobName, chunk, 1);
    }

    /**
     * Ingests a chunk; idempotent per chunk and pass.
     *
     * @param pass 1 for the pass over all chunks; 2 to count a chunk again after {@link #reconcile}
     *             chose it, writing its contested keys even where they are unchanged
     */
    public ChunkResult ingest(String jobName, ChunkTask chunk, int pass) {
        var done = jobs.chunkResult(jobName, chunk.index(), pass);
        if (done.isPresent()) {
            return done.get();
        }
        ImportJob job = job(jobName);
        if (job.status() != JobStatus.IN_PROGRESS) {
            throw new JobNotRunningException(jobName); // a late chunk of a job that has ended
        }
        Dataset dataset = dataset(job);
        ChunkIngester.Target target = target(job, dataset);
        LongPredicate forced = pass == 2 ? contested(jobName)::contains : null;
        FileRule.FileFields given = fileRules.forJob(job, dataset)
                .flatMap(rule -> rule.fieldsFor(chunk.bucket(), chunk.key())).orElse(null);
        long throttledBefore = records.throttledRequests();
        ChunkIngester.Run run;
        try {
            run = ingester.ingest(objects.forJob(jobName, job.roleArn(), DataLocation.parse(job.dataLocation())), target,
                    dataset.recordSchema(), timestampRules.forJob(job, dataset).orElse(null), given, chunk, forced,
                    guard(jobName, target));
        } finally {
            // also when throttling outlasted the retries and the chunk will be run again
            metrics.storageThrottled(job, records.throttledRequests() - throttledBefore);
        }
        String keyHashes = null;
        if (run.keys() != null && run.keys().size() > 0) {
            keyHashes = WORK + jobName + "/keys/" + chunk.index() + "-" + UUID.randomUUID() + ".bin";
            putWork(keyHashes, run.keys().toSortedBytes());
        }
        List<RowError> errors = run.errors();
        if (errors.size() > ChunkResult.MAX_ERRORS) {
            // More than a chunk result holds: the chunk's first invalid rows go to a file of their own
            // (the same rows on every attempt, so the same file), for the error report.
            putWork(chunkErrorsKey(jobName, chunk.index(), pass), errorsCsv(errors).getBytes(StandardCharsets.UTF_8));
            errors = errors.subList(0, ChunkResult.MAX_ERRORS);
        }
        // the statistics keep the fields the file gave its rows: a dialect may tell them apart (Lookout's components)
        ChunkResult result = new ChunkResult(chunk.index(), pass, run.counts(), errors, keyHashes, run.unwritten(),
                run.fieldStatistics().withGiven(given == null ? Map.of() : given.values()), progressBytes(chunk),
                run.lineBreaks());
        ChunkResult stored = jobs.putChunkResult(jobName, result);
        if (stored.equals(result) && pass == 1) {
            metrics.chunkIngested(job, result.counts());
        }
        return stored;
    }

    /** The chunk's share of the job's planned bytes (the files' sizes): its range, as a file's chunks tile it. */
    static long progressBytes(ChunkTask chunk) {
        return chunk.end() - chunk.start();
    }

    /**
     * After every chunk's first pass of an INCREMENTAL import: finds the keys that occur more than
     * once in the import with an occurrence left unwritten because it was unchanged (such a row
     * leaves no trace a later row of the key could see, so its count, or which row won, may be
     * wrong), and returns the chunks to count again in pass 2, where those keys are written.
     * Deterministic: a retry returns the same chunks.
     */
    public List<Integer> reconcile(String jobName, int chunkCount) {
        ImportJob job = job(jobName);
        if (job.status().isTerminal() || job.mode() == ImportMode.FULL) {
            return List.of(); // FULL imports write every row; an ended job is finished by Finish
        }
        List<ChunkResult> first = jobs.chunkResults(jobName).stream().filter(r -> r.pass() == 1).toList();
        if (first.size() != chunkCount) {
            throw new TransientImportException("expected " + chunkCount + " chunk results, found " + first.size(), null);
        }
        if (first.stream().mapToLong(ChunkResult::unwritten).sum() == 0) {
            return List.of();
        }
        Map<Integer, InputStream> lists = new TreeMap<>();
        KeyHashes.Contested contested;
        try {
            for (ChunkResult r : first) {
                if (r.keyHashes() != null) {
                    lists.put(r.index(), results().read(settings.resultsBucket(), r.keyHashes()));
                }
            }
            contested = KeyHashes.merge(lists);
        } catch (ObjectStoreException | UncheckedIOException e) {
            lists.values().forEach(ImportWorkflow::closeQuietly);
            throw new TransientImportException("Could not read the chunks' key hashes: " + e.getMessage(), e);
        }
        if (!contested.chunks().isEmpty()) {
            putWork(contestedKey(jobName), contested.toBytes());
        }
        return List.copyOf(contested.chunks());
    }

    private KeyHashes.Contested contested(String jobName) {
        try (InputStream in = results().read(settings.resultsBucket(), contestedKey(jobName))) {
            return KeyHashes.Contested.read(in);
        } catch (IOException | UncheckedIOException | ObjectStoreException e) {
            throw new TransientImportException("Could not read the import's contested keys: " + e.getMessage(), e);
        }
    }

    private static String contestedKey(String jobName) {
        return WORK + jobName + "/contested.bin";
    }

    private void putWork(String key, byte[] bytes) {
        try {
            results().put(settings.resultsBucket(), key, bytes, "application/octet-stream");
        } catch (ObjectStoreException e) {
            throw new TransientImportException("Could not store " + key + " in the results bucket: " + e.getMessage(), e);
        }
    }

    private ObjectStore results() {
        return objects.own();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing; nothing more to do
        }
    }

    /**
     * Refuses the writes of a job that has ended. A write already on its way when the job ended can
     * still land; for a FULL import that is in the job's own generation, which readers never see
     * unless the job succeeded: when it did not, the generation is deleted again after such a write.
     */
    private ChunkIngester.Guard guard(String jobName, ChunkIngester.Target target) {
        return wroteAnything -> {
            if (job(jobName).status() == JobStatus.IN_PROGRESS) {
                return;
            }
            if (wroteAnything && target.full()) {
                boolean current = datasets.find(target.dataset()).map(d -> d.generation().equals(target.generation()))
                        .orElse(false);
                if (!current) {
                    records.deleteGeneration(target.dataset(), target.generation());
                }
            }
            throw new JobNotRunningException(jobName);
        };
    }

    /** Finishes a job whose import needed no second pass. */
    public ImportJob finish(String jobName, int chunkCount) {
        return finish(jobName, chunkCount, List.of());
    }

    /**
     * Sums the chunks, decides success against the failed-rows threshold and ends the job.
     *
     * @param recounted the chunks {@link #reconcile} chose: their second-pass results count
     */
    public ImportJob finish(String jobName, int chunkCount, Collection<Integer> recounted) {
        ImportJob job = job(jobName);
        if (job.status().isTerminal()) {
            cleanUp(job); // a retried Finish completes the clean-up
            return job;
        }
        if (job.status() == JobStatus.STOPPING) {
            endStopped(job); // a stop asked for before the end wins
            return job(jobName);
        }
        Map<Integer, ChunkResult> byIndex = new TreeMap<>();
        for (ChunkResult r : jobs.chunkResults(jobName)) {
            if (r.index() < chunkCount && r.pass() == (recounted.contains(r.index()) ? 2 : 1)) {
                byIndex.put(r.index(), r);
            }
        }
        if (byIndex.size() != chunkCount) {
            throw new TransientImportException("expected " + chunkCount + " chunk results, found " + byIndex.size(), null);
        }
        Collection<ChunkResult> results = byIndex.values();
        RecordCounts counts = results.stream().map(ChunkResult::counts).reduce(RecordCounts.ZERO, RecordCounts::plus);
        ImportStatistics stats = job.statistics().plusRecords(counts);
        List<RowError> errors = firstErrors(jobName, results);

        String errorReport = counts.failed() > 0 ? writeErrorReport(jobName, errors, counts.failed()) : null;
        String reason = failureReason(job, counts, errors, errorReport);
        JobStatus status = reason == null ? JobStatus.ACTIVE : JobStatus.FAILED;
        String statisticsReport = job.publishStatistics() ? writeStatistics(job, stats, status) : null;

        Dataset dataset = dataset(job);
        // Each chunk's statistics counted once, from the pass that counts (a retried chunk stored one result).
        Map<String, FieldStatistics> fields = status == JobStatus.ACTIVE
                ? FieldSummaries.merge(results.stream().map(ChunkResult::fieldStatistics).toList()).statistics()
                : Map.of();
        ImportJob finished = ended(job, status, reason, stats, statisticsReport, errorReport, fields);
        boolean full = job.mode() == ImportMode.FULL;
        String newGeneration = full && status == JobStatus.ACTIVE ? generationOf(job) : null;
        // A FULL import retires the generation it replaced, or, when it failed, its own.
        String retired = !full ? null : status == JobStatus.ACTIVE ? dataset.generation() : generationOf(job);
        if (jobs.finish(finished, newGeneration, retired)) {
            metrics.jobEnded(finished);
        }
        cleanUp(job);
        return job(jobName);
    }

    /**
     * {@link #finish(String, int, Collection)} after a second pass over {@code recountCount} chunks
     * (which Reconcile chose and wrote into the pass-2 manifest): the chunks recounted are those with
     * a second-pass result, and there must be exactly that many.
     */
    public ImportJob finishAfterRecount(String jobName, int chunkCount, int recountCount) {
        java.util.Set<Integer> recounted = jobs.chunkResults(jobName).stream().filter(r -> r.pass() == 2)
                .map(ChunkResult::index).collect(Collectors.toSet());
        ImportJob job = job(jobName);
        if (recounted.size() != recountCount && job.status() == JobStatus.IN_PROGRESS) {
            throw new TransientImportException("expected " + recountCount + " second-pass chunk results, found "
                    + recounted.size(), null);
        }
        return finish(jobName, chunkCount, recounted);
    }

    /** Ends a job as FAILED with the given reason (the state machine's catch-all). */
    public ImportJob fail(String jobName, String reason) {
        ImportJob job = job(jobName);
        if (job.status() == JobStatus.STOPPING) {
            // most often the stop itself: the chunks it refused made the execution fail
            endStopped(job);
        } else if (!job.status().isTerminal()) {
            ImportJob failed = ended(job, JobStatus.FAILED, reason, job.statistics(), null, null);
            if (jobs.finish(failed, null, job.mode() == ImportMode.FULL ? generationOf(job) : null)) {
                metrics.jobEnded(failed);
            }
        }
        cleanUp(job);
        return job(jobName);
    }

    /**
     * Stops a job that has not ended (Intake's StopImportJob, Forecast's StopResource). A PENDING job
     * ends STOPPED at once, leaves its dataset's queue and the next job starts. A running one becomes
     * STOPPING, which its chunks see before their next batch of writes (they write no more), and its
     * execution is stopped; the job ends STOPPED when the execution has ended ({@link #executionEnded}).
     * Stopping a STOPPING job again changes nothing.
     *
     * @throws IntakeException NOT_FOUND for no such job, INVALID_INPUT for a job that has ended
     */
    public ImportJob stop(String jobName) {
        ImportJob job = jobs.find(jobName)
                .orElseThrow(() -> IntakeException.notFound("Import job '" + jobName + "' does not exist"));
        switch (job.status()) {
            case PENDING -> {
                // It never ran, so it wrote nothing and has no working files: nothing to retire or delete.
                ImportJob stopped = ended(job, JobStatus.STOPPED, stopReason(job), job.statistics(), null, null);
                if (!jobs.finish(stopped, null, null)) {
                    return stop(jobName); // it started (or ended) meanwhile: stop it as it is now
                }
                metrics.jobEnded(stopped);
                // An execution waiting for the job's turn or for its batch to fill ends at its next step
                // anyway; stopping it hands the dataset on now.
                starter.latest(jobName).filter(e -> e.status() == ExecutionStatus.RUNNING)
                        .ifPresent(e -> starter.stop(e.name(), "Import job " + jobName + " was stopped"));
                startNext(job.datasetName());
            }
            case IN_PROGRESS -> {
                if (!jobs.transition(jobName, JobStatus.IN_PROGRESS, JobStatus.STOPPING, clock.instant())) {
                    return stop(jobName); // it ended meanwhile
                }
                stopExecution(jobName);
            }
            case STOPPING -> stopExecution(jobName); // asked again: make sure its execution ends
            default -> throw IntakeException.invalid("Import job '" + jobName + "' has already ended (" + job.status()
                    + "); only a job that has not ended can be stopped");
        }
        return job(jobName);
    }

    /**
     * Stops a STOPPING job's execution; the end of the execution ends the job. When none runs (it
     * ended, or its start was lost) a new one is started: its Start step refuses the job and its
     * MarkFailed step ends it STOPPED (see {@link #fail}).
     */
    private void stopExecution(String jobName) {
        var latest = starter.latest(jobName);
        if (latest.isPresent() && latest.get().status() == ExecutionStatus.RUNNING) {
            starter.stop(latest.get().name(), "Import job " + jobName + " was stopped");
        } else {
            starter.start(jobName);
        }
    }

    /**
     * Ends a STOPPING (or PENDING) job STOPPED. A FULL import's generation is retired, as a failed
     * one's is: readers never saw it, and the dataset stays as it was. An INCREMENTAL import's rows
     * stay; its statistics count those of the chunks whose results were stored (a chunk cut off
     * mid-way stores none).
     */
    private void endStopped(ImportJob job) {
        boolean full = job.mode() == ImportMode.FULL;
        ImportStatistics stats = full ? job.statistics() : job.statistics().plusRecords(appliedCounts(job.name()));
        ImportJob stopped = ended(job, JobStatus.STOPPED, stopReason(job), stats, null, null);
        if (jobs.finish(stopped, null, full ? generationOf(job) : null)) {
            metrics.jobEnded(stopped);
        }
        cleanUp(job);
    }

    /** The counts of every chunk that stored a result: its second pass where it has one, else its first. */
    private RecordCounts appliedCounts(String jobName) {
        Map<Integer, ChunkResult> byIndex = new TreeMap<>();
        for (ChunkResult r : jobs.chunkResults(jobName)) {
            byIndex.merge(r.index(), r, (a, b) -> a.pass() >= b.pass() ? a : b);
        }
        return byIndex.values().stream().map(ChunkResult::counts).reduce(RecordCounts.ZERO, RecordCounts::plus);
    }

    static String stopReason(ImportJob job) {
        if (job.status() == JobStatus.PENDING) {
            return "The import was stopped before it started; the dataset is unchanged";
        }
        return job.mode() == ImportMode.FULL
                ? "The import was stopped before it ended; the dataset is unchanged (a FULL import replaces it only when it succeeds)"
                : "The import was stopped before it ended; the rows it applied stay, and its statistics count those of the chunks it completed";
    }

    /**
     * After a job ended: its working files go. The records of the generation it retired (the one a
     * FULL import replaced, or a failed FULL import's own) are deleted by the deletion workflow,
     * started when the job's execution ends, in steps of any number: never inline here.
     */
    private void cleanUp(ImportJob job) {
        results().deleteAll(settings.resultsBucket(), WORK + job.name() + "/");
    }

    private ImportJob ended(ImportJob job, JobStatus status, String reason, ImportStatistics stats,
                            String statisticsReport, String errorReport) {
        return ended(job, status, reason, stats, statisticsReport, errorReport, Map.of());
    }

    private ImportJob ended(ImportJob job, JobStatus status, String reason, ImportStatistics stats,
                            String statisticsReport, String errorReport, Map<String, FieldStatistics> fieldStatistics) {
        return new ImportJob(job.name(), job.datasetName(), job.dataLocation(), job.mode(), status, job.createdAt(),
                clock.instant(), cap(reason, MAX_REASON_CHARS), job.roleArn(), job.tags(), job.publishStatistics(),
                job.maxFailedRowsPercent(), stats, statisticsReport, errorReport, job.trigger(), fieldStatistics);
    }

    /** Reasons are stored on the job and shown to callers: bounded, whatever the data held. */
    static String cap(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static String failureReason(ImportJob job, RecordCounts counts, List<RowError> errors, String report) {
        long rows = counts.total();
        if (rows == 0) {
            return "No records found in " + job.dataLocation() + ": the files hold no data rows";
        }
        double failedPercent = 100.0 * counts.failed() / rows;
        if (failedPercent <= job.maxFailedRowsPercent() && counts.failed() < rows) {
            return null;
        }
        String first = errors.stream().limit(ERRORS_IN_REASON).map(RowError::describe).collect(Collectors.joining("; "));
        return String.format(Locale.ROOT, "%d of %d rows failed validation (%.1f%%), more than the job's limit of %s%%. "
                        + "First errors: %s.%s", counts.failed(), rows, failedPercent,
                trimNumber(job.maxFailedRowsPercent()), first, report == null ? "" : " All errors: " + report);
    }

    private static String trimNumber(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * The job's first invalid rows, in chunk order (files, then offsets) and line order: at most the
     * setting; numbered by their files' lines (see {@link #lineShifts}).
     */
    private List<RowError> firstErrors(String jobName, Collection<ChunkResult> results) {
        List<RowError> first = new ArrayList<>();
        Map<Integer, Long> shifts = null;
        for (ChunkResult r : results) {
            if (first.size() >= settings.errorReportRows()) {
                break;
            }
            if (r.counts().failed() == 0) {
                continue;
            }
            if (shifts == null) {
                shifts = lineShifts(jobName, results);
            }
            // A chunk with more invalid rows than its result holds kept them in a file (see ingest).
            boolean inFile = settings.errorReportRows() > ChunkResult.MAX_ERRORS && r.counts().failed() > ChunkResult.MAX_ERRORS;
            List<RowError> chunkErrors = inFile ? chunkErrors(jobName, r) : r.errors();
            long shift = shifts.getOrDefault(r.index(), 0L);
            for (RowError e : chunkErrors.subList(0, Math.min(chunkErrors.size(), settings.errorReportRows() - first.size()))) {
                first.add(shift == 0 ? e : new RowError(e.file(), e.line() + shift, ChunkRecords.withLinesShifted(e.reason(), shift)));
            }
        }
        return first;
    }

    /**
     * How far each chunk's error lines move to be its file's: a chunk after the start of its file
     * numbered its first line {@link ChunkTask#firstLine} (2) without knowing the lines before it,
     * which are the line breaks of the chunks before it in the file (the plan has them in order).
     */
    private Map<Integer, Long> lineShifts(String jobName, Collection<ChunkResult> results) {
        Optional<String> plan = jobs.plan(jobName);
        if (plan.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Long> lineBreaks = new java.util.HashMap<>();
        results.forEach(r -> lineBreaks.put(r.index(), r.lineBreaks()));
        Map<Integer, Long> shifts = new java.util.HashMap<>();
        String file = null;
        long before = 0;
        for (ChunkTask chunk : readPlan(jobName, plan.get()).chunks()) {
            if (!chunk.file().equals(file)) {
                file = chunk.file();
                before = 0;
            }
            shifts.put(chunk.index(), before + 1 - chunk.firstLine());
            before += lineBreaks.getOrDefault(chunk.index(), 0L);
        }
        return shifts;
    }

    private List<RowError> chunkErrors(String jobName, ChunkResult r) {
        String key = chunkErrorsKey(jobName, r.index(), r.pass());
        List<RowError> errors = new ArrayList<>();
        try (InputStream in = results().read(settings.resultsBucket(), key);
             RowReader reader = RowReaders.open(DataFormat.CSV, in, 1, null)) {
            for (RawRow row = reader.next(); row != null; row = reader.next()) {
                errors.add(new RowError((String) row.values().get("file"), Long.parseLong((String) row.values().get("line")),
                        (String) row.values().get("reason")));
            }
        } catch (IOException | RuntimeException e) {
            throw new TransientImportException("Could not read the invalid rows of chunk " + r.index() + ": " + e.getMessage(), e);
        }
        return errors;
    }

    private static String chunkErrorsKey(String jobName, int index, int pass) {
        return WORK + jobName + "/errors/" + index + "-" + pass + ".csv";
    }

    /** file, line, reason: the error report's rows, quoted as RFC 4180 says. */
    private static String errorsCsv(List<RowError> errors) {
        StringBuilder csv = new StringBuilder("file,line,reason\n");
        for (RowError e : errors) {
            csv.append(csvField(e.file())).append(',').append(e.line()).append(',').append(csvField(e.reason())).append('\n');
        }
        return csv.toString();
    }

    /**
     * The report lists the first rows; how many more failed is said after them, on a line of its own
     * that starts with # (outside the data rows: {@code read_csv(..., comment='#')} skips it).
     */
    private String writeErrorReport(String jobName, List<RowError> errors, long failed) {
        StringBuilder csv = new StringBuilder(errorsCsv(errors));
        if (failed > errors.size()) {
            csv.append(String.format(Locale.ROOT, "# %,d more failed rows were counted but not listed: this report lists "
                    + "the first %,d%n", failed - errors.size(), errors.size()));
        }
        String key = ERROR_REPORTS + jobName + ".csv";
        results().put(settings.resultsBucket(), key, csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
        return DataLocation.uri(settings.resultsBucket(), key);
    }

    private String writeStatistics(ImportJob job, ImportStatistics s, JobStatus status) {
        String json = String.format(Locale.ROOT, "{\"jobName\":\"%s\",\"status\":\"%s\",\"added\":%d,\"updated\":%d,"
                        + "\"unchanged\":%d,\"skipped\":%d,\"failed\":%d,\"filesTotal\":%d,\"filesIngested\":%d,"
                        + "\"filesDiscarded\":%d,\"bytes\":%d}\n", job.name(), status, s.added(), s.updated(), s.unchanged(),
                s.skipped(), s.failed(), s.filesTotal(), s.filesIngested(), s.filesDiscarded(), s.bytes());
        String key = STATISTICS + job.name() + ".json";
        results().put(settings.resultsBucket(), key, json.getBytes(StandardCharsets.UTF_8), "application/json");
        return DataLocation.uri(settings.resultsBucket(), key);
    }

    private static String csvField(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private ChunkIngester.Target target(ImportJob job, Dataset dataset) {
        boolean full = job.mode() == ImportMode.FULL;
        return new ChunkIngester.Target(dataset.name(), job.name(), full ? generationOf(job) : dataset.generation(),
                dataset.generation(), full);
    }

    /** A FULL import writes a generation of its own, named after it. */
    static String generationOf(ImportJob job) {
        return "job-" + job.name();
    }

    private ImportJob job(String name) {
        return jobs.find(name).orElseThrow(() -> new ImportFailedException("Import job '" + name + "' does not exist"));
    }

    private Dataset dataset(ImportJob job) {
        return datasets.find(job.datasetName())
                .orElseThrow(() -> new ImportFailedException("Dataset '" + job.datasetName() + "' no longer exists"));
    }

}
