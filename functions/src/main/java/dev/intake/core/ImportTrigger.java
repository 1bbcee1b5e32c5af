package dev.intake.core;

/**
 * What started an import job: a direct API call, a run of a saved data source (by hand or on its
 * schedule), or objects arriving in S3. Kept with the job, shown by DescribeImportJob and carried in
 * its state-change events, so an operator can tell a scheduled run from an upload.
 *
 * @param dataSourceName the saved data source the job came from, or null (API calls, and S3 arrivals
 *                       matched by the landing bucket's folder convention)
 */
public record ImportTrigger(Type type, String dataSourceName) {
    public enum Type {
        /** A create-import-job call in any dialect. */
        API,
        /** A run of a data source started by hand (Intake's StartDataSourceRun). */
        DATA_SOURCE_RUN,
        /** A run of a data source started by its schedule. */
        SCHEDULE,
        /** Objects that arrived in S3 (an S3 event notification). */
        S3_EVENT
    }

    public static final ImportTrigger API = new ImportTrigger(Type.API, null);

    public ImportTrigger {
        if (type == null) {
            throw new IllegalArgumentException("an import trigger has a type");
        }
    }

    public static ImportTrigger of(String type, String dataSourceName) {
        return type == null ? API : new ImportTrigger(Type.valueOf(type), dataSourceName);
    }
}
