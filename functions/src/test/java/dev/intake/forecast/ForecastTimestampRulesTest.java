package dev.intake.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.core.Dataset;
import dev.intake.core.ImportJob;
import dev.intake.core.ImportMode;
import dev.intake.core.JobStatus;
import dev.intake.core.ports.ForecastStore;
import dev.intake.core.ports.Page;
import dev.intake.core.schema.TimestampRule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A Forecast job's timestamp rule comes from the settings CreateDatasetImportJob kept, for the timestamp attributes. */
class ForecastTimestampRulesTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private final Map<String, String> documents = new HashMap<>();
    private final ForecastTimestampRules rules = new ForecastTimestampRules(new ForecastStore() {
        @Override
        public void create(Kind kind, String name, String document, Instant at) {
            documents.put(name, document);
        }

        @Override
        public Optional<Entry> find(Kind kind, String name) {
            return Optional.ofNullable(documents.get(name)).filter(d -> kind == Kind.IMPORT_JOB)
                    .map(d -> new Entry(kind, name, d, 1, AT, AT));
        }

        @Override
        public Page<Entry> list(Kind kind, String startAfter, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void update(Kind kind, String name, String document, long expectedVersion, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(Kind kind, String name) {
            throw new UnsupportedOperationException();
        }
    });

    private static ImportJob job(String name) {
        return new ImportJob(name, "sales", "s3://intake-landing/x/", ImportMode.FULL, JobStatus.IN_PROGRESS, AT, AT,
                null, null, Map.of(), false, 10, null, null, null);
    }

    private static Dataset dataset(String datasetType, List<ForecastDatasets.Attribute> attributes) {
        var mapping = ForecastDatasets.map("sales", "RETAIL", datasetType, "D", attributes, null);
        return new Dataset("sales", mapping.avroSchema(), mapping.keyFields(), AT, AT, "g1", false, 1);
    }

    private static final Dataset SERIES = dataset("TARGET_TIME_SERIES", List.of(new ForecastDatasets.Attribute("item_id", "string"),
            new ForecastDatasets.Attribute("timestamp", "timestamp"), new ForecastDatasets.Attribute("demand", "float")));

    private void settings(String job, String format, String zone) {
        documents.put(job, new ImportSettings(format, zone, false, null, "CSV", null, false).document());
    }

    @Test
    void aForecastJobReadsItsTimestampAttributesByItsFormatAndZone() {
        settings("j1", "yyyy-MM-dd", "Europe/Berlin");
        assertThat(rules.forJob(job("j1"), SERIES))
                .contains(new TimestampRule(Set.of("timestamp"), "yyyy-MM-dd", ZoneId.of("Europe/Berlin")));
    }

    @Test
    void withoutAFormatForecastsDefaultAppliesAndWithoutAZoneValuesStayAsWritten() {
        settings("j2", null, null);
        assertThat(rules.forJob(job("j2"), SERIES))
                .contains(new TimestampRule(Set.of("timestamp"), "yyyy-MM-dd HH:mm:ss", null));
    }

    @Test
    void aJobForecastDidNotStartOrADatasetWithoutTimestampsHasNoRule() {
        assertThat(rules.forJob(job("personalize-job"), SERIES)).isEmpty();
        settings("j3", "yyyy-MM-dd", null);
        Dataset metadata = dataset("ITEM_METADATA", List.of(new ForecastDatasets.Attribute("item_id", "string"),
                new ForecastDatasets.Attribute("color", "string")));
        assertThat(rules.forJob(job("j3"), metadata)).isEmpty();
    }
}
