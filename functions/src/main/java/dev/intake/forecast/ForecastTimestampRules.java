package dev.intake.forecast;

import dev.intake.core.Dataset;
import dev.intake.core.ImportJob;
import dev.intake.core.ports.ForecastStore;
import dev.intake.core.ports.ForecastStore.Kind;
import dev.intake.core.ports.TimestampRules;
import dev.intake.core.schema.TimestampRule;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The timestamp rule of a Forecast import job: its TimestampFormat (Forecast's default when none was
 * given) and TimeZone, from the settings CreateDatasetImportJob kept, applied to the dataset's
 * attributes of type timestamp. A job Forecast did not start, or a dataset without timestamp
 * attributes, has none. UseGeolocationForTimeZone is refused when the job is created (CreateDatasetImportJobHandler).
 */
public final class ForecastTimestampRules implements TimestampRules {
    private final ForecastStore store;

    public ForecastTimestampRules(ForecastStore store) {
        this.store = store;
    }

    @Override
    public Optional<TimestampRule> forJob(ImportJob job, Dataset dataset) {
        if (store == null) {
            return Optional.empty();
        }
        Optional<ImportSettings> settings = store.find(Kind.IMPORT_JOB, job.name())
                .map(e -> ImportSettings.parse(e.document()));
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Set<String> fields = ForecastDatasets.view(dataset.schema()).attributes().stream()
                .filter(a -> a.type().equals("timestamp")).map(ForecastDatasets.Attribute::name)
                .collect(Collectors.toSet());
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        String format = settings.get().timestampFormat();
        String zone = settings.get().timeZone();
        return Optional.of(new TimestampRule(fields, format == null ? ImportSettings.DEFAULT_TIMESTAMP_FORMAT : format,
                zone == null ? null : ZoneId.of(zone)));
    }
}
