package dev.intake.core.ports;

import dev.intake.core.ChunkResult;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportStatistics;
import dev.intake.core.JobStatus;
import dev.intake.core.ObjectArrival;
import java.util.List;
import java.util.Optional;

/** Where import jobs, their per-dataset queue and their per-chunk results live. */
public interface JobStore {
    /**
     * Writes a new PENDING job, queues it behind the dataset's other imports and counts it on the
     * dataset, all or nothing.
     *
     * @throws dev.intake.core.IntakeException ALREADY_EXISTS if the name is taken, NOT_FOUND if the
     *                                         dataset is gone
     */
    void create(ImportJob job);

    Optional<ImportJob> find(String name);

    /**
     * Jobs in creation order (then by name), of one dataset or, with {@code datasetName} null, of
     * all: those after {@code after} (a page's {@code lastKey}, exclusive; null for the first page).
     * A job is listed from the moment it is created, whatever becomes of it.
     */
    Page<ImportJob> listJobs(String datasetName, String after, int limit);

    /** A job's place in {@link #listJobs}: 13 digits of its creation millis, '#', its name (a page's lastKey is one). */
    static String listPosition(ImportJob job) {
        return String.format("%013d#%s", job.createdAt().toEpochMilli(), job.name());
    }

    /** Every job not yet ended, of all datasets, oldest first per dataset. */
    List<String> unfinished();

    /** The name of the dataset's oldest job that has not finished: the one whose turn it is. */
    Optional<String> queueHead(String datasetName);

    /** Moves a job between non-terminal states at {@code when}; false if it was not in {@code from}. */
    boolean transition(String name, JobStatus from, JobStatus to, java.time.Instant when);

    /**
     * Records a running job's plan once: what planning found (file counts, bytes) and where the plan
     * is kept (an object in the results bucket). The first plan recorded wins; a later one, from a
     * retried or concurrent step, changes nothing.
     *
     * @return the plan recorded for the job (the first one); empty if the job is not running
     */
    Optional<String> recordPlan(String name, ImportStatistics files, String planKey);

    /** The key of the job's recorded plan, if one was recorded. */
    Optional<String> plan(String name);

    /**
     * Ends a job: sets its terminal status, statistics and reason, takes it off the dataset's queue,
     * for a successful FULL import switches the dataset to the job's generation, and records the
     * generation nobody reads any more as retired — atomically.
     *
     * @param newGeneration     the generation readers see from now on, or null to keep the current one
     * @param retiredGeneration the generation whose records are to be deleted, or null
     * A STOPPED job ends only from PENDING or STOPPING, any other end only from PENDING or
     * IN_PROGRESS: a job being stopped ends STOPPED, whatever its execution still does.
     *
     * @return false if the job had already ended (a retried step), or was not in a status it ends
     *         from, in which case nothing changed
     */
    boolean finish(ImportJob finished, String newGeneration, String retiredGeneration);

    /** The chunk's result of that pass if the chunk was already ingested in it. */
    Optional<ChunkResult> chunkResult(String name, int index, int pass);

    /** Stores a chunk's result (by index and pass) unless one is stored already; returns the stored one. */
    ChunkResult putChunkResult(String name, ChunkResult result);

    /** Every stored chunk result of the job, of both passes, by index then pass. */
    List<ChunkResult> chunkResults(String name);

    /**
     * How far a job's first pass has got: the chunks that stored their pass-1 result, the bytes they
     * cover, and the rows they read (valid or not).
     */
    record Progress(long chunks, long bytes, long rows) {
        public static final Progress NONE = new Progress(0, 0, 0);

        /** Progress without the rows (a store that does not count them). */
        public Progress(long chunks, long bytes) {
            this(chunks, bytes, 0);
        }
    }

    /**
     * The job's {@link Progress}, in one small read whatever the number of chunks: each chunk counted
     * once, when its first pass-1 result is stored (a repeated put counts nothing).
     */
    Progress progress(String name);

    // ---- arrival batches: the S3-event jobs still collecting objects ----

    /** A batch still collecting: its job, and when its window ends. */
    record OpenBatch(String job, java.time.Instant until, int objects) {
    }

    /** What became of an arrival offered to a batch. */
    enum Admission {
        /** Stored: the batch's job imports this object version. */
        ADDED,
        /** The key's same or a later write already arrived: nothing changed. */
        DUPLICATE,
        /** The batch is not (or no longer) open, or is full: nothing changed. */
        CLOSED
    }

    /** The open batch under {@code batchKey} (a dataset, or a dataset and data source), if any. */
    Optional<OpenBatch> openBatch(String batchKey);

    /**
     * Opens a batch with its first arrival, atomically: creates the PENDING job as {@link #create}
     * does, marks it the open batch under {@code batchKey} until {@code until}, and stores the
     * arrival — or does nothing at all: CLOSED if a batch is open under the key already, DUPLICATE if
     * the arrival is not later than the key's last one.
     */
    Admission openBatch(String batchKey, ImportJob job, java.time.Instant until, ObjectArrival first);

    /**
     * Adds an arrival to the open batch {@code job}, atomically with remembering it as the key's
     * latest; replaces an earlier arrival of the same key in the batch. CLOSED if {@code job} is not
     * the open batch under the key or holds {@code maxObjects} arrivals already.
     */
    Admission addToBatch(String batchKey, String job, ObjectArrival arrival, int maxObjects);

    /** Closes the batch if {@code job} is still the open one under the key; no later arrival joins it. */
    void closeBatch(String batchKey, String job);

    /** The object versions a batch's job imports, by bucket and key. */
    List<ObjectArrival> batchObjects(String job);

    /**
     * Stores the object versions a job imports exactly, before the job is created (a data source
     * run that imports only what changed since its last run): {@link #batchObjects} then answers
     * them, and no arrival batch or key's latest arrival is touched. Storing the same again changes
     * nothing.
     */
    void putJobObjects(String job, List<ObjectArrival> objects);
}
