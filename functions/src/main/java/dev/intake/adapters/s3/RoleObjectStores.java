package dev.intake.adapters.s3;

import dev.intake.core.DataLocation;
import dev.intake.core.ports.ObjectStore;
import dev.intake.core.ports.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Intake's own S3 client, and one per job that names a role: that client reads as the role, in a
 * session named {@code intake-<jobName>} (so the role's CloudTrail events name the job), and
 * refreshes its credentials itself. The last few are kept, as a Lambda process mostly serves the
 * chunks of one job after another; older ones are closed.
 */
public final class RoleObjectStores implements ObjectStores {
    /** STS: 2 to 64 characters of [\w+=,.@-]. */
    static final int MAX_SESSION_NAME = 64;
    private static final Pattern NOT_SESSION_CHAR = Pattern.compile("[^\\w+=,.@-]");
    private static final int KEPT = 8;

    private final ObjectStore own;
    private final StsClient sts;
    private final Function<AwsCredentialsProvider, S3Client> clientWith;
    private final Map<String, RoleStore> byJob = new LinkedHashMap<>(16, 0.75f, true);

    private record RoleStore(ObjectStore store, S3Client client, StsAssumeRoleCredentialsProvider credentials) {
        void close() {
            client.close();
            credentials.close();
        }
    }

    /**
     * @param own        S3 with Intake's own credentials
     * @param sts        assumes the jobs' roles
     * @param clientWith an S3 client that signs with the given credentials
     */
    public RoleObjectStores(S3Client own, StsClient sts, Function<AwsCredentialsProvider, S3Client> clientWith) {
        this.own = new S3ObjectStore(own);
        this.sts = sts;
        this.clientWith = clientWith;
    }

    @Override
    public ObjectStore own() {
        return own;
    }

    @Override
    public ObjectStore forJob(String jobName, String roleArn, DataLocation location) {
        return session(jobName, roleArn, location, false);
    }

    /** A session of the role that may only put objects under the folder (an export's destination). */
    @Override
    public ObjectStore forWriting(String jobName, String roleArn, DataLocation folder) {
        return session(jobName, roleArn, folder, true);
    }

    private synchronized ObjectStore session(String jobName, String roleArn, DataLocation location, boolean writing) {
        if (roleArn == null) {
            return own;
        }
        String id = roleArn + "\u0000" + jobName + "\u0000" + location.uri() + (writing ? "\u0000w" : "");
        RoleStore kept = byJob.get(id);
        if (kept != null) {
            return kept.store();
        }
        var credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(writing ? writeRoleRequest(jobName, roleArn, location)
                        : assumeRoleRequest(jobName, roleArn, location)).build();
        S3Client client = clientWith.apply(credentials);
        RoleStore made = new RoleStore(new S3ObjectStore(client), client, credentials);
        byJob.put(id, made);
        if (byJob.size() > KEPT) {
            var eldest = byJob.entrySet().iterator();
            RoleStore dropped = eldest.next().getValue();
            eldest.remove();
            dropped.close();
        }
        return made.store();
    }

    static AssumeRoleRequest assumeRoleRequest(String jobName, String roleArn, DataLocation location) {
        return AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName(sessionName(jobName))
                .policy(sessionPolicy(roleArn, location)).build();
    }

    static AssumeRoleRequest writeRoleRequest(String jobName, String roleArn, DataLocation folder) {
        // intake-export-<job>: an export's session is told apart from an import's of the same name
        return AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName(sessionName("export-" + jobName))
                .policy(writePolicy(roleArn, folder)).build();
    }

    /**
     * What an export's session may do, whatever the role allows: put objects under its folder and
     * nothing else (a folder too long for a session policy scopes it to the bucket's objects).
     */
    static String writePolicy(String roleArn, DataLocation folder) {
        String partition = roleArn.split(":", 3)[1];
        String bucketArn = "arn:" + partition + ":s3:::" + folder.bucket();
        String policy = putPolicy(bucketArn, literal(folder.key()));
        return policy.length() <= MAX_SESSION_POLICY ? policy : putPolicy(bucketArn, "");
    }

    private static String putPolicy(String bucketArn, String keyPattern) {
        var root = JSON.createObjectNode().put("Version", "2012-10-17");
        root.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "s3:PutObject")
                .put("Resource", bucketArn + "/" + keyPattern + "*");
        return root.toString();
    }

    /** STS's limit on a session policy (packed), with room to spare. */
    static final int MAX_SESSION_POLICY = 2000;

    /**
     * What the session may do, whatever the role allows: read the job's location (objects under its
     * key, and listing under it) and nothing else. A key too long for a session policy scopes the
     * session to the location's bucket instead.
     */
    static String sessionPolicy(String roleArn, DataLocation location) {
        String partition = roleArn.split(":", 3)[1]; // arn:<partition>:iam::...
        String bucketArn = "arn:" + partition + ":s3:::" + location.bucket();
        String policy = policy(bucketArn, literal(location.key()));
        return policy.length() <= MAX_SESSION_POLICY ? policy : policy(bucketArn, "");
    }

    private static String policy(String bucketArn, String keyPattern) {
        var root = JSON.createObjectNode().put("Version", "2012-10-17");
        var statements = root.putArray("Statement");
        statements.addObject().put("Effect", "Allow").put("Action", "s3:GetObject").put("Resource", bucketArn + "/" + keyPattern + "*");
        var list = statements.addObject().put("Effect", "Allow").put("Action", "s3:ListBucket").put("Resource", bucketArn);
        list.putObject("Condition").putObject("StringLike").put("s3:prefix", keyPattern + "*");
        return root.toString();
    }

    /** A key as IAM matches it literally: its wildcards and '$' written as policy variables. */
    static String literal(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            switch (c) {
                case '*' -> out.append("${*}");
                case '?' -> out.append("${?}");
                case '$' -> out.append("${$}");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * {@code intake-<jobName>}, with any character STS does not take replaced by '-'. A name too
     * long for STS keeps its start and ends in 8 hex digits of its SHA-256, so two long job names
     * that share a start still get different sessions.
     */
    static String sessionName(String jobName) {
        String name = "intake-" + NOT_SESSION_CHAR.matcher(jobName).replaceAll("-");
        if (name.length() <= MAX_SESSION_NAME) {
            return name;
        }
        String hash = HexFormat.of().formatHex(sha256(jobName)).substring(0, 8);
        return name.substring(0, MAX_SESSION_NAME - hash.length() - 1) + "-" + hash;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
