package dev.intake.core.ports;

/** A stored record as a listing returns it: its key and its canonical JSON. */
public record RecordEntry(String key, String canonical) {
}
