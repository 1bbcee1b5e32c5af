package dev.intake.lookout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Dialect;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.NewImport;
import dev.intake.core.ports.LookoutStore.Kind;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Lookout StartDataIngestionJob: a FULL import by the engine (its job name is the JobId) of the CSV
 * files under s3://Bucket/Prefix that KeyPattern assigns to the dataset's components. Rows that fail
 * do not fail the job (Lookout reports them in DataQualitySummary). The same ClientToken with the same
 * request answers the same job; with another request, ConflictException.
 */
public final class StartDataIngestionJobHandler extends LookoutOperation {
    private static final String OPERATION = "StartDataIngestionJob";
    private static final SecureRandom RANDOM = new SecureRandom();

    public StartDataIngestionJobHandler() {
        this(Services.fromEnvironment());
    }

    public StartDataIngestionJobHandler(Services services) {
        super(services, OPERATION);
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String token = text(request, "ClientToken");
        JsonNode s3 = request.path("IngestionInputConfiguration").path("S3InputConfiguration");
        String keyPattern = KeyPattern.parse(text(s3, "KeyPattern")).pattern();
        Found found = dataset(text(request, "DatasetName"));

        Optional<JsonNode> earlier = tokenUse(OPERATION, token, request);
        String jobId;
        if (earlier.isPresent()) {
            jobId = earlier.get().get("JobId").asText();
            Optional<ImportJob> job = services.jobStore.find(jobId);
            if (job.isPresent()) {
                return response(jobId, job.get()); // the same request again: the same job, as it is now
            }
        } else {
            jobId = newJobId();
            claimToken(OPERATION, token, request, Json.MAPPER.createObjectNode().put("JobId", jobId));
        }
        IngestionSettings settings = new IngestionSettings(found.name(), arns.dataset(found.name(), found.view().id()),
                text(s3, "Bucket"), text(s3, "Prefix"), keyPattern, null, 0);
        ImportJob job;
        try {
            if (store().find(Kind.INGESTION_JOB, jobId).isEmpty()) {
                store().create(Kind.INGESTION_JOB, jobId, settings.document(), Instant.now());
            }
            // Lookout reports bad rows in DataQualitySummary instead of failing the job: no failed-rows limit.
            job = services.jobs.create(new NewImport(jobId, found.name(), settings.location(), ImportMode.FULL,
                    text(request, "RoleArn"), Map.of(), false, 100.0));
        } catch (RuntimeException e) {
            store().delete(Kind.INGESTION_JOB, jobId);
            if (earlier.isEmpty()) {
                releaseToken(OPERATION, token); // no job: the token is free for another try
            }
            throw e instanceof IntakeException intake && intake.kind() == ErrorKind.IN_USE
                    ? IntakeException.notFound("Dataset '" + found.name() + "' does not exist (it is being deleted)") : e;
        }
        rememberLastJob(found.name(), jobId);
        return response(jobId, job);
    }

    /** The dataset's latest ingestion job, which DescribeDataset reports on. */
    private void rememberLastJob(String dataset, String jobId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            var entry = store().find(Kind.DATASET, dataset);
            if (entry.isEmpty()) {
                return;
            }
            LookoutDataset view = LookoutDataset.parse(entry.get().document());
            if (view.lastJobId() != null && view.lastJobId().compareTo(jobId) > 0) {
                return; // a later job was started meanwhile (job ids grow with time)
            }
            try {
                store().update(Kind.DATASET, dataset, view.withLastJob(jobId).document(), entry.get().version(), Instant.now());
                return;
            } catch (IntakeException e) {
                if (e.kind() != ErrorKind.CONFLICT) {
                    throw e;
                }
            }
        }
    }

    private static ObjectNode response(String jobId, ImportJob job) {
        return Json.MAPPER.createObjectNode().put("JobId", jobId)
                .put("Status", Dialect.LOOKOUTEQUIPMENT.jobStatus(job.status()));
    }

    /** 32 hex digits, as Lookout's: the creation time in milliseconds (so ids sort by it), then 80 random bits. */
    static String newJobId() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return String.format("%012x", Instant.now().toEpochMilli()) + HexFormat.of().formatHex(random);
    }
}
