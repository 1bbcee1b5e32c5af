package dev.intake.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.api.Json;
import dev.intake.app.Services;
import dev.intake.core.ErrorKind;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.IntakeException;
import dev.intake.core.NewImport;
import dev.intake.core.ports.ForecastStore.Kind;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/** Forecast CreateDatasetImportJob: an import by the engine (its job name is DatasetImportJobName, unique
 * across datasets and dialects), with its Forecast settings kept beside it. RoleArn is the job's role
 * (it must be one of the deployment's import roles); CSV only for now; UseGeolocationForTimeZone is refused
 * (TimeZone is supported). */
public final class CreateDatasetImportJobHandler extends ForecastOperation {
    /** The formats Forecast documents for TimestampFormat. */
    private static final Set<String> TIMESTAMP_FORMATS = Set.of("yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss");

    public CreateDatasetImportJobHandler() {
        this(Services.fromEnvironment());
    }

    public CreateDatasetImportJobHandler(Services services) {
        super(services, "CreateDatasetImportJob");
    }

    @Override
    protected JsonNode handle(JsonNode request) {
        String dataset = arns.datasetName(text(request, "DatasetArn"));
        var view = ForecastDatasets.view(services.datasets.describe(dataset).schema());
        JsonNode s3 = request.path("DataSource").path("S3Config");
        // CSV or PARQUET (the model's pattern): which files the job reads (ForecastFileRules)
        String format = request.path("Format").asText("CSV");
        String timestampFormat = text(request, "TimestampFormat");
        if (timestampFormat != null && !TIMESTAMP_FORMATS.contains(timestampFormat)) {
            throw IntakeException.invalid("TimestampFormat must be yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, not " + timestampFormat);
        }
        if ("yyyy-MM-dd".equals(timestampFormat) && view.dataFrequency() != null
                && !Set.of("Y", "M", "W", "D").contains(view.dataFrequency())) {
            throw IntakeException.invalid("TimestampFormat yyyy-MM-dd is only for the data frequencies Y, M, W and D;"
                    + " the dataset's is " + view.dataFrequency());
        }
        String timeZone = text(request, "TimeZone");
        boolean useGeolocation = request.path("UseGeolocationForTimeZone").asBoolean(false);
        if (timeZone != null) {
            if (useGeolocation) {
                throw IntakeException.invalid("Give either TimeZone or UseGeolocationForTimeZone, not both");
            }
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw IntakeException.invalid("TimeZone " + timeZone + " is not a time zone name");
            }
        }
        if (useGeolocation && view.attributes().stream().noneMatch(a -> a.type().equals("geolocation"))) {
            throw IntakeException.invalid("UseGeolocationForTimeZone needs a geolocation attribute in the dataset's schema");
        }
        if (useGeolocation) {
            // Applying it needs time-zone boundary data (coordinates and postal codes to zones), far too
            // large for the function's jar; refusing beats a job that claims it yet stores local times unconverted.
            throw IntakeException.invalid("UseGeolocationForTimeZone is not supported here (Intake has no time-zone"
                    + " boundary data to find a location's zone); give the data's TimeZone instead");
        }
        String geolocationFormat = text(request, "GeolocationFormat");
        if (geolocationFormat != null && !Set.of("LAT_LONG", "CC_POSTALCODE").contains(geolocationFormat)) {
            throw IntakeException.invalid("GeolocationFormat must be LAT_LONG or CC_POSTALCODE, not " + geolocationFormat);
        }
        var tags = tags(request);
        String name = text(request, "DatasetImportJobName");
        String mode = text(request, "ImportMode");
        ImportSettings settings = new ImportSettings(timestampFormat == null ? ImportSettings.DEFAULT_TIMESTAMP_FORMAT
                : timestampFormat, timeZone, useGeolocation, geolocationFormat, format, text(s3, "KMSKeyArn"), false);
        Instant now = Instant.now();
        try {
            store().create(Kind.IMPORT_JOB, name, settings.document(), now);
        } catch (IntakeException e) {
            throw alreadyExists(name, e);
        }
        try {
            services.jobs.create(new NewImport(name, dataset, text(s3, "Path"),
                    mode == null ? ImportMode.FULL : ImportMode.valueOf(mode), text(s3, "RoleArn"), tags, false, null));
        } catch (RuntimeException e) {
            store().delete(Kind.IMPORT_JOB, name); // no job: no settings either
            throw alreadyExists(name, e);
        }
        return Json.MAPPER.createObjectNode().put("DatasetImportJobArn", arns.importJob(dataset, name));
    }

    /** Job names are unique across datasets and dialects here: say so when one is taken. */
    private static RuntimeException alreadyExists(String name, RuntimeException e) {
        if (e instanceof IntakeException intake && intake.kind() == ErrorKind.ALREADY_EXISTS) {
            return new IntakeException(ErrorKind.ALREADY_EXISTS, "An import job named '" + name
                    + "' already exists (job names are unique across all datasets here, also after DeleteDatasetImportJob)");
        }
        return e;
    }
}
