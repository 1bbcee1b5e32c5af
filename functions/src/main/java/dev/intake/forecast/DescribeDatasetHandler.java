package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.Dataset;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore.Kind;
import java.util.ArrayList;
import java.util.List;

/** Forecast DescribeDataset, for any dataset (one another API made shows no Domain or DatasetType). */
public final class DescribeDatasetHandler extends ForecastOperation {
    public DescribeDatasetHandler() {
        this(Services.fromEnvironment());
    }

    public DescribeDatasetHandler(Services services) {
        super(services, "DescribeDataset");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        Dataset dataset = services.datasets.describe(arns.datasetName(text(request, "DatasetArn")));
        var view = ForecastDatasets.view(dataset.schema());
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("DatasetArn", arns.dataset(dataset.name()));
        node.put("DatasetName", dataset.name());
        if (view.domain() != null) {
            node.put("Domain", view.domain());
            node.put("DatasetType", view.datasetType());
        }
        if (view.dataFrequency() != null) {
            node.put("DataFrequency", view.dataFrequency());
        }
        var attributes = node.putObject("Schema").putArray("Attributes");
        view.attributes().forEach(a -> attributes.addObject().put("AttributeName", a.name()).put("AttributeType", a.type()));
        if (view.encryptionConfig() != null) {
            node.set("EncryptionConfig", view.encryptionConfig());
        }
        node.put("Status", status(dataset));
        node.put("CreationTime", Json.epochSeconds(dataset.createdAt()));
        node.put("LastModificationTime", Json.epochSeconds(dataset.updatedAt()));
        return node;
    }

    /** ACTIVE; UPDATE_IN_PROGRESS while imports into it are pending or running (Forecast's UPDATE states); DELETE_*. */
    static String status(Dataset dataset) {
        return switch (dataset.status()) {
            case DELETE_PENDING -> "DELETE_PENDING";
            case DELETE_IN_PROGRESS -> "DELETE_IN_PROGRESS";
            case ACTIVE -> dataset.activeJobs() > 0 ? "UPDATE_IN_PROGRESS" : "ACTIVE";
        };
    }
}
