package io.annals.core.api.codec;

import io.annals.core.api.InvalidEventException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** RFC 3339 times kept to the microsecond. */
public final class Times {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    /** Parses an RFC 3339 time with any offset; {@code field} names it in the error. Truncated to microseconds. */
    public static Instant parse(String text, String field) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(field + " must be an RFC 3339 time such as 2016-03-31T10:36:42.171234Z, not '"
                    + text + "'");
        }
    }

    public static String format(Instant time) {
        return FORMAT.format(time);
    }

    /** Microseconds since the epoch. */
    public static long toMicros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
    }

    public static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
