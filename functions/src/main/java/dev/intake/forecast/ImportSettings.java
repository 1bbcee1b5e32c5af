package dev.intake.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ImportJob;
import dev.intake.core.IntakeException;
import dev.intake.core.ports.ForecastStore;
import dev.intake.core.ports.ForecastStore.Kind;
import java.util.Optional;

/**
 * What a Forecast import job has beyond the engine's job, kept in the Forecast store under the
 * engine's job name: how its data is to be read, the KMS key, and whether DeleteDatasetImportJob
 * removed it from Forecast's view. A job another API started has none (its defaults are shown).
 */
record ImportSettings(String timestampFormat, String timeZone, boolean useGeolocationForTimeZone,
                      String geolocationFormat, String format, String kmsKeyArn, boolean deleted) {
    /** Forecast's default: "If the format isn't specified, Amazon Forecast expects ... yyyy-MM-dd HH:mm:ss". */
    static final String DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss";
    static final ImportSettings NONE = new ImportSettings(null, null, false, null, "CSV", null, false);

    String document() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("TimestampFormat", timestampFormat).put("TimeZone", timeZone)
                .put("UseGeolocationForTimeZone", useGeolocationForTimeZone).put("GeolocationFormat", geolocationFormat)
                .put("Format", format).put("KMSKeyArn", kmsKeyArn).put("Deleted", deleted);
        return Json.write(node);
    }

    static ImportSettings parse(String document) {
        try {
            JsonNode n = Json.parse(document);
            return new ImportSettings(n.path("TimestampFormat").asText(null), n.path("TimeZone").asText(null),
                    n.path("UseGeolocationForTimeZone").asBoolean(false), n.path("GeolocationFormat").asText(null),
                    n.path("Format").asText("CSV"), n.path("KMSKeyArn").asText(null), n.path("Deleted").asBoolean(false));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored import settings are not JSON", e);
        }
    }

    ImportSettings asDeleted() {
        return new ImportSettings(timestampFormat, timeZone, useGeolocationForTimeZone, geolocationFormat, format,
                kmsKeyArn, true);
    }

    /** A job as Forecast sees it: its engine job and its settings. */
    record ForecastJob(ImportJob job, ImportSettings settings, Optional<ForecastStore.Entry> entry) {
    }

    /**
     * The import job an ARN names, as Forecast sees it; NOT_FOUND if there is none, it is in another
     * dataset than the ARN says, or DeleteDatasetImportJob removed it.
     */
    static ForecastJob find(Services services, ForecastStore store, ForecastArns.JobRef ref) {
        Optional<ImportJob> job = services.jobStore.find(ref.job());
        Optional<ForecastStore.Entry> entry = store.find(Kind.IMPORT_JOB, ref.job());
        ImportSettings settings = entry.map(e -> parse(e.document())).orElse(NONE);
        if (job.isEmpty() || !job.get().datasetName().equals(ref.dataset()) || settings.deleted()) {
            throw IntakeException.notFound("Dataset import job '" + ref.job() + "' of dataset '" + ref.dataset()
                    + "' does not exist");
        }
        return new ForecastJob(job.get(), settings, entry);
    }
}
