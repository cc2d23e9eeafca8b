package io.annals.core.api;

/**
 * What an append did with one event: where it is stored and whether it was a repeat of an event already stored
 * under the same id (then {@code position} and {@code streamVersion} are those of the stored one).
 */
public record Appended(String id, Position position, long streamVersion, boolean duplicate) {}
