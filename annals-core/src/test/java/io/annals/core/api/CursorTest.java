package io.annals.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {
    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesTimeAndIdAndDecodesThemBack() {
        for (Cursor c : new Cursor[] {
                new Cursor(Instant.parse("2016-03-31T10:36:42.171234Z"), "0193a1f2-7c3e-7b1a-9c4d-2f6e8a0b1c2d"),
                new Cursor(Instant.parse("1969-12-31T23:59:59.999999Z"), "id:with:colons"),
                new Cursor(Instant.parse("0001-01-01T00:00:00Z"), "\u00e9\uD83D\uDE00"),
                new Cursor(Instant.parse("9999-12-31T23:59:59.999999Z"), ""),
                new Cursor(Instant.EPOCH, "a/b?c=d&e")}) {
            String token = c.encode();
            assertThat(token).matches("[A-Za-z0-9_-]+");
            assertThat(Cursor.decode(token)).isEqualTo(c);
        }
    }

    @Test
    void cursorAfterAnEventIsItsTimeAndId() {
        Event e = new Event("e-1", "t", 1, null, null, Instant.parse("2016-03-31T10:36:42Z"), Instant.parse("2016-03-31T10:36:42Z"),
                null, null, null, null, null, 0);
        assertThat(Cursor.after(e)).isEqualTo(new Cursor(e.time(), "e-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!", "abc", "@@@@", "bm90LWEtbnVtYmVyOmlk", "OmlkLXdpdGhvdXQtdGltZQ",
            "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODk6eA"})
    void garbageIsRefusedAsAnInvalidArgument(String token) {
        assertThatThrownBy(() -> Cursor.decode(token)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("continueFrom");
    }

    @Test
    void tokensOfOtherShapesAreRefused() {
        assertThatThrownBy(() -> Cursor.decode(b64("12:x").replace('M', '+'))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cursor.decode(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
