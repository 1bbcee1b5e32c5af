package dev.intake.core.ports;

import java.util.List;

/** One page of a listing; {@code lastKey} is where the next page starts, null at the end. */
public record Page<T>(List<T> items, String lastKey) {
    public Page {
        items = List.copyOf(items);
    }
}
