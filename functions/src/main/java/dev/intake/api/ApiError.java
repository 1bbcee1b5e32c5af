package dev.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An error response in the AWS JSON error form. */
record ApiError(int status, String type, String messageField, String message) {
    ObjectNode body() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("__type", type);
        node.put(messageField, message);
        return node;
    }
}
