package dev.intake.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The two tables, both keyed (pk, sk) as the DynamoDB adapters expect: control (datasets, jobs,
 * chunk results, queues, config) and records (the imported data, by dataset generation).
 */
final class DataTables extends Construct {
    final Table control;
    final Table records;

    DataTables(Construct scope, String id) {
        super(scope, id);
        // Control's stream is the outbox of job state-change events (JobEvents): each job item's old
        // and new image, in the order of its writes.
        control = table("Control", StreamViewType.NEW_AND_OLD_IMAGES);
        records = table("Records", null);
    }

    private Table table(String id, StreamViewType stream) {
        return Table.Builder.create(this, id)
                .stream(stream)
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                // Users' data and job history outlive the stack: keep them on delete and guard them.
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }
}
