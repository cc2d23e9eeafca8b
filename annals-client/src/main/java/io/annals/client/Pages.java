package io.annals.client;

import io.annals.core.api.Event;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A lazy walk over pages: fetches the next page only when the events of the previous one are used up. */
final class Pages<Q, P> implements Iterator<Event> {
    private final Function<Q, P> fetch;
    private final BiFunction<Q, P, Q> nextQuery;
    private final Function<P, List<Event>> events;
    private Q query;
    private Iterator<Event> current = List.<Event>of().iterator();

    private Pages(Q first, Function<Q, P> fetch, BiFunction<Q, P, Q> nextQuery, Function<P, List<Event>> events) {
        this.query = first;
        this.fetch = fetch;
        this.nextQuery = nextQuery;
        this.events = events;
    }

    /** {@code nextQuery} answers the query of the page after {@code page}, or null when it was the last. */
    static <Q, P> Stream<Event> stream(Q first, Function<Q, P> fetch, BiFunction<Q, P, Q> nextQuery,
                                       Function<P, List<Event>> events) {
        Pages<Q, P> it = new Pages<>(first, fetch, nextQuery, events);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && query != null) {
            P page = fetch.apply(query);
            current = events.apply(page).iterator();
            query = nextQuery.apply(query, page);
        }
        return current.hasNext();
    }

    @Override
    public Event next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
    }
}
