package io.annals.core.api;

/** Approximate figures about a store, for metrics: events stored and bytes on disk (-1 when unknown). */
public record StoreStats(long approximateEvents, long sizeBytes) {}
