package io.annals.sourcing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import io.annals.sourcing.fixtures.Engines;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Old forms of events are carried to the current record by a chain of upcasters, renames included. */
class UpcastingTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @AggregateType("account")
    sealed interface AccountEvent {
        /** v1 was "account.credited" {"amount": 5}; v2 put cents in "amountCents"; v3 added the currency. */
        @EventName("account.deposited") @EventVersion(3)
        record Deposited(long amountCents, String currency) implements AccountEvent {}
    }

    private final Domain domain = Domain.builder().aggregate(AccountEvent.class)
            .upcaster(Upcaster.from("account.credited", 1).to("account.deposited", 2,
                    p -> p.put("amountCents", p.remove("amount").asLong() * 100)))
            .upcaster(Upcaster.from("account.deposited", 2).to(3, p -> p.put("currency", "EUR")))
            .build();
    private final EventStore store = Engines.open("memory", null);
    private final Sourcing sourcing = Sourcing.on(store, domain).build();

    @AfterEach
    void close() {
        store.close();
    }

    private void storeRaw(String type, int version, String payload, int second) {
        store.append(NewEvent.ofType(type).version(version).aggregate("account", "a1").time(T.plusSeconds(second))
                .payload(payload).build());
    }

    @Test
    void everyOldFormBecomesTheCurrentRecord() {
        storeRaw("account.credited", 1, "{\"amount\":5}", 1);
        storeRaw("account.deposited", 2, "{\"amountCents\":250}", 2);
        sourcing.events().dispatchTo("a1", new AccountEvent.Deposited(99, "GBP"), At.at(T.plusSeconds(3)));

        assertThat(sourcing.history(AccountEvent.class, "a1").list()).extracting(Recorded::event).containsExactly(
                new AccountEvent.Deposited(500, "EUR"), new AccountEvent.Deposited(250, "EUR"),
                new AccountEvent.Deposited(99, "GBP"));
        assertThat(store.readAggregate(io.annals.core.api.AggregateQuery.of(
                io.annals.core.api.AggregateId.of("account", "a1"))).events().get(2).version()).isEqualTo(3);
    }

    @Test
    void aFormWithoutUpcasterIsAnErrorThatSaysWhichUpcasterToAdd() {
        storeRaw("account.credited", 7, "{}", 1);
        assertThatThrownBy(() -> sourcing.history(AccountEvent.class, "a1").list())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("account.credited v7")
                .hasMessageContaining("Upcaster.from(\"account.credited\", 7)");
    }

    @AggregateType("ledger")
    sealed interface LedgerEvent { record Opened() implements LedgerEvent {} }

    @Test
    void anEventOfAnotherAggregatesTypeInAHistoryIsAnError() {
        Domain both = Domain.builder().aggregate(AccountEvent.class).aggregate(LedgerEvent.class).build();
        store.append(NewEvent.ofType("ledger.opened").aggregate("account", "a1").time(T).payload("{}").build());
        assertThatThrownBy(() -> Sourcing.on(store, both).build().history(AccountEvent.class, "a1").list())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is ledger.opened, which is not one of");
    }

    @Test
    void anUpcasterChangesACopySoAFailedReadLeavesNothingBehind() {
        storeRaw("account.deposited", 2, "{\"amountCents\":1}", 1);
        assertThat(sourcing.history(AccountEvent.class, "a1").list()).hasSize(1);
        assertThat(sourcing.history(AccountEvent.class, "a1").list()).hasSize(1); // the same after a second read
        assertThat(store.get(sourcing.history(AccountEvent.class, "a1").list().get(0).id()).orElseThrow()
                .payload().json()).isEqualTo("{\"amountCents\":1}");
    }
}
