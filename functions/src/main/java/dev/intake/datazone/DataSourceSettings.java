package dev.intake.datazone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.core.IntakeException;
import dev.intake.core.SourceSchedule;
import java.util.Locale;

/**
 * How a DataZone data source names what Intake runs (see the README's DataZone section): type S3;
 * {@code configuration.glueRunConfiguration} with one relational filter configuration whose
 * databaseName is the bucket, schemaName the Intake dataset and at most one INCLUDE filter
 * expression the folder (a prefix ending in '/'; none: the whole bucket); dataAccessRole the role
 * its imports read as. The schedule's cron and timezone become the saved source's schedule.
 */
record DataSourceSettings(String location, String datasetName, String roleArn) {
    static final String TYPE = "S3";

    static void checkType(String type) {
        if (!TYPE.equals(type)) {
            throw IntakeException.invalid("Intake's data sources are of type S3 (objects in a bucket folder), not '"
                    + type + "'");
        }
    }

    static DataSourceSettings of(JsonNode configuration) {
        JsonNode glue = configuration.path("glueRunConfiguration");
        if (glue.isMissingNode() || configuration.has("redshiftRunConfiguration")
                || configuration.has("sageMakerRunConfiguration")) {
            throw IntakeException.invalid("configuration takes a glueRunConfiguration (databaseName: the bucket, "
                    + "schemaName: the dataset, an INCLUDE filter expression: the folder), and nothing else");
        }
        JsonNode filters = glue.path("relationalFilterConfigurations");
        if (filters.size() != 1) {
            throw IntakeException.invalid("glueRunConfiguration.relationalFilterConfigurations has " + filters.size()
                    + " entries; an Intake data source reads one bucket folder: give exactly one");
        }
        JsonNode filter = filters.get(0);
        String bucket = filter.get("databaseName").asText();
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw IntakeException.invalid("databaseName '" + bucket + "' is not an S3 bucket name");
        }
        if (!filter.hasNonNull("schemaName")) {
            throw IntakeException.invalid("relationalFilterConfigurations[0].schemaName is required: the Intake dataset"
                    + " the data source imports into");
        }
        String prefix = "";
        JsonNode expressions = filter.path("filterExpressions");
        if (expressions.size() > 1) {
            throw IntakeException.invalid("filterExpressions has " + expressions.size() + " entries; an Intake data"
                    + " source reads one folder: give at most one INCLUDE expression");
        }
        if (expressions.size() == 1) {
            JsonNode expression = expressions.get(0);
            if (!expression.get("type").asText().equals("INCLUDE")) {
                throw IntakeException.invalid("filterExpressions takes an INCLUDE expression (the folder); EXCLUDE "
                        + "expressions are not supported");
            }
            prefix = expression.get("expression").asText();
            if (!prefix.endsWith("/") || prefix.startsWith("/")) {
                throw IntakeException.invalid("The INCLUDE expression '" + prefix + "' must be a folder: a key prefix"
                        + " ending in '/' (and not starting with one)");
            }
        }
        String role = glue.hasNonNull("dataAccessRole") ? glue.get("dataAccessRole").asText() : null;
        return new DataSourceSettings("s3://" + bucket + "/" + prefix, filter.get("schemaName").asText(), role);
    }

    /** The configuration as DataZone answers it: as given, with the deployment's account and region. */
    static ObjectNode output(JsonNode configuration, String account, String region) {
        ObjectNode output = configuration.deepCopy();
        ObjectNode glue = (ObjectNode) output.get("glueRunConfiguration");
        glue.put("accountId", account);
        glue.put("region", region);
        return output;
    }

    /** The saved source's schedule for DataZone's: its cron, in its timezone (UTC when none). */
    static SourceSchedule schedule(JsonNode schedule) {
        if (!schedule.hasNonNull("schedule")) {
            throw IntakeException.invalid("schedule.schedule (a cron expression) is required when a schedule is given");
        }
        String zone = schedule.hasNonNull("timezone") ? zone(schedule.get("timezone").asText()) : "UTC";
        return SourceSchedule.of(schedule.get("schedule").asText(), zone);
    }

    /**
     * The IANA name of DataZone's Timezone enum value: AMERICA_SAO_PAULO is America/Sao_Paulo,
     * ETC_GMT_ADD_5 Etc/GMT+5, US_PACIFIC US/Pacific, CST6CDT as it is.
     */
    static String zone(String value) {
        switch (value) {
            case "UTC", "CET", "CST6CDT", "MST7MDT":
                return value;
            case "ISRAEL":
                return "Israel";
            default:
                break;
        }
        if (value.startsWith("ETC_GMT_ADD_")) {
            return "Etc/GMT+" + value.substring("ETC_GMT_ADD_".length());
        }
        if (value.startsWith("ETC_GMT_NEG_")) {
            return "Etc/GMT-" + value.substring("ETC_GMT_NEG_".length());
        }
        int underscore = value.indexOf('_');
        String region = value.substring(0, underscore);
        StringBuilder name = new StringBuilder(region.equals("US") ? "US" : capitalized(region)).append('/');
        String[] words = value.substring(underscore + 1).split("_");
        for (int i = 0; i < words.length; i++) {
            name.append(i == 0 ? "" : "_").append(region.equals("ETC") ? words[i] : capitalized(words[i]));
        }
        return name.toString();
    }

    private static String capitalized(String word) {
        return word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT);
    }
}
