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

    LandingNotifications(Construct scope, String id, Bucket landing) {
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
