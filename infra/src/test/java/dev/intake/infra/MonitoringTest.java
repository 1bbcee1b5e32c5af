package dev.intake.infra;

import static dev.intake.infra.TemplateView.actionsOf;
import static dev.intake.infra.TemplateView.joined;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Alarms, the topic they notify, and the dashboard. */
class MonitoringTest {
    private final TemplateView view = SynthesizedIntake.get().view;

    // ---- alarms ----

    @Test
    void everyFunctionHasAnErrorsAlarmOfOneErrorInFiveMinutes() {
        Map<String, JsonNode> alarms = view.resources("AWS::CloudWatch::Alarm");
        view.intakeFunctions().keySet().forEach(functionId -> {
            List<JsonNode> errorAlarms = alarms.values().stream().map(a -> a.path("Properties"))
                    .filter(a -> a.path("MetricName").asText().equals("Errors")
                            && a.path("Dimensions").toString().equals(
                                    "[{\"Name\":\"FunctionName\",\"Value\":{\"Ref\":\"" + functionId + "\"}}]"))
                    .toList();
            assertThat(errorAlarms).as(functionId).hasSize(1);
            JsonNode alarm = errorAlarms.get(0);
            assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/Lambda");
            assertThat(alarm.path("Statistic").asText()).isEqualTo("Sum");
            assertThat(alarm.path("Period").asInt()).isEqualTo(300);
            assertThat(alarm.path("EvaluationPeriods").asInt()).isEqualTo(1);
            assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1.0);
            assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
            assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("notBreaching");
        });
        // The errors alarms, the dead-letter alarm and the failed-executions alarm; nothing else.
        // ... plus the dead-letter alarm, each state machine's failed-executions alarm (import,
        // deletion, export) and the job-events failed-records alarm
        assertThat(alarms).hasSize(view.intakeFunctions().size() + 5);
    }

    @Test
    void everyAlarmNotifiesTheAlarmTopicWhoseArnIsAnOutput() {
        String topic = topicId();
        view.resources("AWS::CloudWatch::Alarm").forEach((id, alarm) -> assertThat(
                alarm.path("Properties").path("AlarmActions").toString()).as(id).isEqualTo("[{\"Ref\":\"" + topic + "\"}]"));
        assertThat(view.template.path("Outputs").path("AlarmTopicArn").path("Value").path("Ref").asText()).isEqualTo(topic);
    }

    @Test
    void alarmTopicIsEncryptedWithARotatedKeyThatCloudWatchMayUseAndIsTlsOnly() {
        JsonNode topic = view.resource(topicId()).path("Properties");
        String keyId = topic.path("KmsMasterKeyId").path("Fn::GetAtt").path(0).asText();
        JsonNode key = view.resource(keyId);
        assertThat(key.path("Type").asText()).isEqualTo("AWS::KMS::Key");
        assertThat(key.path("Properties").path("EnableKeyRotation").asBoolean()).isTrue();
        // alias/aws/sns would not do: CloudWatch may not use that key, so alarms could not publish.
        assertThat(key.path("Properties").path("KeyPolicy").path("Statement")).anyMatch(s ->
                s.path("Effect").asText().equals("Allow")
                        && s.path("Principal").path("Service").asText().equals("cloudwatch.amazonaws.com")
                        && actionsOf(s).containsAll(List.of("kms:Decrypt", "kms:GenerateDataKey*")));

        Map<String, JsonNode> policies = view.resources("AWS::SNS::TopicPolicy");
        assertThat(policies).hasSize(1);
        JsonNode policy = policies.values().iterator().next().path("Properties");
        assertThat(policy.path("Topics").toString()).isEqualTo("[{\"Ref\":\"" + topicId() + "\"}]");
        List<JsonNode> statements = new ArrayList<>();
        policy.path("PolicyDocument").path("Statement").forEach(statements::add);
        assertThat(statements).anyMatch(s -> s.path("Effect").asText().equals("Deny")
                && s.path("Principal").asText().equals("*")
                && s.path("Condition").path("Bool").path("aws:SecureTransport").asText().equals("false"));
        // SNS's default policy is replaced, so CloudWatch needs its own allow, for this account's alarms.
        assertThat(statements).anyMatch(s -> s.path("Effect").asText().equals("Allow")
                && s.path("Principal").path("Service").asText().equals("cloudwatch.amazonaws.com")
                && actionsOf(s).equals(List.of("sns:Publish"))
                && joined(s.path("Condition").path("ArnLike").path("aws:SourceArn"))
                .equals("arn:<Ref:AWS::Partition>:cloudwatch:<Ref:AWS::Region>:<Ref:AWS::AccountId>:alarm:*"));
    }

    // ---- dashboard ----

    @Test
    void dashboardShowsImportJobsRowsAndDurationsAsTheFunctionsEmitThem() throws JsonProcessingException {
        // Literal names: they are the contract with the functions' Powertools metrics.
        assertThat(dashboardMetrics()).contains(
                "Intake ImportJobsStarted Service=intake Sum 300",
                "Intake ImportJobsSucceeded Service=intake Sum 300",
                "Intake ImportJobsFailed Service=intake Sum 300",
                "Intake RowsIngested Service=intake Sum 60",
                "Intake StorageThrottledRequests Service=intake Sum 60",
                "Intake ImportJobDuration Service=intake p50 300",
                "Intake ImportJobDuration Service=intake p90 300",
                "Intake ImportJobDuration Service=intake Maximum 300");
    }

    @Test
    void dashboardShowsExecutionsDeadLettersAndEachFunctionsErrorsAndThrottles() throws JsonProcessingException {
        String stateMachine = view.resources("AWS::StepFunctions::StateMachine").keySet().stream()
                .filter(id -> id.startsWith("ImportJob")).findFirst().orElseThrow();
        String deadLetters = view.resources("AWS::SQS::Queue").entrySet().stream()
                .filter(e -> !e.getValue().path("Properties").has("RedrivePolicy")).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        Set<String> metrics = dashboardMetrics();
        for (String outcome : List.of("ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut")) {
            assertThat(metrics).contains("AWS/States " + outcome + " StateMachineArn=<Ref:" + stateMachine + "> Sum 300");
        }
        assertThat(metrics).contains("AWS/SQS ApproximateNumberOfMessagesVisible QueueName=<GetAtt:" + deadLetters
                + ".QueueName> Maximum 300");
        view.intakeFunctions().keySet().forEach(fn -> assertThat(metrics).contains(
                "AWS/Lambda Errors FunctionName=<Ref:" + fn + "> Sum 300",
                "AWS/Lambda Throttles FunctionName=<Ref:" + fn + "> Sum 300"));

        Set<String> alarmArns = new TreeSet<>();
        view.resources("AWS::CloudWatch::Alarm").keySet().forEach(id -> alarmArns.add("<GetAtt:" + id + ".Arn>"));
        Set<String> shown = new TreeSet<>();
        dashboardBody().path("widgets").forEach(w -> w.path("properties").path("alarms").forEach(a -> shown.add(a.asText())));
        assertThat(shown).isEqualTo(alarmArns);
    }

    @Test
    void functionsTellPowertoolsTheNamespaceAndServiceTheDashboardReads() {
        view.intakeFunctions().forEach((id, fn) -> {
            JsonNode env = fn.path("Properties").path("Environment").path("Variables");
            assertThat(env.path("POWERTOOLS_METRICS_NAMESPACE").asText()).as(id).isEqualTo("Intake");
            assertThat(env.path("POWERTOOLS_SERVICE_NAME").asText()).as(id).isEqualTo("intake");
            assertThat(env.path("POWERTOOLS_LOG_LEVEL").asText()).as(id).isEqualTo("INFO");
        });
    }

    // ---- helpers ----

    private String topicId() {
        Map<String, JsonNode> topics = view.resources("AWS::SNS::Topic");
        assertThat(topics).hasSize(1);
        return topics.keySet().iterator().next();
    }

    private JsonNode dashboardBody() throws JsonProcessingException {
        Map<String, JsonNode> dashboards = view.resources("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        JsonNode dashboard = dashboards.values().iterator().next().path("Properties");
        assertThat(dashboard.path("DashboardName").asText()).isEqualTo("Intake");
        // References sit inside JSON strings, so the joined body parses with them as <Ref:...>.
        return SynthesizedIntake.MAPPER.readTree(joined(dashboard.path("DashboardBody")));
    }

    /**
     * Every graphed metric as "namespace name dimension=value... statistic period", the period being
     * the metric's own, else the widget's, else CloudWatch's default of 300 seconds.
     */
    private Set<String> dashboardMetrics() throws JsonProcessingException {
        Set<String> metrics = new TreeSet<>();
        for (JsonNode widget : dashboardBody().path("widgets")) {
            JsonNode properties = widget.path("properties");
            for (JsonNode line : properties.path("metrics")) {
                StringBuilder metric = new StringBuilder(line.get(0).asText() + " " + line.get(1).asText());
                int i = 2;
                for (; i + 1 < line.size() && line.get(i).isTextual(); i += 2) {
                    metric.append(' ').append(line.get(i).asText()).append('=').append(line.get(i + 1).asText());
                }
                JsonNode options = line.path(i);
                metric.append(' ').append(options.path("stat").asText("Average")).append(' ')
                        .append(options.path("period").asInt(properties.path("period").asInt(300)));
                metrics.add(metric.toString());
            }
        }
        return metrics;
    }
}
