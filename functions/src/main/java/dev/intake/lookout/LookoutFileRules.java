package dev.intake.lookout;

import dev.intake.core.Dataset;
import dev.intake.core.FileRule;
import dev.intake.core.ImportJob;
import dev.intake.core.format.DataFormat;
import dev.intake.core.ports.FileRules;
import dev.intake.core.ports.LookoutStore;
import dev.intake.core.ports.LookoutStore.Kind;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files an ingestion job reads: CSV files (optionally gzip-compressed) whose key names one of its
 * dataset's components by the job's KeyPattern; each row of such a file gets that component as its
 * {@value LookoutSchema#COMPONENT_FIELD}, and its header may name only that component's columns.
 * Other files are discarded, and listed in the job's settings once it is planned. Jobs that are no
 * ingestion jobs (another API's, or an arrival batch) have no rule.
 */
public final class LookoutFileRules implements FileRules {
    private final LookoutStore store;
    private final Clock clock;

    public LookoutFileRules(LookoutStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<FileRule> forJob(ImportJob job, Dataset dataset) {
        return ingestion(store, job).map(found -> rule(found.settings(), found.mapping()));
    }

    static FileRule rule(IngestionSettings settings, LookoutSchema.Mapping mapping) {
        KeyPattern pattern = KeyPattern.parse(settings.keyPattern());
        List<String> names = mapping.components().stream().map(LookoutSchema.Component::name).toList();
        return new FileRule() {
            @Override
            public Optional<FileFields> fieldsFor(String bucket, String key) {
                if (!bucket.equals(settings.bucket()) || DataFormat.forKey(key).orElse(null) != DataFormat.CSV) {
                    return Optional.empty();
                }
                return pattern.component(settings.prefix(), key, names).map(name -> {
                    LookoutSchema.Component component = mapping.components().stream()
                            .filter(c -> c.name().equals(name)).findFirst().orElseThrow();
                    return new FileFields(Map.of(LookoutSchema.COMPONENT_FIELD, name), component.columns());
                });
            }

            @Override
            public String toString() {
                return "an ingestion job reads the CSV files whose keys match " + settings.keyPattern()
                        + " for one of the components " + String.join(", ", names);
            }
        };
    }

    @Override
    public void planned(ImportJob job, List<String> discarded) {
        Optional<LookoutStore.Entry> entry = store.find(Kind.INGESTION_JOB, job.name());
        if (entry.isEmpty()) {
            return;
        }
        IngestionSettings settings = IngestionSettings.parse(entry.get().document()).withDiscarded(discarded);
        // A retried Plan may write again; the later listing wins, as the later plan would.
        store.update(Kind.INGESTION_JOB, job.name(), settings.document(), entry.get().version(), clock.instant());
    }

    /** An ingestion job's settings and its dataset's mapping, if the job is one and its dataset is Lookout's. */
    record Ingestion(IngestionSettings settings, LookoutSchema.Mapping mapping) {
    }

    static Optional<Ingestion> ingestion(LookoutStore store, ImportJob job) {
        if (store == null) {
            return Optional.empty();
        }
        Optional<IngestionSettings> settings = store.find(Kind.INGESTION_JOB, job.name())
                .map(e -> IngestionSettings.parse(e.document()))
                .filter(s -> s.datasetName().equals(job.datasetName()));
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        return store.find(Kind.DATASET, job.datasetName()).map(e -> LookoutDataset.parse(e.document()))
                .map(d -> new Ingestion(settings.get(), LookoutSchema.map(d.inlineSchema())));
    }
}
