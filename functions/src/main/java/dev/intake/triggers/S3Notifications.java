package dev.intake.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.core.IntakeException;
import dev.intake.core.ObjectArrival;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of an S3 event notification as S3 sends it to SQS: {"Records": [...]} with one
 * record per event, or the {"Event": "s3:TestEvent"} message S3 sends when notifications are set
 * up. Only ObjectCreated events are arrivals; others (removals, restores, replication) are read and
 * set aside. A body that is not such a message is {@link MalformedNotification}: retrying it cannot
 * help, so it ends in the dead-letter queue.
 */
final class S3Notifications {
    /** What one notification holds. */
    record Message(boolean testEvent, List<ObjectArrival> arrivals, List<String> otherEvents) {
    }

    static final class MalformedNotification extends RuntimeException {
        MalformedNotification(String message) {
            super(message);
        }
    }

    private S3Notifications() {
    }

    static Message parse(String body) {
        JsonNode root;
        try {
            root = body == null ? null : Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedNotification("the message body is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedNotification("the message body is not a JSON object");
        }
        if ("s3:TestEvent".equals(root.path("Event").asText(null))) {
            return new Message(true, List.of(), List.of());
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new MalformedNotification("the message has no Records array (not an S3 event notification)");
        }
        List<ObjectArrival> arrivals = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String source = record.path("eventSource").asText("");
            String name = record.path("eventName").asText("");
            if (!"aws:s3".equals(source) || name.isEmpty()) {
                throw new MalformedNotification("record " + i + " is not an S3 event (eventSource '" + source
                        + "', eventName '" + name + "')");
            }
            if (!name.startsWith("ObjectCreated:")) {
                others.add(name);
                continue;
            }
            arrivals.add(arrival(i, record.path("s3")));
        }
        return new Message(false, arrivals, others);
    }

    private static ObjectArrival arrival(int index, JsonNode s3) {
        String bucket = text(index, s3.path("bucket"), "name");
        String encodedKey = text(index, s3.path("object"), "key");
        JsonNode object = s3.path("object");
        JsonNode size = object.get("size");
        if (size == null || !size.canConvertToLong()) {
            throw new MalformedNotification("record " + index + " has no object size");
        }
        String key;
        try {
            // S3 encodes keys in notifications as form data: spaces as '+', the rest percent-encoded.
            key = URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedNotification("record " + index + " has a key that is not URL-encoded: " + encodedKey);
        }
        try {
            return new ObjectArrival(bucket, key, size.asLong(), object.path("eTag").asText(null),
                    object.path("versionId").asText(null), object.path("sequencer").asText(null));
        } catch (IntakeException e) {
            throw new MalformedNotification("record " + index + ": " + e.getMessage());
        }
    }

    private static String text(int index, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedNotification("record " + index + " has no " + field);
        }
        return value.asText();
    }
}
