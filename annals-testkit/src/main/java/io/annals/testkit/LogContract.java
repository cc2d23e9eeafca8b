package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The global log: every stored event once, in capture order, read strictly after a position. */
abstract class LogContract extends ContractSupport {

    private List<String> appendTen() {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // event times run backwards: the log follows capture, not event time
            NewEvent e = event("log").id("l" + i).aggregate("acc", "a" + (i % 3))
                    .time(t("2020-01-01T00:00:00Z").minusSeconds(i * 3600L)).build();
            order.add(store().append(e).events().get(0).id());
        }
        return order;
    }

    @Test
    void logIsInCaptureOrder() {
        List<String> order = appendTen();
        assertThat(ids(logAll())).containsExactlyElementsOf(order);
        for (int limit : new int[] {1, 3, 10, 11}) assertThat(ids(logAll(limit))).as("limit %d", limit).containsExactlyElementsOf(order);
    }

    @Test
    void readsStartStrictlyAfterThePositionGiven() {
        appendTen();
        List<Event> log = logAll();
        for (int i = 0; i < log.size(); i++) {
            LogPage page = readLog(log.get(i).position(), 1000);
            assertThat(ids(page.events())).as("after %s", log.get(i).id()).containsExactlyElementsOf(ids(log.subList(i + 1, log.size())));
        }
    }

    @Test
    void nextIsTheLastPositionReadOrTheArgumentWhenNothingIsNew() {
        appendTen();
        LogPage first = readLog(Position.start(), 4);
        assertThat(first.events()).hasSize(4);
        assertThat(first.next()).isEqualTo(first.events().get(3).position());
        LogPage end = readLog(logAll().get(9).position(), 5);
        assertThat(end.events()).isEmpty();
        assertThat(end.next()).isEqualTo(logAll().get(9).position());
    }

    private LogPage emptyRead() {
        return readLog(Position.start(), 10);
    }

    @Test
    void emptyLogReadsNothingFromTheStart() {
        LogPage page = emptyRead();
        assertThat(page.events()).isEmpty();
        assertThat(page.next()).isEqualTo(Position.start());
    }

    @Test
    void aReaderAtTheEndSeesOnlyNewEvents() {
        appendTen();
        Position end = readLog(Position.start(), 1000).next();
        AppendResult later = store().append(event("log").id("n1").build(), event("log").id("n2").aggregate("acc", "a0").build());
        LogPage page = readLog(end, 1000);
        assertThat(ids(page.events())).containsExactly("n1", "n2");
        assertThat(page.events()).extracting(Event::position)
                .containsExactlyElementsOf(later.events().stream().map(Appended::position).toList());
    }

    @Test
    void logEventsAreTheStoredEvents() {
        appendTen();
        for (Event e : logAll()) assertThat(stored(e.id())).isEqualTo(e);
    }

    @Test
    void eachAggregateAppearsInAppendOrder() {
        appendTen();
        for (String agg : List.of("a0", "a1", "a2")) {
            List<Long> versions = logAll().stream().filter(e -> e.aggregate().id().equals(agg)).map(Event::streamVersion).toList();
            assertThat(versions).as(agg).isSorted().doesNotHaveDuplicates().startsWith(1L);
        }
    }

    @Test
    void refusedAndRepeatedAppendsAddNothingToTheLog() {
        appendTen();
        List<Event> before = logAll();
        store().append(event("log").id("l3").aggregate("acc", "a0").time(t("2020-01-01T00:00:00Z").minusSeconds(3 * 3600L)).build());
        assertThatThrownBy(() -> store().append(event("log").id("x").build(), event("other").id("l3").build()))
                .isInstanceOf(DuplicateIdConflictException.class);
        assertThat(logAll()).isEqualTo(before);
    }

    @Test
    void limitOutOfRangeIsRefused() {
        assertThatThrownBy(() -> readLog(Position.start(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> readLog(Position.start(), 10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(readLog(Position.start(), 10_000).events()).isEmpty();
    }

    @Test
    void aPositionTheStoreNeverIssuedIsRefused() {
        appendTen();
        assertThatThrownBy(() -> readLog(Position.of("not a position!"), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> readLog(Position.of("-1"), 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
