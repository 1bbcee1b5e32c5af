package dev.intake.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The landing bucket (users drop data there), the results bucket (error reports and statistics)
 * and the bucket their server access logs go to.
 */
final class Buckets extends Construct {
    final Bucket landing;
    final Bucket results;
    final Bucket accessLogs;

    Buckets(Construct scope, String id) {
        super(scope, id);
        // Access-log delivery supports only S3-managed encryption, hence SSE-S3 everywhere.
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .expiration(Duration.days(365))
                        .noncurrentVersionExpiration(Duration.days(30))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.suppress(accessLogs, "S1", "This is the server access log bucket; logging it into itself would loop");
        landing = dataBucket("Landing", "landing/", List.of());
        // An import's working files (key hashes) are deleted when it ends; these rules catch what a
        // crashed step left behind.
        results = dataBucket("Results", "results/", List.of(LifecycleRule.builder().id("ImportWorkingFiles")
                .prefix(WORK_PREFIX).expiration(Duration.days(7)).build(),
                // Chunk manifests are read by the import's Distributed Maps, so they outlive its last step; a
                // job runs at most 2 days (the state machine's timeout), and a week later its manifests go.
                LifecycleRule.builder().id("ImportManifests")
                        .prefix(dev.intake.core.ChunkManifest.PREFIX).expiration(Duration.days(7)).build()));
    }

    /** Where import jobs keep working files in the results bucket. */
    static final String WORK_PREFIX = dev.intake.core.ImportWorkflow.WORK;

    private Bucket dataBucket(String id, String logPrefix, List<LifecycleRule> extraRules) {
        List<LifecycleRule> rules = new java.util.ArrayList<>(List.of(LifecycleRule.builder()
                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                .noncurrentVersionExpiration(Duration.days(30))
                .build()));
        rules.addAll(extraRules);
        return Bucket.Builder.create(this, id)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(logPrefix)
                .lifecycleRules(rules)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }
}
