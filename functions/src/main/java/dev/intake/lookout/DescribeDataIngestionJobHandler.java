package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.Services;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.LookoutStore.Kind;

/** Lookout DescribeDataIngestionJob: the engine's job under its JobId, in Lookout's shape (see LookoutViews). */
public final class DescribeDataIngestionJobHandler extends LookoutOperation {
    public DescribeDataIngestionJobHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDataIngestionJobHandler(Services services) {
        super(services, "DescribeDataIngestionJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String jobId = text(request, "JobId");
        var entry = store().find(Kind.INGESTION_JOB, jobId);
        var job = entry.isEmpty() ? java.util.Optional.<dev.intake.core.ImportJob>empty() : services.jobStore.find(jobId);
        if (job.isEmpty()) {
            throw IntakeException.notFound("Data ingestion job '" + jobId + "' does not exist");
        }
        IngestionSettings settings = IngestionSettings.parse(entry.get().document());
        // The dataset's components and columns; a deleted dataset's rows are not told apart
        LookoutSchema.Mapping mapping = store().find(Kind.DATASET, settings.datasetName())
                .map(e -> LookoutSchema.map(LookoutDataset.parse(e.document()).inlineSchema()))
                .orElse(null);
        return LookoutViews.describe(jobId, job.get(), settings, services.jobStore.chunkResults(jobId), mapping,
                services.jobs.progress(job.get()));
    }
}
