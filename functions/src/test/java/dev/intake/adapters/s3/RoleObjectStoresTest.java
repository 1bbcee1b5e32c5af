package dev.intake.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

class RoleObjectStoresTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/reader";

    private final StsClient sts = mock(StsClient.class);
    private final S3Client own = mock(S3Client.class);
    private final List<AwsCredentialsProvider> providers = new ArrayList<>();
    private final List<S3Client> roleClients = new ArrayList<>();
    private static final dev.intake.core.DataLocation ITEMS = dev.intake.core.DataLocation.parse("s3://shared-data/items/");
    private static final String ITEMS_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::shared-data/items/*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::shared-data\","
            + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"items/*\"}}}]}";

    private final RoleObjectStores stores = new RoleObjectStores(own, sts, credentials -> {
        providers.add(credentials);
        S3Client client = mock(S3Client.class);
        roleClients.add(client);
        return client;
    });

    RoleObjectStoresTest() {
        when(sts.assumeRole(any(AssumeRoleRequest.class))).thenReturn(AssumeRoleResponse.builder()
                .credentials(Credentials.builder().accessKeyId("AKIA").secretAccessKey("secret").sessionToken("token")
                        .expiration(Instant.now().plusSeconds(3600)).build()).build());
    }

    /** The AssumeRole request the store's S3 client signs with: what STS (and CloudTrail) sees. */
    private AssumeRoleRequest assumedFor(String jobName) {
        stores.forJob(jobName, ROLE, ITEMS);
        providers.get(providers.size() - 1).resolveCredentials();
        ArgumentCaptor<AssumeRoleRequest> sent = ArgumentCaptor.forClass(AssumeRoleRequest.class);
        verify(sts, org.mockito.Mockito.atLeastOnce()).assumeRole(sent.capture());
        return sent.getValue();
    }

    @Test
    void theJobsRoleIsAssumedInASessionNamedAfterTheJob() {
        assertThat(assumedFor("items-1")).isEqualTo(AssumeRoleRequest.builder().roleArn(ROLE)
                .roleSessionName("intake-items-1").policy(ITEMS_POLICY).build());
    }

    @Test
    void anExportWritesInASessionOfItsOwnThatMayOnlyPutObjectsUnderItsFolder() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::shared-data/items/*\"}]}";
        assertThat(RoleObjectStores.writePolicy(ROLE, ITEMS)).isEqualTo(policy);
        assertThat(RoleObjectStores.writePolicy(ROLE, dev.intake.core.DataLocation.parse("s3://data/a*b/")))
                .contains("\"arn:aws:s3:::data/a${*}b/*\"");
        String longKey = "k".repeat(1990) + "/";
        assertThat(RoleObjectStores.writePolicy(ROLE, dev.intake.core.DataLocation.parse("s3://data/" + longKey)))
                .contains("\"arn:aws:s3:::data/*\"");

        // the same job name reading and writing: two sessions, the export's named apart
        var reading = stores.forJob("items-1", ROLE, ITEMS);
        var writing = stores.forWriting("items-1", ROLE, ITEMS);
        assertThat(writing).isNotSameAs(reading).isSameAs(stores.forWriting("items-1", ROLE, ITEMS));
        providers.get(providers.size() - 1).resolveCredentials();
        ArgumentCaptor<AssumeRoleRequest> sent = ArgumentCaptor.forClass(AssumeRoleRequest.class);
        verify(sts, org.mockito.Mockito.atLeastOnce()).assumeRole(sent.capture());
        assertThat(sent.getValue()).isEqualTo(AssumeRoleRequest.builder().roleArn(ROLE)
                .roleSessionName("intake-export-items-1").policy(policy).build());
        assertThat(stores.forWriting("items-1", null, ITEMS)).as("no role: Intake's own").isSameAs(stores.own());
    }

    @Test
    void theSessionMayReadOnlyTheJobsLocationWhateverTheRoleAllows() {
        assertThat(RoleObjectStores.sessionPolicy(ROLE, ITEMS)).isEqualTo(ITEMS_POLICY);
        assertThat(RoleObjectStores.sessionPolicy("arn:aws-cn:iam::123456789012:role/r",
                dev.intake.core.DataLocation.parse("s3://cn-data/one.csv"))).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws-cn:s3:::cn-data/one.csv*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws-cn:s3:::cn-data\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"one.csv*\"}}}]}");
    }

    @Test
    void wildcardsInAKeyAreLiteralInTheSessionPolicy() {
        // A key holding * or ? must not widen what the session reads.
        String policy = RoleObjectStores.sessionPolicy(ROLE, dev.intake.core.DataLocation.parse("s3://data/a*b?c$d\"e/"));
        assertThat(policy).contains("\"arn:aws:s3:::data/a${*}b${?}c${$}d\\\"e/*\"").contains("\"a${*}b${?}c${$}d\\\"e/*\"")
                .doesNotContain("a*b");
    }

    @Test
    void aKeyTooLongForASessionPolicyScopesTheSessionToTheBucket() {
        String key = "k".repeat(1000) + "/";
        String policy = RoleObjectStores.sessionPolicy(ROLE, dev.intake.core.DataLocation.parse("s3://data/" + key));
        assertThat(policy).hasSizeLessThanOrEqualTo(RoleObjectStores.MAX_SESSION_POLICY)
                .contains("\"arn:aws:s3:::data/*\"").doesNotContain("kkk");
    }

    @Test
    void aJobNameAtThePersonalizeMaximumIsCutToStsLimitKeepingTwoLongNamesApart() {
        String longName = "a" + "b".repeat(62); // 63 characters, Personalize's longest job name
        String session = assumedFor(longName).roleSessionName();
        assertThat(session).hasSize(64).startsWith("intake-a" + "b".repeat(47) + "-").matches("[\\w+=,.@-]{2,64}");
        String other = RoleObjectStores.sessionName("a" + "b".repeat(61) + "c");
        assertThat(other).hasSize(64).isNotEqualTo(session);
        assertThat(RoleObjectStores.sessionName(longName)).isEqualTo(session); // the same job, the same session
    }

    @Test
    void charactersStsDoesNotTakeAreReplaced() {
        assertThat(RoleObjectStores.sessionName("a b/c:d")).isEqualTo("intake-a-b-c-d");
        assertThat(RoleObjectStores.sessionName("x_y.z@w=v,u+t")).isEqualTo("intake-x_y.z@w=v,u+t");
    }

    @Test
    void aJobWithoutRoleReadsAsIntakeAndAssumesNothing() {
        assertThat(stores.forJob("items-1", null, ITEMS)).isSameAs(stores.own());
        verifyNoInteractions(sts);
        assertThat(providers).isEmpty();
    }

    @Test
    void eachJobGetsItsOwnSessionAndTheOldestClientsAreClosed() {
        var first = stores.forJob("job-0", ROLE, ITEMS);
        assertThat(stores.forJob("job-0", ROLE, ITEMS)).isSameAs(first);
        assertThat(stores.forJob("job-1", ROLE, ITEMS)).isNotSameAs(first);
        for (int i = 2; i <= 8; i++) {
            stores.forJob("job-" + i, ROLE, ITEMS);
        }
        assertThat(roleClients).hasSize(9);
        verify(roleClients.get(0), times(1)).close();
        verify(roleClients.get(1), times(0)).close();
    }
}
