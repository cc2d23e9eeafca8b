package io.annals.core.spi;

import io.annals.core.api.Event;

/**
 * An event ready to be written (id, times set; no position or stream version yet). {@code clientId}: the client chose
 * the id, so the engine must check for a stored event with it (server-assigned UUIDv7 ids are unique and skip the
 * check). {@code clientTime}: the client chose the event time, so it counts when comparing a repeat's content.
 */
public record PendingEvent(Event event, boolean clientId, boolean clientTime) {}
