package dev.intake.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.core.Dataset;
import dev.intake.core.DatasetService;
import dev.intake.core.IntakeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Forecast dataset group as the Forecast store keeps it (a JSON document): its domain, the ARNs
 * of its datasets and its tags. Creating and updating it are synchronous, so it is always ACTIVE.
 */
record DatasetGroups(String domain, List<String> datasetArns, Map<String, String> tags) {

    static DatasetGroups parse(String document) {
        try {
            JsonNode node = Json.parse(document);
            List<String> arns = new ArrayList<>();
            node.path("DatasetArns").forEach(a -> arns.add(a.asText()));
            Map<String, String> tags = new LinkedHashMap<>();
            node.path("Tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            return new DatasetGroups(node.path("Domain").asText(), arns, tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored dataset group is not JSON", e);
        }
    }

    String document() {
        ObjectNode node = Json.MAPPER.createObjectNode().put("Domain", domain);
        datasetArns.forEach(node.putArray("DatasetArns")::add);
        ObjectNode tagNode = node.putObject("Tags");
        tags.forEach(tagNode::put);
        return Json.write(node);
    }

    /**
     * The datasets a group may hold, as Forecast checks them: each exists (ResourceNotFoundException),
     * has the group's domain, and no two have the same dataset type (InvalidInputException).
     */
    static List<String> check(JsonNode arnList, String domain, ForecastArns arns, DatasetService datasets) {
        List<String> checked = new ArrayList<>();
        Map<String, String> byType = new HashMap<>();
        for (JsonNode arn : arnList) {
            if (checked.contains(arn.asText())) {
                throw IntakeException.invalid("DatasetArns names " + arn.asText() + " twice");
            }
            Dataset dataset = datasets.describe(arns.datasetName(arn.asText()));
            var view = ForecastDatasets.view(dataset.schema());
            if (!domain.equals(view.domain())) {
                throw IntakeException.invalid("Dataset " + arn.asText() + " has the domain "
                        + (view.domain() == null ? "of no Forecast dataset" : view.domain())
                        + "; the dataset group's domain is " + domain);
            }
            String other = byType.put(view.datasetType(), arn.asText());
            if (other != null) {
                throw IntakeException.invalid("A dataset group holds at most one dataset of each type; "
                        + other + " and " + arn.asText() + " are both " + view.datasetType());
            }
            checked.add(arn.asText());
        }
        return checked;
    }
}
