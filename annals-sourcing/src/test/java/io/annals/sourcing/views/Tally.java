package io.annals.sourcing.views;

import io.annals.core.api.KeyValues;
import io.annals.sourcing.api.ViewData;
import io.annals.sourcing.api.ViewHandler;
import io.annals.sourcing.views.LampEvent.Installed;
import io.annals.sourcing.views.LampEvent.Removed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A view handler that would show any event applied twice or skipped: it counts each lamp's events by reading and
 * writing its count (so it needs its own uncommitted writes), marks each event id seen and notes a second sighting,
 * and keeps the lamps of each room (removing a lamp with a scan of its own entries).
 */
final class Tally {
    private Tally() {}

    static final ViewHandler<LampEvent> HANDLER = (event, view) -> {
        String lamp = event.aggregate().id();
        if (view.get("seen", event.id()).isPresent()) view.put("twice", event.id(), "");
        view.put("seen", event.id(), "");
        int n = count(view, lamp);
        view.put("count", lamp, Integer.toString(n + 1));
        if (event.event() instanceof Installed i) {
            view.put("rooms-of:" + lamp, i.room(), "");
            view.put("room:" + i.room(), lamp, "");
        }
        if (event.event() instanceof Removed) {
            for (KeyValues.Entry room : view.scan("rooms-of:" + lamp, "", 100)) {
                view.delete("room:" + room.key(), lamp);
                view.delete("rooms-of:" + lamp, room.key());
            }
        }
    };

    static int count(ViewData view, String lamp) {
        return view.getString("count", lamp).map(Integer::parseInt).orElse(0);
    }

    /** Every entry of the given spaces, to compare two views' data. */
    static Map<String, Map<String, String>> entries(ViewData view, List<String> spaces) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String space : spaces) {
            Map<String, String> entries = new TreeMap<>();
            String after = "";
            for (List<KeyValues.Entry> page; !(page = view.scan(space, after, 7)).isEmpty(); ) {
                for (KeyValues.Entry e : page) entries.put(e.key(), new String(e.value()));
                after = page.get(page.size() - 1).key();
            }
            out.put(space, entries);
        }
        return out;
    }
}
