package dev.intake.app;

import dev.intake.adapters.s3.RoleObjectStores;
import dev.intake.core.ports.ObjectStores;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The Lambda wiring of S3 and STS, apart from {@link Services} so that a function whose jar has no
 * S3 client never loads this class: the API jar leaves S3 and STS out, and a route that reads or
 * writes objects runs the workflow jar ({@code Route.runsWorkflowJar}).
 */
final class ObjectStorageClients {
    private ObjectStorageClients() {
    }

    /**
     * S3 as each job's role sees it; its client is primed before SnapStart's checkpoint where there
     * is a results bucket (a HEAD of an object never stored).
     */
    static ObjectStores build(SdkHttpClient http, SnapStartPriming priming, String resultsBucket) {
        S3Client s3 = S3Client.builder().httpClient(http).build();
        StsClient sts = StsClient.builder().httpClient(http).build();
        addPrimer(priming, s3, resultsBucket);
        return new RoleObjectStores(s3, sts,
                credentials -> S3Client.builder().httpClient(http).credentialsProvider(credentials).build());
    }

    static void addPrimer(SnapStartPriming priming, S3Client s3, String resultsBucket) {
        if (resultsBucket != null) {
            priming.add("S3", ClientPrimers.answered(() -> s3.headObject(b -> b.bucket(resultsBucket)
                    .key(ClientPrimers.KEY))));
        }
    }
}
