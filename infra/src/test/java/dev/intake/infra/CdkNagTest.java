package dev.intake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.sqs.Queue;

class CdkNagTest {
    private final SynthesizedIntake intake = SynthesizedIntake.get();

    @Test
    void awsSolutionsChecksFindNoUnsuppressedErrorsOrWarnings() {
        Annotations annotations = Annotations.fromStack(intake.stack);
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .extracting(m -> m.getId() + ": " + m.getEntry().getData()).isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    }

    @Test
    void theChecksRanOnEveryStackAndEverySuppressionSaysWhy() throws IOException {
        Map<String, List<String>> reports = reports(intake.app);
        assertThat(reports).hasSize(1 + intake.stack.operationStacks.size());
        for (OperationsStack nested : intake.stack.operationStacks) {
            // each nested stack's own report checks its functions
            assertThat(reports).anySatisfy((file, rows) -> assertThat(rows).anyMatch(row -> row.contains(
                    "\"" + nested.getNode().getPath() + "/") && row.contains("/Role/Resource\"")));
        }
        reports.forEach((file, rows) -> {
            assertThat(rows).as(file).anyMatch(row -> row.contains("\"Compliant\""));
            List<String> suppressed = rows.stream().filter(row -> row.contains("\"Suppressed\"")).toList();
            assertThat(suppressed).as(file).isNotEmpty()
                    .allSatisfy(row -> assertThat(row.split("\",\"")[3]).hasSizeGreaterThan(30));
            assertThat(rows).as(file).noneMatch(row -> row.contains("\"Non-Compliant\""));
        });
    }

    /** Each stack's report (nested stacks have their own), by file name. */
    private static Map<String, List<String>> reports(App app) throws IOException {
        Map<String, List<String>> reports = new TreeMap<>();
        try (var files = Files.list(Path.of(app.getOutdir()))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("AwsSolutions-.*-NagReport\\.csv")).toList()) {
                reports.put(file.getFileName().toString(), Files.readAllLines(file));
            }
        }
        return reports;
    }

    @Test
    void configuredSourcesAndRolesPassTheChecksWithSuppressionsThatNameThem() throws IOException {
        App app = SynthesizedIntake.newApp("nag-import-context");
        app.getNode().setContext("importSources", "s3://{landing}/in/,s3://shared-data/exports/,s3://whole-bucket/");
        app.getNode().setContext("importRoleArns", "arn:aws:iam::123456789012:role/reader");
        Stack stack = IntakeApp.addTo(app, SynthesizedIntake.SOURCES);
        Annotations annotations = Annotations.fromStack(stack);
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        app.synth();
        List<String> rows = reports(app).values().stream().flatMap(List::stream).toList();
        assertThat(rows.stream().filter(r -> r.contains("Tasks/IngestChunk/Role") && r.contains("\"Suppressed\"")
                && r.contains("AwsSolutions-IAM5")).toList())
                .anyMatch(r -> r.contains("[Resource::arn:<AWS::Partition>:s3:::shared-data/exports/*]")
                        && r.contains("context importSources: s3://{landing}/in/, s3://shared-data/exports/, s3://whole-bucket/"));
    }

    @Test
    void noSuppressionSpeaksForAccessTheStackNoLongerGrants() throws IOException {
        List<String> rows = reports(intake.app).values().stream().flatMap(List::stream).toList();
        assertThat(rows).noneMatch(r -> r.contains("s3:::*") || r.contains("iam::*") || r.contains("any bucket")
                || r.contains("logging ALL"));
        assertThat(rows.stream().filter(r -> r.contains("\"Suppressed\"") && r.contains("AwsSolutions-IAM5")
                && r.contains("/Role/")).toList()).allSatisfy(r -> assertThat(r).containsAnyOf("[Resource::*] X-Ray",
                "[Resource::<BucketsLanding", "[Resource::<BucketsResults", "[Resource::*] CloudWatch Logs log-delivery",
                "[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<ImportJobStateMachine",
                "[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<DeleteRecordsStateMachine",
                "[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<ExportJobStateMachine",
                "[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<SourceSchedulesGroup",
                // the same, in a nested stack, as the parameters the parent passes them in
                "[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:"
                        + "<referencetoIntakeStackImportJobStateMachine",
                "[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:"
                        + "<referencetoIntakeStackDeleteRecordsStateMachine",
                "[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:"
                        + "<referencetoIntakeStackExportJobStateMachine",
                "[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/"
                        + "<referencetoIntakeStackSourceSchedulesGroup"));
    }

    @Test
    void theAppsAspectCatchesANonCompliantResource() {
        App app = SynthesizedIntake.newApp("probe");
        IntakeApp.addTo(app, SynthesizedIntake.SOURCES);
        Stack probe = new Stack(app, "Probe");
        Queue.Builder.create(probe, "PlainQueue").build(); // no DLQ, no TLS-only policy

        assertThat(Annotations.fromStack(probe).findError("*", Match.stringLikeRegexp("AwsSolutions-SQS.*"))).isNotEmpty();
    }

    @Test
    void theAppsAspectReachesTheNestedStacks() {
        App app = SynthesizedIntake.newApp("nested-probe");
        IntakeStack stack = IntakeApp.addTo(app, SynthesizedIntake.SOURCES);
        OperationsStack nested = stack.operationStacks.get(0);
        Queue.Builder.create(nested, "PlainQueue").build(); // no DLQ, no TLS-only policy

        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-SQS.*")))
                .isNotEmpty().allSatisfy(m -> assertThat(m.getId()).startsWith("/" + nested.getNode().getPath() + "/PlainQueue"));
    }
}
