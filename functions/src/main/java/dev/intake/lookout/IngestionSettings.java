package dev.intake.lookout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What an ingestion job has beyond the engine's job, kept in the Lookout store under its JobId (the
 * engine's job name): its dataset (and that dataset's ARN, which outlives it), its S3 input as given
 * and the KeyPattern it reads by, and the files its plan discarded (at most {@value #MAX_DISCARDED}
 * listed, all counted).
 */
record IngestionSettings(String datasetName, String datasetArn, String bucket, String prefix, String keyPattern,
                         List<String> discarded, long discardedCount) {
    /** A stored document stays far below DynamoDB's 400 KB item with this many keys of up to 1,024 bytes. */
    static final int MAX_DISCARDED = 100;

    IngestionSettings {
        discarded = discarded == null ? List.of() : List.copyOf(discarded);
    }

    /** The prefix as a location inside the bucket: Lookout's Prefix ends with '/' or is empty. */
    String location() {
        return "s3://" + bucket + "/" + (prefix == null ? "" : prefix);
    }

    String document() {
        ObjectNode node = Json.MAPPER.createObjectNode().put("DatasetName", datasetName).put("DatasetArn", datasetArn)
                .put("Bucket", bucket).put("Prefix", prefix).put("KeyPattern", keyPattern)
                .put("DiscardedCount", discardedCount);
        ArrayNode list = node.putArray("Discarded");
        discarded.forEach(list::add);
        return Json.write(node);
    }

    static IngestionSettings parse(String document) {
        try {
            JsonNode n = Json.parse(document);
            List<String> discarded = new ArrayList<>();
            n.path("Discarded").forEach(d -> discarded.add(d.asText()));
            return new IngestionSettings(n.path("DatasetName").asText(), n.path("DatasetArn").asText(),
                    n.path("Bucket").asText(), n.path("Prefix").asText(null), n.path("KeyPattern").asText(),
                    discarded, n.path("DiscardedCount").asLong(0));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored ingestion settings are not JSON", e);
        }
    }

    IngestionSettings withDiscarded(List<String> files) {
        return new IngestionSettings(datasetName, datasetArn, bucket, prefix, keyPattern,
                files.subList(0, Math.min(MAX_DISCARDED, files.size())), files.size());
    }
}
