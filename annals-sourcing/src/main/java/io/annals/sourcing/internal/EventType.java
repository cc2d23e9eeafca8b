package io.annals.sourcing.internal;

/**
 * One record's mapping: its aggregate type, event type name, current version and causal rank
 * (0 initial, 1 ordinary, 2 terminal).
 */
public record EventType(Class<?> record, String aggregateType, String name, int version, int rank) {}
