package dev.intake.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.core.ErrorKind;
import dev.intake.core.IntakeException;
import org.junit.jupiter.api.Test;

class ServiceModelTest {
    private final ServiceModel personalize = ServiceModel.load("personalize");

    private static JsonNode json(String s) throws Exception {
        return Json.parse(s);
    }

    @Test
    void acceptsAValidRequest() {
        assertThatCode(() -> personalize.validateInput("CreateDatasetImportJob", json("""
                {"jobName":"job-1","datasetArn":"arn:aws:personalize:us-east-1:000000000000:dataset/items",
                 "dataSource":{"dataLocation":"s3://b/k.csv"},"importMode":"FULL",
                 "tags":[{"tagKey":"team","tagValue":"a"}]}"""))).doesNotThrowAnyException();
    }

    @Test
    void namesEveryViolatedConstraintInAwsWording() throws Exception {
        assertThatThrownBy(() -> personalize.validateInput("CreateDatasetImportJob", json("""
                {"jobName":"-bad","dataSource":{"dataLocation":"ftp://x"},"importMode":"SOME"}""")))
                .isInstanceOf(IntakeException.class)
                .hasMessageStartingWith("4 validation errors detected: ")
                .hasMessageContaining("Value null at 'datasetArn' failed to satisfy constraint: Member must not be null")
                .hasMessageContaining("Value '-bad' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*")
                .hasMessageContaining("Value 'SOME' at 'importMode' failed to satisfy constraint: Member must satisfy enum value set: [FULL, INCREMENTAL]")
                .hasMessageContaining("Value 'ftp://x' at 'dataSource.dataLocation' failed to satisfy constraint");
    }

    @Test
    void checksLengthsAndRanges() {
        String longName = "a".repeat(64);
        assertThatThrownBy(() -> personalize.validateInput("CreateDatasetImportJob", json(
                "{\"jobName\":\"" + longName + "\",\"datasetArn\":\"arn:aws:personalize:r:a:dataset/x\",\"dataSource\":{}}")))
                .hasMessageContaining("Member must have length less than or equal to 63");
        assertThatThrownBy(() -> personalize.validateInput("ListDatasetImportJobs", json("{\"maxResults\":0}")))
                .hasMessageContaining("Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }

    @Test
    void neverEchoesSensitiveValues() {
        assertThatThrownBy(() -> personalize.validateInput("CreateDatasetImportJob", json(
                "{\"jobName\":\"j\",\"datasetArn\":\"arn:aws:personalize:r:a:dataset/x\",\"dataSource\":{},"
                        + "\"tags\":[{\"tagKey\":\"secret-key!\",\"tagValue\":\"v\"}]}")))
                .hasMessageContaining("Value '***' at 'tags.1.member.tagKey' failed to satisfy constraint")
                .hasMessageNotContaining("secret-key");
    }

    @Test
    void wrongJsonTypesAreSerializationErrors() {
        assertThatThrownBy(() -> personalize.validateInput("DescribeDatasetImportJob", json("{\"datasetImportJobArn\":5}")))
                .isInstanceOf(IntakeException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((IntakeException) e).kind()).isEqualTo(ErrorKind.SERIALIZATION))
                .hasMessage("Value at 'datasetImportJobArn' must be a string");
        assertThatThrownBy(() -> personalize.validateInput("DescribeDatasetImportJob", json("[1]")))
                .hasMessage("The request body must be a JSON object");
    }
}
