package dev.intake.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Arns;
import dev.intake.api.JobStateChangeEvents;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.stats.FieldStatistics;
import java.util.Locale;
import java.util.Map;
import dev.intake.personalize.PersonalizeViews;

/**
 * An import job as Personalize describes it, plus what Personalize's shape has no room for: the
 * record and file statistics, a running job's progress, the field statistics of a job that ended ACTIVE, and where the
 * statistics and error reports are.
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
        services.jobs.progress(job).ifPresent(progress -> node.set("progress", progress(progress)));
        if (!job.fieldStatistics().isEmpty()) {
            node.set("fieldStatistics", fieldStatistics(job.fieldStatistics()));
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

    /**
     * A running job's progress: files (estimated from the bytes), bytes and rows done of the total
     * (rows estimated), rows per second, and the seconds the first pass still needs (absent while no
     * chunk is done).
     */
    static ObjectNode progress(dev.intake.core.ImportProgress p) {
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("filesDone", p.filesDone()).put("filesTotal", p.filesTotal())
                .put("bytesDone", p.bytesDone()).put("bytesTotal", p.bytesTotal())
                .put("rowsDone", p.rowsDone()).put("rowsTotalEstimated", p.rowsTotal())
                .put("rowsPerSecond", Math.round(p.rowsPerSecond() * 10) / 10.0);
        if (p.secondsRemaining() != dev.intake.core.ImportProgress.UNKNOWN) {
            out.put("estimatedSecondsRemaining", p.secondsRemaining());
        }
        return out;
    }

    /**
     * Per field: its kind, the counts, and for numeric and timestamp fields Min and Max (as strings:
     * exact for any long, timestamps as ISO-8601 UTC instants), Avg and Stddev for numeric ones.
     */
    static ObjectNode fieldStatistics(Map<String, FieldStatistics> fields) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        fields.forEach((name, f) -> {
            ObjectNode stats = out.putObject(name).put("kind", f.kind().name().toLowerCase(Locale.ROOT))
                    .put("count", f.count()).put("countNull", f.countNull());
            if (f.countDistinct() != FieldStatistics.UNKNOWN) {
                stats.put("countDistinct", f.countDistinct());
            }
            if (f.kind().numeric()) {
                stats.put("countNan", f.countNan());
            }
            if (f.min() != null) {
                stats.put("min", f.minText()).put("max", f.maxText());
            }
            if (f.avg() != null) {
                stats.put("avg", f.avg()).put("stddev", f.stddev());
            }
        });
        return out;
    }
}
