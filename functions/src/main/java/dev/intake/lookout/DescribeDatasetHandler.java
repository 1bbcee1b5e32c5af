package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.ports.LookoutStore.Kind;
import java.time.Instant;
import java.util.Optional;

/**
 * Lookout DescribeDataset: the dataset as created, its status from its ingestion jobs (CREATED until
 * an ingestion succeeded, INGESTION_IN_PROGRESS while its latest one waits or runs, else ACTIVE), and
 * the input, role, files and data quality of its latest ingestion job.
 */
public final class DescribeDatasetHandler extends LookoutOperation {
    public DescribeDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetHandler(Services services) {
        super(services, "DescribeDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        Found found = dataset(text(request, "DatasetName"));
        LookoutDataset view = found.view();
        Optional<ImportJob> last = Optional.ofNullable(view.lastJobId()).flatMap(services.jobStore::find);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("DatasetName", found.name());
        node.put("DatasetArn", arns.dataset(found.name(), view.id()));
        node.put("CreatedAt", Json.epochSeconds(found.dataset().createdAt()));
        Instant updated = found.entry().updatedAt();
        if (found.dataset().updatedAt().isAfter(updated)) {
            updated = found.dataset().updatedAt();
        }
        if (last.isPresent() && last.get().updatedAt().isAfter(updated)) {
            updated = last.get().updatedAt();
        }
        node.put("LastUpdatedAt", Json.epochSeconds(updated));
        String status = last.isPresent() && LookoutViews.running(last.get()) ? "INGESTION_IN_PROGRESS"
                : found.dataset().fullImported() ? "ACTIVE" : "CREATED";
        node.put("Status", status);
        node.put("Schema", view.inlineSchema());
        if (view.kmsKeyId() != null) {
            node.put("ServerSideKmsKeyId", view.kmsKeyId());
        }
        if (last.isPresent()) {
            var settings = store().find(Kind.INGESTION_JOB, view.lastJobId()).map(e -> IngestionSettings.parse(e.document()));
            if (settings.isPresent()) {
                ImportJob job = last.get();
                node.set("IngestionInputConfiguration", LookoutViews.input(settings.get()));
                LookoutSchema.Mapping mapping = LookoutSchema.map(view.inlineSchema());
                node.set("DataQualitySummary", LookoutViews.dataQuality(job, services.jobStore.chunkResults(job.name()),
                        mapping));
                LookoutViews.dataTimes(node, job, mapping.timestampColumn());
                node.set("IngestedFilesSummary", LookoutViews.files(job.statistics(), settings.get()));
                if (job.roleArn() != null) {
                    node.put("RoleArn", job.roleArn());
                }
            }
        }
        return node;
    }
}
