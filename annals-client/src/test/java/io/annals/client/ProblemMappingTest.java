package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.client.internal.Problems;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AnnalsException;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Problem details become the typed exceptions the docs promise. */
class ProblemMappingTest {

    private static AnnalsException map(int status, String body) {
        return Problems.toException(status, body.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void badRequestIsAnInvalidEventWithTheServersDetail() {
        AnnalsException e = map(400, """
                {"type":"https://annals.io/problems/invalid-request","title":"Invalid request","status":400,
                 "detail":"type is required"}""");
        assertThat(e).isInstanceOf(InvalidEventException.class).hasMessage("type is required");
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void wrongExpectedVersionCarriesStreamAndBothVersions() {
        AnnalsException e = map(409, """
                {"type":"https://annals.io/problems/wrong-expected-version","title":"Wrong expected version",
                 "status":409,"detail":"...","stream":{"type":"parcel","id":"p1"},"expectedVersion":"noStream",
                 "actualVersion":3}""");
        assertThat(e).isInstanceOf(WrongExpectedVersionException.class);
        WrongExpectedVersionException w = (WrongExpectedVersionException) e;
        assertThat(w.stream()).isEqualTo(AggregateId.of("parcel", "p1"));
        assertThat(w.expected()).isEqualTo(ExpectedVersion.noStream());
        assertThat(w.actual()).isEqualTo(3);
    }

    @Test
    void duplicateIdConflictCarriesTheEventId() {
        AnnalsException e = map(409, """
                {"type":"https://annals.io/problems/duplicate-id-conflict","status":409,"eventId":"e-1"}""");
        assertThat(e).isInstanceOf(DuplicateIdConflictException.class);
        assertThat(((DuplicateIdConflictException) e).eventId()).isEqualTo("e-1");
    }

    @Test
    void authFailuresAreTheirOwnTypes() {
        assertThat(map(401, "{\"type\":\"https://annals.io/problems/unauthorized\",\"status\":401,\"detail\":\"no token\"}"))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("no token");
        AnnalsException forbidden = map(403, "{\"status\":403,\"detail\":\"needs scope write\"}");
        assertThat(forbidden).isInstanceOf(ForbiddenException.class);
        assertThat(((AnnalsHttpException) forbidden).status()).isEqualTo(403);
        assertThat(((AnnalsHttpException) forbidden).problem().detail()).isEqualTo("needs scope write");
    }

    @Test
    void unavailableIsTransient() {
        AnnalsException e = Problems.toException(503, "{\"status\":503,\"detail\":\"store closing\"}"
                .getBytes(StandardCharsets.UTF_8), "5");
        assertThat(e).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("store closing")
                .hasMessageContaining("retry after 5");
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void anAnswerWithoutProblemJsonStillSaysSomething() {
        AnnalsException e = map(502, "<html>Bad gateway</html>");
        assertThat(e).isInstanceOf(AnnalsHttpException.class).hasMessageContaining("Bad gateway");
        assertThat(e.isTransient()).isTrue();
        assertThat(map(404, "")).hasMessageContaining("404");
    }
}
