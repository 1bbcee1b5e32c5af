package dev.intake.personalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Arns;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.core.Dataset;
import dev.intake.core.ImportJob;
import dev.intake.core.personalize.DatasetGroup;
import dev.intake.core.personalize.PersonalizeSchema;
import dev.intake.core.personalize.PersonalizeService.DatasetView;

/** Personalize's resources in its response shapes. */
public final class PersonalizeViews {
    private PersonalizeViews() {
    }

    public static ObjectNode datasetImportJob(ImportJob job, Arns arns, Dialect dialect) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("jobName", job.name());
        node.put("datasetImportJobArn", arns.of(Arns.IMPORT_JOB, job.name()));
        node.put("datasetArn", arns.of(Arns.DATASET, job.datasetName()));
        node.putObject("dataSource").put("dataLocation", job.dataLocation());
        if (job.roleArn() != null) {
            node.put("roleArn", job.roleArn());
        }
        node.put("status", dialect.jobStatus(job.status()));
        node.put("creationDateTime", Json.epochSeconds(job.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(job.updatedAt()));
        if (job.failureReason() != null) {
            node.put("failureReason", job.failureReason());
        }
        node.put("importMode", job.mode().name());
        node.put("publishAttributionMetricsToS3", job.publishStatistics());
        return node;
    }

    /** DatasetImportJobSummary. */
    public static ObjectNode datasetImportJobSummary(ImportJob job, Arns arns, Dialect dialect) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("datasetImportJobArn", arns.of(Arns.IMPORT_JOB, job.name()));
        node.put("jobName", job.name());
        node.put("status", dialect.jobStatus(job.status()));
        node.put("creationDateTime", Json.epochSeconds(job.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(job.updatedAt()));
        if (job.failureReason() != null) {
            node.put("failureReason", job.failureReason());
        }
        node.put("importMode", job.mode().name());
        return node;
    }

    /** DatasetSchema, or without its text DatasetSchemaSummary. */
    public static ObjectNode schema(PersonalizeSchema schema, Arns arns, boolean full) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", schema.name());
        node.put("schemaArn", arns.of(Arns.SCHEMA, schema.name()));
        if (full) {
            node.put("schema", schema.schema());
        }
        node.put("creationDateTime", Json.epochSeconds(schema.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(schema.updatedAt()));
        if (schema.domain() != null) {
            node.put("domain", schema.domain());
        }
        return node;
    }

    /** DatasetGroup, or without role and key DatasetGroupSummary. */
    public static ObjectNode datasetGroup(DatasetGroup group, Arns arns, boolean full) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", group.name());
        node.put("datasetGroupArn", arns.of(Arns.DATASET_GROUP, group.name()));
        node.put("status", group.status());
        if (full && group.roleArn() != null) {
            node.put("roleArn", group.roleArn());
        }
        if (full && group.kmsKeyArn() != null) {
            node.put("kmsKeyArn", group.kmsKeyArn());
        }
        node.put("creationDateTime", Json.epochSeconds(group.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(group.updatedAt()));
        if (group.domain() != null) {
            node.put("domain", group.domain());
        }
        return node;
    }

    /** Dataset, or DatasetSummary. */
    public static ObjectNode dataset(DatasetView view, Arns arns, boolean full) {
        var p = view.personalize();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", p.name());
        node.put("datasetArn", arns.of(Arns.DATASET, p.datasetName()));
        if (full) {
            node.put("datasetGroupArn", arns.of(Arns.DATASET_GROUP, p.group()));
        }
        node.put("datasetType", p.type().name());
        if (full) {
            node.put("schemaArn", arns.of(Arns.SCHEMA, p.schemaName()));
        }
        node.put("status", status(view.dataset().status()));
        node.put("creationDateTime", Json.epochSeconds(p.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(p.updatedAt()));
        if (full && !p.updatedAt().equals(p.createdAt())) {
            // the schema change UpdateDataset made, which took effect at once
            ObjectNode update = node.putObject("latestDatasetUpdate");
            update.put("schemaArn", arns.of(Arns.SCHEMA, p.schemaName()));
            update.put("status", "ACTIVE");
            update.put("creationDateTime", Json.epochSeconds(p.updatedAt()));
            update.put("lastUpdatedDateTime", Json.epochSeconds(p.updatedAt()));
        }
        return node;
    }

    private static String status(Dataset.Status status) {
        return switch (status) {
            case ACTIVE -> "ACTIVE";
            case DELETE_PENDING -> "DELETE PENDING";
            case DELETE_IN_PROGRESS -> "DELETE IN_PROGRESS";
        };
    }

    /** DatasetExportJob, or DatasetExportJobSummary. */
    public static ObjectNode datasetExportJob(dev.intake.core.export.ExportJob job, Arns arns, boolean full) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("jobName", job.name());
        node.put("datasetExportJobArn", arns.of(Arns.EXPORT_JOB, job.name()));
        if (full) {
            node.put("datasetArn", arns.of(Arns.DATASET, job.dataset()));
            node.put("ingestionMode", job.ingestionMode().name());
            node.put("roleArn", job.roleArn());
            ObjectNode destination = node.putObject("jobOutput").putObject("s3DataDestination");
            destination.put("path", job.path());
            if (job.kmsKeyArn() != null) {
                destination.put("kmsKeyArn", job.kmsKeyArn());
            }
        }
        node.put("status", switch (job.status()) {
            case PENDING -> "CREATE PENDING";
            case IN_PROGRESS -> "CREATE IN_PROGRESS";
            case ACTIVE -> "ACTIVE";
            case FAILED -> "CREATE FAILED";
        });
        node.put("creationDateTime", Json.epochSeconds(job.createdAt()));
        node.put("lastUpdatedDateTime", Json.epochSeconds(job.updatedAt()));
        if (job.failureReason() != null) {
            node.put("failureReason", job.failureReason());
        }
        return node;
    }
}
