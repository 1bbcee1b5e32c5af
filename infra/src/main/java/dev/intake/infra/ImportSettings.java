package dev.intake.infra;

import dev.intake.core.ImportAccess;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Node;

/**
 * What imports of this deployment may read and which roles their jobs may name, from the context:
 * {@code importSources} (comma-separated {@code s3://bucket/} or {@code s3://bucket/folder/}; default
 * the landing bucket, written {@code s3://{landing}/}) and {@code importRoleArns} (comma-separated
 * role ARNs; default none). The functions get them as {@link ImportAccess#SOURCES_VARIABLE} and
 * {@link ImportAccess#ROLES_VARIABLE} and refuse other requests; the ingest roles' policies grant
 * exactly these. Each entry is checked when the app synthesizes, by the rules the functions apply.
 */
final class ImportSettings {
    static final String SOURCES_CONTEXT = "importSources";
    static final String ROLES_CONTEXT = "importRoleArns";
    /** The bucket name that stands for the stack's landing bucket, whose name CloudFormation chooses. */
    static final String LANDING = "{landing}";
    static final String DEFAULT_SOURCES = "s3://" + LANDING + "/";
    /** A valid bucket name to check a landing entry's folder with (never deployed). */
    private static final String LANDING_STAND_IN = "landing-bucket-of-this-stack";

    /** One allowed source: a bucket of the context, or the landing bucket (landing = true), and its folder. */
    record Source(boolean landing, String bucket, String prefix) {
        /** The bucket's name, a token for the landing bucket. */
        String bucketName(IBucket landingBucket) {
            return landing ? landingBucket.getBucketName() : bucket;
        }

        String bucketArn(IBucket landingBucket) {
            return landing ? landingBucket.getBucketArn() : "arn:" + Aws.PARTITION + ":s3:::" + bucket;
        }

        /** As the context writes it. */
        String describe() {
            return "s3://" + (landing ? LANDING : bucket) + "/" + prefix;
        }

        /** What the functions read back ({@link ImportAccess.Source#parse}). */
        String uri(IBucket landingBucket) {
            return "s3://" + bucketName(landingBucket) + "/" + prefix;
        }
    }

    final List<Source> sources;
    final List<String> roleArns;

    private ImportSettings(List<Source> sources, List<String> roleArns) {
        this.sources = List.copyOf(sources);
        this.roleArns = List.copyOf(roleArns);
    }

    /** Reads and checks the context; a wrong entry stops the synth with what is wrong with it. */
    static ImportSettings fromContext(Node node) {
        String sources = contextList(node, SOURCES_CONTEXT, DEFAULT_SOURCES);
        String roles = contextList(node, ROLES_CONTEXT, "");
        List<Source> parsed = new ArrayList<>();
        try {
            List<String> entries = ImportAccess.entries(sources);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("it names no location, so no import could read anything");
            }
            for (String entry : entries) {
                boolean landing = entry.equals("s3://" + LANDING) || entry.startsWith("s3://" + LANDING + "/");
                String uri = landing ? entry.replace(LANDING, LANDING_STAND_IN) : entry;
                ImportAccess.Source source = ImportAccess.Source.parse(uri);
                parsed.add(new Source(landing, landing ? null : source.bucket(), source.prefix()));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Context " + SOURCES_CONTEXT + " '" + sources + "': " + e.getMessage()
                    + " (entries are s3://bucket/ or s3://bucket/folder/; s3://" + LANDING + "/ is the landing bucket)", e);
        }
        List<String> roleArns;
        try {
            roleArns = new ArrayList<>(ImportAccess.parse("", roles).roleArns());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Context " + ROLES_CONTEXT + " '" + roles + "': " + e.getMessage(), e);
        }
        return new ImportSettings(parsed, roleArns);
    }

    /** A context value given as a string (-c key=a,b) or as a JSON list (cdk.json), as one comma-separated string. */
    private static String contextList(Node node, String key, String otherwise) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }

    /** IMPORT_SOURCES: the sources, the landing bucket by its name. */
    String sourcesVariable(IBucket landingBucket) {
        return String.join(",", sources.stream().map(s -> s.uri(landingBucket)).toList());
    }

    /** IMPORT_ROLE_ARNS, or null when no role is allowed (no variable). */
    String rolesVariable() {
        return roleArns.isEmpty() ? null : String.join(",", roleArns);
    }
}
