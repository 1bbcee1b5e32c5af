package dev.intake.lookout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lookout's view of one of its datasets, kept in the Lookout store under the Intake dataset's name:
 * the id its ARN ends with, the InlineDataSchema as given, the KMS key, its tags and its latest
 * ingestion job (which DescribeDataset reports on).
 */
record LookoutDataset(String id, String inlineSchema, String kmsKeyId, Map<String, String> tags, String lastJobId) {
    LookoutDataset {
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    String document() {
        ObjectNode node = Json.MAPPER.createObjectNode().put("Id", id).put("InlineDataSchema", inlineSchema)
                .put("ServerSideKmsKeyId", kmsKeyId).put("LastJobId", lastJobId);
        ObjectNode t = node.putObject("Tags");
        tags.forEach(t::put);
        return Json.write(node);
    }

    static LookoutDataset parse(String document) {
        try {
            JsonNode n = Json.parse(document);
            Map<String, String> tags = new LinkedHashMap<>();
            n.path("Tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            return new LookoutDataset(n.path("Id").asText(), n.path("InlineDataSchema").asText(null),
                    n.path("ServerSideKmsKeyId").asText(null), tags, n.path("LastJobId").asText(null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored Lookout dataset is not JSON", e);
        }
    }

    LookoutDataset withTags(Map<String, String> newTags) {
        return new LookoutDataset(id, inlineSchema, kmsKeyId, newTags, lastJobId);
    }

    LookoutDataset withLastJob(String jobId) {
        return new LookoutDataset(id, inlineSchema, kmsKeyId, tags, jobId);
    }
}
