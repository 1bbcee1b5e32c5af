package dev.intake.core;

/** FULL replaces the dataset's bulk data; INCREMENTAL upserts by key. */
public enum ImportMode {
    FULL,
    INCREMENTAL
}
