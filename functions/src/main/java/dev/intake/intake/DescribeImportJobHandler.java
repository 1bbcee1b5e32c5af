package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.JobStateChangeEvents;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.personalize.PersonalizeViews;

/**
 * An import job as Personalize describes it, plus what Personalize's shape has no room for: the
 * record and file statistics and where the statistics and error reports are.
 */
public final class DescribeImportJobHandler extends IntakeOperation {
    public DescribeImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeImportJobHandler(Services services) {
        super(services, "DescribeImportJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String name = arns.nameOf(Arns.IMPORT_JOB, text(request, "datasetImportJobArn"), "Dataset import job");
        var job = services.jobs.describe(name);
        var node = PersonalizeViews.datasetImportJob(job, arns, dialect);
        node.set("statistics", JobStateChangeEvents.statistics(job.statistics()));
        node.put("maxFailedRowsPercent", job.maxFailedRowsPercent());
        node.set("startedBy", JobStateChangeEvents.startedBy(job.trigger()));
        if (job.statisticsLocation() != null) {
            node.put("statisticsLocation", job.statisticsLocation());
        }
        if (job.errorReportLocation() != null) {
            node.put("errorReportLocation", job.errorReportLocation());
        }
        if (job.trigger().type() == dev.intake.core.ImportTrigger.Type.S3_EVENT) {
            // an arrival batch imports exactly these object versions (at most 500), not its location's listing
            var objects = node.putArray("objects");
            for (var arrival : services.arrivals.objects(job.name())) {
                var object = objects.addObject().put("uri", arrival.uri()).put("size", arrival.size());
                if (arrival.etag() != null) {
                    object.put("eTag", arrival.etag());
                }
                if (arrival.versionId() != null) {
                    object.put("versionId", arrival.versionId());
                }
            }
        }
        var response = Json.MAPPER.createObjectNode();
        response.set("importJob", node);
        return response;
    }
}
