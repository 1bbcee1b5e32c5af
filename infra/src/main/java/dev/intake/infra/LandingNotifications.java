package dev.intake.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The landing bucket's object-created notifications, queued for the S3Arrivals trigger (which turns
 * arrivals into INCREMENTAL jobs). Notifications it cannot handle after a few tries go to the
 * dead-letter queue, and the alarm says so.
 */
final class LandingNotifications extends Construct {
    /** Receives before a notification is parked in the dead-letter queue. */
    private static final int MAX_RECEIVES = 5;

    final Queue queue;
    final Queue deadLetters;
    final Alarm deadLettersAlarm;

    /**
     * @param otherSources buckets other than the landing bucket that imports may read (data sources
     *                     there are fed by their own notifications): S3 may send those buckets'
     *                     notifications to the queue, if their owner configures them to
     */
    LandingNotifications(Construct scope, String id, Bucket landing, java.util.List<String> otherSources) {
        super(scope, id);
        deadLetters = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Nag.suppress(deadLetters, "SQS3", "This is the dead-letter queue of the landing queue");
        queue = Queue.Builder.create(this, "Queue")
                // SQS-managed keys: S3 can publish to the queue without a KMS key policy.
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // six times the consumer's 60 s timeout, as Lambda advises for SQS event sources
                .visibilityTimeout(Duration.minutes(6))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVES).build())
                .build();
        landing.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue));
        if (!otherSources.isEmpty()) {
            // Only S3 on behalf of those buckets, and only in this account.
            queue.addToResourcePolicy(software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                    .principals(java.util.List.of(new software.amazon.awscdk.services.iam.ServicePrincipal("s3.amazonaws.com")))
                    .actions(java.util.List.of("sqs:SendMessage"))
                    .resources(java.util.List.of(queue.getQueueArn()))
                    .conditions(java.util.Map.of(
                            "ArnLike", java.util.Map.of("aws:SourceArn", otherSources),
                            "StringEquals", java.util.Map.of("aws:SourceAccount", software.amazon.awscdk.Aws.ACCOUNT_ID)))
                    .build());
        }

        deadLettersAlarm = Alarm.Builder.create(this, "DeadLettersAlarm")
                .alarmDescription("Landing-bucket notifications the trigger could not handle are in the dead-letter queue")
                .metric(deadLetters.metricApproximateNumberOfMessagesVisible())
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }
}
