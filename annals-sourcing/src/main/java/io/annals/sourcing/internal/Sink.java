package io.annals.sourcing.internal;

import io.annals.sourcing.api.Recorded;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a schedule hands its events: {@code deliver} runs the delivery middleware and the handlers (it throws what
 * they throw); {@code failed} reports what ended the processing.
 *
 * @param aggregateTypes the aggregate types some handler takes; events of other types are passed over
 */
public record Sink(Set<String> aggregateTypes, Consumer<Recorded<?>> deliver, Consumer<Throwable> failed) {

    public Sink {
        aggregateTypes = Set.copyOf(aggregateTypes);
    }

    public boolean takes(Recorded<?> event) {
        return aggregateTypes.contains(event.aggregate().type());
    }
}
