package dev.intake.datazone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.api.Json;
import dev.intake.api.ServiceModel;
import dev.intake.core.IntakeException;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** How DataZone's configuration and schedule members become a saved source's folder, dataset, role and schedule. */
class DataSourceSettingsTest {

    @Test
    void everyTimezoneOfTheModelIsAnIanaZone() {
        JsonNode zones = ServiceModel.load("datazone").shape("Timezone").get("enum");
        assertThat(zones.size()).isGreaterThan(60);
        for (JsonNode zone : zones) {
            String iana = DataSourceSettings.zone(zone.asText());
            assertThat(ZoneId.getAvailableZoneIds()).as(zone.asText() + " -> " + iana).contains(iana);
        }
        assertThat(DataSourceSettings.zone("AMERICA_SAO_PAULO")).isEqualTo("America/Sao_Paulo");
        assertThat(DataSourceSettings.zone("ETC_GMT_ADD_5")).isEqualTo("Etc/GMT+5");
        assertThat(DataSourceSettings.zone("ETC_GMT_NEG_14")).isEqualTo("Etc/GMT-14");
        assertThat(DataSourceSettings.zone("US_PACIFIC")).isEqualTo("US/Pacific");
        assertThat(DataSourceSettings.zone("ASIA_HONG_KONG")).isEqualTo("Asia/Hong_Kong");
    }

    private static JsonNode configuration(String json) throws Exception {
        return Json.parse(json);
    }

    @Test
    void aGlueFilterNamesTheBucketTheDatasetAndTheFolder() throws Exception {
        var settings = DataSourceSettings.of(configuration("{\"glueRunConfiguration\":{\"dataAccessRole\":"
                + "\"arn:aws:iam::123456789012:role/r\",\"relationalFilterConfigurations\":[{\"databaseName\":\"bkt\","
                + "\"schemaName\":\"users\",\"filterExpressions\":[{\"type\":\"INCLUDE\",\"expression\":\"in/crm/\"}]}]}}"));
        assertThat(settings).isEqualTo(new DataSourceSettings("s3://bkt/in/crm/", "users", "arn:aws:iam::123456789012:role/r"));
        assertThat(DataSourceSettings.of(configuration("{\"glueRunConfiguration\":{\"relationalFilterConfigurations\":"
                + "[{\"databaseName\":\"bkt\",\"schemaName\":\"users\"}]}}")))
                .isEqualTo(new DataSourceSettings("s3://bkt/", "users", null));
    }

    @Test
    void whatASavedSourceCannotHoldIsRefusedNamingTheMember() throws Exception {
        String[][] refused = {
            {"{}", "glueRunConfiguration"},
            {"{\"redshiftRunConfiguration\":{},\"glueRunConfiguration\":{\"relationalFilterConfigurations\":[]}}",
                "nothing else"},
            {"{\"glueRunConfiguration\":{\"relationalFilterConfigurations\":[]}}", "exactly one"},
            {"{\"glueRunConfiguration\":{\"relationalFilterConfigurations\":[{\"databaseName\":\"Bad_Bucket\","
                + "\"schemaName\":\"u\"}]}}", "not an S3 bucket name"},
            {"{\"glueRunConfiguration\":{\"relationalFilterConfigurations\":[{\"databaseName\":\"bkt\"}]}}", "schemaName"},
            {"{\"glueRunConfiguration\":{\"relationalFilterConfigurations\":[{\"databaseName\":\"bkt\",\"schemaName\":\"u\","
                + "\"filterExpressions\":[{\"type\":\"INCLUDE\",\"expression\":\"a/\"},{\"type\":\"INCLUDE\","
                + "\"expression\":\"b/\"}]}]}}", "at most one"},
            {"{\"glueRunConfiguration\":{\"relationalFilterConfigurations\":[{\"databaseName\":\"bkt\",\"schemaName\":\"u\","
                + "\"filterExpressions\":[{\"type\":\"INCLUDE\",\"expression\":\"/abs/\"}]}]}}", "ending in '/'"},
        };
        for (String[] c : refused) {
            assertThatThrownBy(() -> DataSourceSettings.of(configuration(c[0]))).as(c[0])
                    .isInstanceOf(IntakeException.class).hasMessageContaining(c[1]);
        }
    }

    @Test
    void routeParametersAreMatchedToTheModelsByPlace() {
        assertThat(dev.intake.api.RestApiHandlerAccess.align("/v2/domains/{domainIdentifier}/data-sources/{dataSourceIdentifier}",
                "/v2/domains/{domainIdentifier}/data-sources/{identifier}"))
                .containsEntry("domainIdentifier", "domainIdentifier").containsEntry("identifier", "dataSourceIdentifier");
        assertThatThrownBy(() -> dev.intake.api.RestApiHandlerAccess.align("/v2/domains/{a}", "/v2/domains/{a}/x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> dev.intake.api.RestApiHandlerAccess.align("/v2/domain/{a}", "/v2/domains/{a}"))
                .isInstanceOf(IllegalStateException.class);
    }
}
