package dev.intake.core.personalize;

import java.util.LinkedHashMap;
import java.util.Map;

/** A resource's tags, with the version they were read at (tag changes are conditional on it). */
public record Tags(Map<String, String> tags, long version) {
    public Tags {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /**
     * The key a dataset's tags are stored under: {@code dataset/<name>@<created millis>}, so that a
     * dataset deleted and made again under its name (whichever API made it) has none of the old ones.
     */
    public static String datasetResource(dev.intake.core.Dataset dataset) {
        return "dataset/" + dataset.name() + "@" + dataset.createdAt().toEpochMilli();
    }
}
