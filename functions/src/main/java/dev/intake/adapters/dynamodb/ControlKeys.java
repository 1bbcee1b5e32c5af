package dev.intake.adapters.dynamodb;

/**
 * Key layout of the control table (pk, sk strings). Datasets share one partition so they list in
 * name order; a job's partition also holds its chunk results, so one strongly consistent query sums
 * a job; a dataset's queue partition orders its unfinished jobs.
 */
final class ControlKeys {
    static final String DATASETS_PK = "DATASETS";
    /** Saved data sources, one partition sorted by name (few: they list and load in a query or two). */
    static final String SOURCES_PK = "SOURCES";
    /** Personalize's schemas, dataset groups (by name) and datasets (by {@code <group>/<TYPE>}), one partition each. */
    static final String PZ_SCHEMAS_PK = "PZ_SCHEMAS";
    static final String PZ_GROUPS_PK = "PZ_DATASET_GROUPS";
    static final String PZ_DATASETS_PK = "PZ_DATASETS";
    /** A resource's tags: partition {@code TAGS#<type>/<name>}. */
    static final String TAGS_SK = "TAGS";
    static final String JOB_SK = "JOB";
    static final String CHUNK_PREFIX = "CHUNK#";
    /** A batch job's partition also holds the object versions it imports. */
    static final String OBJECT_PREFIX = "OBJECT#";
    static final String OPEN_BATCH_SK = "OPEN";
    static final String LATEST_ARRIVAL_SK = "LATEST";
    /** Every job, sorted by creation (sk as {@link #queueSk}); {@link #jobListPk} lists one dataset's. */
    static final String JOB_LIST_PK = "JOBLIST";

    private ControlKeys() {
    }

    static String jobPk(String jobName) {
        return "JOB#" + jobName;
    }

    /** The open arrival batch of a dataset (or dataset and data source). */
    static String batchPk(String batchKey) {
        return "BATCH#" + batchKey;
    }

    /** One partition per object key: the sequencer of its latest arrival. */
    static String arrivalPk(String bucket, String key) {
        return "ARRIVAL#" + bucket + "/" + key;
    }

    static String objectSk(String bucket, String key) {
        return OBJECT_PREFIX + bucket + "/" + key;
    }

    static String jobListPk(String dataset) {
        return "JOBLIST#" + dataset;
    }

    static String tagsPk(String resource) {
        return "TAGS#" + resource;
    }

    static String queuePk(String dataset) {
        return "QUEUE#" + dataset;
    }

    /** Sorts by creation time, then name; 13 digits of epoch millis last until the year 2286. */
    static String queueSk(long createdMillis, String jobName) {
        return String.format("%013d#%s", createdMillis, jobName);
    }

    /** By index, then pass (1, then 2 when the chunk was counted again). */
    static String chunkSk(int index, int pass) {
        return String.format("%s%07d#%d", CHUNK_PREFIX, index, pass);
    }
}
