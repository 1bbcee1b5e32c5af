package dev.intake.personalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Arns;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.core.ImportJob;

/** Import jobs in Personalize's response shapes (DatasetImportJob). */
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
}
