package io.annals.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.internal.memory.InMemoryEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The facade's own work: validation messages, ids and times. (The engine contract is tested in annals-testkit.) */
class DefaultEventStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-01T09:15:30.123456789Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final EventStore store = new DefaultEventStore(new InMemoryEngine(clock), clock);

    @Test
    void errorsInABatchNameTheEvent() {
        assertThatThrownBy(() -> store.append(NewEvent.ofType("ok").build(), NewEvent.ofType("").build()))
                .isInstanceOf(InvalidEventException.class).hasMessage("events[1]: type is required");
        assertThatThrownBy(() -> store.append(NewEvent.ofType("t").meta("tags", "x").build()))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'tags' is reserved");
        assertThatThrownBy(() -> store.append(AppendRequest.of(NewEvent.ofType("t").build()).expecting(ExpectedVersion.noStream())))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("the first event has no aggregate");
    }

    @Test
    void tooManyEventsInOneAppendAreRefused() {
        List<NewEvent> many = java.util.Collections.nCopies(AppendRequest.MAX_EVENTS + 1, NewEvent.ofType("t").build());
        assertThatThrownBy(() -> store.append(many)).isInstanceOf(InvalidEventException.class).hasMessageContaining("at most 10000");
    }

    @Test
    void asyncFailuresArriveInTheStage() {
        assertThatThrownBy(() -> store.appendAsync(AppendRequest.of(List.of())).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(InvalidEventException.class);
    }

    @Test
    void capturesAtTheClockToTheMicrosecondAndAssignsIncreasingIds() {
        var r = store.append(NewEvent.ofType("a").build(), NewEvent.ofType("b").build());
        Event a = store.get(r.events().get(0).id()).orElseThrow();
        Event b = store.get(r.events().get(1).id()).orElseThrow();
        assertThat(a.processedAt()).isEqualTo(Instant.parse("2026-03-01T09:15:30.123456Z"));
        assertThat(a.time()).isEqualTo(a.processedAt());
        assertThat(a.id().compareTo(b.id())).isNegative();
    }

    @Test
    void readLogLimitIsOneToTenThousand() {
        assertThatThrownBy(() -> store.readLog(Position.start(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readLog(Position.start(), 10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readLog(null, 1)).isInstanceOf(NullPointerException.class);
    }
}
