package io.annals.core.api.codec;

import io.annals.core.api.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
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

    /**
     * {@code 2016-03-31T10:36:42.171234Z}: always six fraction digits, in UTC. Written by hand for the years 0 to 9999
     * (every event's times; DateTimeFormatter took a third of the time of writing an event as JSON).
     */
    public static String format(Instant time) {
        return new String(formatAscii(time), StandardCharsets.US_ASCII);
    }

    /** {@link #format} as its ASCII (and so UTF-8) bytes, for writers that want bytes (Kafka headers). */
    public static byte[] formatAscii(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) return FORMAT.format(time).getBytes(StandardCharsets.UTF_8);
        byte[] c = new byte[27];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        c[26] = 'Z';
        return c;
    }

    private static void digits(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Microseconds since the epoch. */
    public static long toMicros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
    }

    public static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
