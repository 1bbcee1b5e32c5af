package dev.intake.adapters.dynamodb;

/**
 * Key layout of the control table (pk, sk strings). Datasets share one partition so they list in
 * name order; a job's partition also holds its chunk results and duplicate-key corrections, so one
 * strongly consistent query sums a job; a dataset's queue partition orders its unfinished jobs.
 */
final class ControlKeys {
    static final String DATASETS_PK = "DATASETS";
    static final String JOB_SK = "JOB";
    static final String CHUNK_PREFIX = "CHUNK#";
    static final String CORRECTION_PREFIX = "CORR#";

    private ControlKeys() {
    }

    static String jobPk(String jobName) {
        return "JOB#" + jobName;
    }

    static String queuePk(String dataset) {
        return "QUEUE#" + dataset;
    }

    /** Sorts by creation time, then name; 13 digits of epoch millis last until the year 2286. */
    static String queueSk(long createdMillis, String jobName) {
        return String.format("%013d#%s", createdMillis, jobName);
    }

    static String chunkSk(int index) {
        return String.format("%s%07d", CHUNK_PREFIX, index);
    }

    static String correctionSk(long seq, String recordKey) {
        return String.format("%s%019d#%s", CORRECTION_PREFIX, seq, recordKey);
    }
}
