package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Dialect;
import dev.intake.api.JsonApiHandler;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Base of Amazon Forecast's operations: its ARNs, its tags, its own store. */
abstract class ForecastOperation extends JsonApiHandler {
    /** Forecast's documented limit per resource (the model's list allows 200). */
    static final int MAX_TAGS = 50;

    protected final ForecastArns arns;

    ForecastOperation(Services services, String operation) {
        super(services, Dialect.FORECAST, operation);
        this.arns = new ForecastArns(services.deployment);
    }

    /** An IAM role's ARN, as Forecast's role members take it. */
    private static final java.util.regex.Pattern ROLE_ARN = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    /** A value the model's Arn pattern matches, standing in for a role ARN in the model's checks. */
    private static final String CHECKED_ROLE = "arn:aws:forecast:::role";

    /**
     * Forecast's model gives its role members (EncryptionConfig.RoleArn, DataSource.S3Config.RoleArn)
     * its Arn shape, whose pattern only Forecast's own ARNs match; the service takes IAM role ARNs
     * there, as its documentation says. So a role member that is an IAM role ARN within the shape's
     * length passes the model's checks; anything else gets the model's own message.
     */
    @Override
    protected JsonNode validationView(JsonNode request) {
        JsonNode view = request.deepCopy();
        standIn(view.path("EncryptionConfig"));
        standIn(view.path("DataSource").path("S3Config"));
        return view;
    }

    /** The same stand-in for the role members of a response (Describe and List answers carry them). */
    @Override
    protected JsonNode conformanceView(JsonNode response) {
        JsonNode view = response.deepCopy();
        standInEverywhere(view);
        return view;
    }

    private static void standInEverywhere(JsonNode node) {
        if (node.isObject()) {
            standIn(node);
        }
        node.forEach(ForecastOperation::standInEverywhere);
    }

    private static void standIn(JsonNode holder) {
        JsonNode role = holder.get("RoleArn");
        if (holder instanceof com.fasterxml.jackson.databind.node.ObjectNode object && role != null && role.isTextual()
                && role.asText().length() <= 256 && ROLE_ARN.matcher(role.asText()).matches()) {
            object.put("RoleArn", CHECKED_ROLE);
        }
    }

    protected ForecastStore store() {
        if (services.forecast == null) {
            throw new IllegalStateException("this storage keeps no Forecast resources");
        }
        return services.forecast;
    }

    protected int maxResults(JsonNode request) {
        return request.path("MaxResults").asInt(100);
    }

    /**
     * Tags as Forecast takes them: at most 50, each key once, none with the reserved {@code aws:}
     * prefix (in any letter case). Keys and values are sensitive: never named in a message.
     */
    static Map<String, String> tags(JsonNode request) {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode list = request.path("Tags");
        if (list.size() > MAX_TAGS) {
            throw new IntakeException(ErrorKind.LIMIT_EXCEEDED, "Tags has " + list.size()
                    + " tags; a resource can have at most " + MAX_TAGS);
        }
        for (JsonNode tag : list) {
            String key = tag.get("Key").asText();
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw IntakeException.invalid("Tag keys must not start with the reserved prefix aws:");
            }
            if (tags.put(key, tag.get("Value").asText()) != null) {
                throw IntakeException.invalid("Tags name the same Key twice");
            }
        }
        return tags;
    }
}
