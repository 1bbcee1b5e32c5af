package dev.intake.core.export;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job that writes a dataset's current records to S3 as CSV files.
 *
 * @param path       the destination folder as the request named it ({@code s3://bucket/folder/})
 * @param kmsKeyArn  kept and shown; objects are written with the bucket's default encryption
 * @param tags       the tags it was created with
 * @param generation the generation it reads, fixed when it starts (null while PENDING), so that
 *                   every part reads the same records
 */
public record ExportJob(String name, String dataset, IngestionMode ingestionMode, String roleArn, String path,
                        String kmsKeyArn, Map<String, String> tags, ExportStatus status, String failureReason,
                        Instant createdAt, Instant updatedAt, String generation) {
    public ExportJob {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags == null ? Map.of() : tags));
    }

    /** Records and data a dataset import job wrote: what Personalize calls BULK data. */
    public enum IngestionMode {
        BULK, PUT, ALL;

        /** Every Intake record comes from an import job (BULK); Intake has no PutEvents/PutItems (PUT). */
        public boolean exportsImportedRecords() {
            return this != PUT;
        }
    }

    public ExportJob started(String readGeneration, Instant at) {
        return new ExportJob(name, dataset, ingestionMode, roleArn, path, kmsKeyArn, tags, ExportStatus.IN_PROGRESS,
                null, createdAt, at, readGeneration);
    }

    public ExportJob ended(ExportStatus end, String reason, Instant at) {
        return new ExportJob(name, dataset, ingestionMode, roleArn, path, kmsKeyArn, tags, end, reason, createdAt, at,
                generation);
    }
}
