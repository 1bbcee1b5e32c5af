package dev.intake.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The output-shape check every test's responses go through (intake.checkResponses). */
class ServiceModelOutputTest {
    private static final ServiceModel PERSONALIZE = ServiceModel.load("personalize");

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
        return Json.parse(text);
    }

    @Test
    void theBuildTurnsTheCheckOnForEveryTest() {
        assertThat(Boolean.getBoolean("intake.checkResponses")).isTrue();
    }

    @Test
    void aConformingResponseHasNoProblems() throws Exception {
        assertThat(PERSONALIZE.outputProblems("CreateDatasetImportJob", json(
                "{\"datasetImportJobArn\":\"arn:aws:personalize:us-east-1:000000000000:dataset-import-job/j\"}"))).isEmpty();
    }

    @Test
    void unknownMembersWrongEnumsMissingRequiredMembersAndWrongTypesAreNamed() throws Exception {
        assertThat(PERSONALIZE.outputProblems("CreateDatasetImportJob", json("{\"datasetImportJobArn\":\"x\",\"extra\":1}")))
                .anySatisfy(p -> assertThat(p).contains("'extra' is not a member"))
                .anySatisfy(p -> assertThat(p).contains("datasetImportJobArn").contains("regular expression"));
        assertThat(PERSONALIZE.outputProblems("DescribeDatasetImportJob", json(
                "{\"datasetImportJob\":{\"status\":\"DONE\",\"importMode\":\"SOMETIMES\"}}")))
                .anySatisfy(p -> assertThat(p).contains("datasetImportJob.importMode").contains("enum"));
        assertThat(PERSONALIZE.outputProblems("ListDatasetImportJobs", json("{\"datasetImportJobs\":[{\"creationDateTime\":\"today\"}]}")))
                .anySatisfy(p -> assertThat(p).contains("creationDateTime").contains("epoch seconds"));
    }
}
