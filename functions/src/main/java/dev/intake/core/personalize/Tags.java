package dev.intake.core.personalize;

import java.util.LinkedHashMap;
import java.util.Map;

/** A resource's tags, with the version they were read at (tag changes are conditional on it). */
public record Tags(Map<String, String> tags, long version) {
    public Tags {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
