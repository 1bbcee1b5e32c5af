package dev.intake.forecast;

import dev.intake.core.Dataset;
import dev.intake.core.FileRule;
import dev.intake.core.ImportJob;
import dev.intake.core.format.DataFormat;
import dev.intake.core.ports.FileRules;
import dev.intake.core.ports.ForecastStore;
import dev.intake.core.ports.ForecastStore.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which files a Forecast import job reads, by its Format: {@code PARQUET} the {@code .parquet} files
 * of its path, {@code CSV} the others Intake reads (CSV, and JSON Lines as everywhere). Jobs Forecast
 * did not create are left to the next rules (Lookout for Equipment's).
 */
public final class ForecastFileRules implements FileRules {
    private final ForecastStore store;
    private final FileRules others;

    public ForecastFileRules(ForecastStore store, FileRules others) {
        this.store = store;
        this.others = others;
    }

    @Override
    public Optional<FileRule> forJob(ImportJob job, Dataset dataset) {
        Optional<ImportSettings> settings = store == null ? Optional.empty()
                : store.find(Kind.IMPORT_JOB, job.name()).map(e -> ImportSettings.parse(e.document()));
        if (settings.isEmpty()) {
            return others.forJob(job, dataset);
        }
        boolean parquet = "PARQUET".equals(settings.get().format());
        FileRule.FileFields asWritten = new FileRule.FileFields(Map.of(), null);
        return Optional.of(new FileRule() {
            @Override
            public Optional<FileFields> fieldsFor(String bucket, String key) {
                Optional<DataFormat> format = DataFormat.forKey(key);
                return format.isPresent() && (format.get() == DataFormat.PARQUET) == parquet
                        ? Optional.of(asWritten) : Optional.empty();
            }

            @Override
            public String toString() {
                return parquet ? "an import job with Format PARQUET reads the .parquet files"
                        : "an import job with Format CSV reads the .csv files (and JSON Lines), not .parquet";
            }
        });
    }

    @Override
    public void planned(ImportJob job, List<String> discarded) {
        others.planned(job, discarded);
    }
}
