package dev.intake.infra;

import static dev.intake.infra.IntakeMetrics.IMPORT_JOBS_FAILED;
import static dev.intake.infra.IntakeMetrics.IMPORT_JOBS_STARTED;
import static dev.intake.infra.IntakeMetrics.IMPORT_JOBS_SUCCEEDED;
import static dev.intake.infra.IntakeMetrics.IMPORT_JOB_DURATION;
import static dev.intake.infra.IntakeMetrics.ROWS_INGESTED;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.YAxisProps;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * Alarms and the dashboard: an errors alarm per function, every alarm of the stack notifying one
 * topic that users subscribe to, and the dashboard {@value #DASHBOARD_NAME}.
 */
final class Monitoring extends Construct {
    /** A fixed name, to be found in the console; so one Intake stack per account and region. */
    static final String DASHBOARD_NAME = "Intake";
    private static final Duration FIVE_MINUTES = Duration.minutes(5);
    private static final int WIDGET_HEIGHT = 6;

    final Topic alarmTopic;
    final List<Alarm> alarms = new ArrayList<>();
    /** Errors alarms made where their functions live (a nested stack's are in that stack), by function name. */
    private final Map<String, Alarm> errorsAlarms = new LinkedHashMap<>();

    /** The topic; the alarms and the dashboard follow ({@link #errorsAlarm}, {@link #dashboard}). */
    Monitoring(Construct scope, String id) {
        super(scope, id);
        alarmTopic = alarmTopic();
    }

    /**
     * The function's errors alarm, made in {@code scope} (so in the stack that holds the function:
     * an operations stack's alarms count against its own resource limit), notifying the topic.
     */
    Alarm errorsAlarm(Construct scope, String name, IntakeFunction fn) {
        Alarm alarm = Alarm.Builder.create(scope, name + "ErrorsAlarm")
                .alarmDescription("Intake function " + name
                        + " failed an invocation (exception, timeout, out of memory)")
                .metric(fn.function.metricErrors(MetricOptions.builder().statistic("Sum").period(FIVE_MINUTES).build()))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        errorsAlarms.put(name, alarm);
        return alarm;
    }

    /**
     * The dashboard, with every function's errors and throttles; a function without an errors alarm
     * yet gets one here (in this construct).
     *
     * @param functions by the name the dashboard shows
     * @param otherAlarms alarms made elsewhere (dead letters, failed executions) that notify the topic too
     */
    void dashboard(Map<String, IntakeFunction> functions, IStateMachine stateMachine, IQueue deadLetters,
                   List<Alarm> otherAlarms) {
        SnsAction notify = new SnsAction(alarmTopic);
        otherAlarms.forEach(alarm -> alarm.addAlarmAction(notify));
        alarms.addAll(otherAlarms);
        functions.forEach((name, fn) -> alarms.add(errorsAlarms.containsKey(name) ? errorsAlarms.get(name)
                : errorsAlarm(this, name, fn)));
        dashboard(functions, stateMachine, deadLetters);
    }

    private void dashboard(Map<String, IntakeFunction> functions, IStateMachine stateMachine, IQueue deadLetters) {
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> throttles = new ArrayList<>();
        functions.forEach((name, fn) -> {
            errors.add(fn.function.metricErrors(sumPerFiveMinutes(name)));
            throttles.add(fn.function.metricThrottles(sumPerFiveMinutes(name)));
        });
        List<IWidget> jobs = List.of(
                graph("Import jobs (per 5 minutes)", List.of(
                        IntakeMetrics.metric(IMPORT_JOBS_STARTED, "Sum", FIVE_MINUTES, "started"),
                        IntakeMetrics.metric(IMPORT_JOBS_SUCCEEDED, "Sum", FIVE_MINUTES, "succeeded"),
                        IntakeMetrics.metric(IMPORT_JOBS_FAILED, "Sum", FIVE_MINUTES, "failed"))),
                graph("Rows ingested per minute", List.of(
                        IntakeMetrics.metric(ROWS_INGESTED, "Sum", Duration.minutes(1), "rows"),
                        IntakeMetrics.metric(IntakeMetrics.STORAGE_THROTTLES, "Sum", Duration.minutes(1),
                                "DynamoDB requests throttled (retried)"))),
                graph("Import job duration (ms)", List.of(
                        IntakeMetrics.metric(IMPORT_JOB_DURATION, "p50", FIVE_MINUTES, "p50"),
                        IntakeMetrics.metric(IMPORT_JOB_DURATION, "p90", FIVE_MINUTES, "p90"),
                        IntakeMetrics.metric(IMPORT_JOB_DURATION, "Maximum", FIVE_MINUTES, "max"))));
        List<IWidget> workflow = List.of(
                graph("Import-job executions (per 5 minutes)", List.of(
                        stateMachine.metricSucceeded(sumPerFiveMinutes("succeeded")),
                        stateMachine.metricFailed(sumPerFiveMinutes("failed")),
                        stateMachine.metricTimedOut(sumPerFiveMinutes("timed out")))),
                graph("Landing notifications in the dead-letter queue", List.of(
                        deadLetters.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                                .statistic("Maximum").period(FIVE_MINUTES).label("messages").build()))),
                AlarmStatusWidget.Builder.create().title("Alarms").alarms(List.copyOf(alarms))
                        .width(8).height(WIDGET_HEIGHT).build());
        List<IWidget> lambda = List.of(
                graph("Lambda errors (per 5 minutes)", errors, 12),
                graph("Lambda throttles (per 5 minutes)", throttles, 12));
        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(DASHBOARD_NAME)
                .widgets(List.of(jobs, workflow, lambda))
                .build();
    }

    /**
     * Encrypted with a key of the stack's own: CloudWatch alarms cannot publish to a topic under the
     * AWS-managed alias/aws/sns, whose key policy does not let cloudwatch.amazonaws.com use it.
     */
    private Topic alarmTopic() {
        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the Intake alarm topic")
                .enableKeyRotation(true)
                // It encrypts only messages in flight; nothing stays encrypted under it once the stack is gone.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        ServicePrincipal cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(cloudWatch))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*")) // in a key policy, "*" is this key
                .build());
        Topic topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("Intake alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // The topic policy replaces SNS's default one, so CloudWatch needs an explicit allow; only
        // alarms of this account may publish.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(cloudWatch))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("ArnLike", Map.of("aws:SourceArn",
                        "arn:" + Aws.PARTITION + ":cloudwatch:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":alarm:*")))
                .build());
        return topic;
    }

    private static MetricOptions sumPerFiveMinutes(String label) {
        return MetricOptions.builder().statistic("Sum").period(FIVE_MINUTES).label(label).build();
    }

    private static IWidget graph(String title, List<? extends IMetric> metrics) {
        return graph(title, metrics, 8);
    }

    private static IWidget graph(String title, List<? extends IMetric> metrics, int width) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(List.copyOf(metrics))
                .leftYAxis(YAxisProps.builder().min(0).build())
                .width(width)
                .height(WIDGET_HEIGHT)
                .build();
    }
}
