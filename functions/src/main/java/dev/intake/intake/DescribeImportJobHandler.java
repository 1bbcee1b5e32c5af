package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Arns;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportStatistics;
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
        ImportStatistics s = job.statistics();
        var stats = node.putObject("statistics");
        stats.put("recordsAdded", s.added());
        stats.put("recordsUpdated", s.updated());
        stats.put("recordsUnchanged", s.unchanged());
        stats.put("recordsSkipped", s.skipped());
        stats.put("recordsFailed", s.failed());
        stats.put("filesTotal", s.filesTotal());
        stats.put("filesIngested", s.filesIngested());
        stats.put("filesDiscarded", s.filesDiscarded());
        stats.put("bytes", s.bytes());
        node.put("maxFailedRowsPercent", job.maxFailedRowsPercent());
        var startedBy = node.putObject("startedBy");
        startedBy.put("type", job.trigger().type().name());
        if (job.trigger().dataSourceName() != null) {
            startedBy.put("dataSourceName", job.trigger().dataSourceName());
        }
        if (job.statisticsLocation() != null) {
            node.put("statisticsLocation", job.statisticsLocation());
        }
        if (job.errorReportLocation() != null) {
            node.put("errorReportLocation", job.errorReportLocation());
        }
        var response = Json.MAPPER.createObjectNode();
        response.set("importJob", node);
        return response;
    }
}
