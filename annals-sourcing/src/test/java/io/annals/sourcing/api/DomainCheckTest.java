package io.annals.sourcing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.annals.sourcing.fixtures.Parcel;
import io.annals.sourcing.fixtures.ParcelEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every mistake in a domain's mapping is found when it is built, with a message that says what to change. */
class DomainCheckTest {

    @AggregateType("order")
    sealed interface OrderEvent {
        record Placed(String customer, List<String> items) implements OrderEvent {}
        @EventName("order.shipped") @EventVersion(3) record Shipped(Instant at) implements OrderEvent {}
        sealed interface Cancellation extends OrderEvent {}
        record CancelledByCustomer(String reason) implements Cancellation {}
        record CancelledByShop() implements Cancellation {}
    }

    @Test
    void namesAndVersionsComeFromTheRecordUnlessAnnotated() {
        Domain domain = Domain.builder().aggregate(OrderEvent.class).build();
        assertThat(domain.aggregateType(OrderEvent.class)).isEqualTo("order");
        assertThat(domain.eventName(OrderEvent.Placed.class)).isEqualTo("order.placed");
        assertThat(domain.eventVersion(OrderEvent.Placed.class)).isEqualTo(1);
        assertThat(domain.eventName(OrderEvent.Shipped.class)).isEqualTo("order.shipped");
        assertThat(domain.eventVersion(OrderEvent.Shipped.class)).isEqualTo(3);
        assertThat(domain.eventName(OrderEvent.CancelledByCustomer.class)).isEqualTo("order.cancelled-by-customer");
    }

    interface NotSealed {}

    @Test
    void anInterfaceThatIsNotSealedIsRefused() {
        assertThatThrownBy(() -> Domain.builder().aggregate(NotSealed.class).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a sealed interface");
    }

    sealed interface Unnamed { record A() implements Unnamed {} }

    @Test
    void anInterfaceWithoutAggregateTypeIsRefused() {
        assertThatThrownBy(() -> Domain.builder().aggregate(Unnamed.class).build())
                .hasMessageContaining("@AggregateType");
    }

    @AggregateType("bad")
    sealed interface HasAClass {
        final class NotARecord implements HasAClass {}
    }

    @Test
    void anImplementationThatIsNotARecordIsRefused() {
        assertThatThrownBy(() -> Domain.builder().aggregate(HasAClass.class).build())
                .hasMessageContaining("NotARecord").hasMessageContaining("events must be records");
    }

    @AggregateType("twins")
    sealed interface Twins {
        @EventName("twins.born") record First() implements Twins {}
        @EventName("twins.born") record Second() implements Twins {}
    }

    @Test
    void twoRecordsWithOneEventNameAreRefused() {
        assertThatThrownBy(() -> Domain.builder().aggregate(Twins.class).build())
                .hasMessageContaining("event name 'twins.born' is used by both");
    }

    @AggregateType("order")
    sealed interface OtherOrderEvent { record Placed() implements OtherOrderEvent {} }

    @Test
    void twoInterfacesWithOneAggregateTypeAreRefused() {
        assertThatThrownBy(() -> Domain.builder().aggregate(OrderEvent.class).aggregate(OtherOrderEvent.class).build())
                .hasMessageContaining("aggregate type 'order' is claimed by both");
    }

    @AggregateType("gadget")
    sealed interface GadgetEvent {
        record Built(Part part) implements GadgetEvent {}
    }

    /** Jackson cannot construct this: no default constructor and no creator. */
    static final class Part {
        private final int a;
        Part(int a, int b) { this.a = a + b; }
        public int getA() { return a; }
    }

    @Test
    void aRecordJacksonCannotReadIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> Domain.builder().aggregate(GadgetEvent.class).build())
                .hasMessageContaining("GadgetEvent$Built cannot be stored as JSON")
                .hasMessageContaining("property 'part'")
                .hasMessageContaining("Part has no constructor or factory Jackson can use");
    }

    @Test
    void aJavaTimeComponentNeedsTheModuleOnAMapperOfYourOwn() {
        assertThatThrownBy(() -> Domain.builder().aggregate(OrderEvent.class).mapper(new JsonMapper()).build())
                .hasMessageContaining("OrderEvent$Shipped").hasMessageContaining("java.time.Instant");
    }

    @Test
    void anUpcasterFromTheCurrentFormCouldNeverRun() {
        assertThatThrownBy(() -> Domain.builder().aggregate(OrderEvent.class)
                .upcaster(Upcaster.from("order.placed", 1).to(2, p -> p)).build())
                .hasMessageContaining("would never run");
    }

    @Test
    void anUpcasterChainMustEndAtACurrentForm() {
        assertThatThrownBy(() -> Domain.builder().aggregate(OrderEvent.class)
                .upcaster(Upcaster.from("order.shipped", 1).to(2, p -> p)).build())
                .hasMessageContaining("leads to order.shipped v2, which is no current event type");
        // 1 -> 2 -> 3 is fine
        Domain.builder().aggregate(OrderEvent.class)
                .upcaster(Upcaster.from("order.shipped", 1).to(2, p -> p))
                .upcaster(Upcaster.from("order.shipped", 2).to(3, p -> p)).build();
    }

    @Test
    void aFoldRefusesATransitionThatCouldNeverRunOrIsGivenTwice() {
        Fold<String, OrderEvent> fold = Fold.of(OrderEvent.class, "");
        @SuppressWarnings({"rawtypes", "unchecked"})
        Fold raw = fold;
        assertThatThrownBy(() -> raw.on(ParcelEvent.Delivered.class, (s, e) -> s))
                .hasMessageContaining("is not an event of").hasMessageContaining("could never run");
        assertThatThrownBy(() -> fold.on(OrderEvent.class, (s, e) -> s)).hasMessageContaining("every event");
        Fold<String, OrderEvent> once = fold.on(OrderEvent.Placed.class, (s, e) -> s);
        assertThatThrownBy(() -> once.on(OrderEvent.Placed.class, (s, e) -> s))
                .hasMessageContaining("two transitions");
    }

    @Test
    void aSubInterfaceTransitionAppliesToItsRecordsWithoutOneOfTheirOwn() {
        Fold<String, OrderEvent> fold = Fold.of(OrderEvent.class, "")
                .on(OrderEvent.Cancellation.class, (s, e) -> s + "cancelled;")
                .on(OrderEvent.CancelledByShop.class, (s, e) -> s + "shop;");
        Instant t = Instant.EPOCH;
        var order = io.annals.core.api.AggregateId.of("order", "o1");
        assertThat(fold.fold(List.of(
                new Recorded<OrderEvent>(null, order, t, new OrderEvent.CancelledByCustomer("x"), Map.of(), 0),
                new Recorded<OrderEvent>(null, order, t, new OrderEvent.CancelledByShop(), Map.of(), 0),
                new Recorded<OrderEvent>(null, order, t, new OrderEvent.Placed("c", List.of()), Map.of(), 0))))
                .isEqualTo("cancelled;shop;");
    }

    @Test
    void emittingOrFoldingEventsOfAnUnregisteredAggregateSaysHowToRegisterIt() {
        try (var store = io.annals.sourcing.fixtures.Engines.open("memory", null)) {
            Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN).build();
            assertThatThrownBy(() -> sourcing.events().dispatchTo("o1", new OrderEvent.CancelledByShop(),
                    At.at(Instant.EPOCH)))
                    .hasMessageContaining("is not an event of this domain");
            assertThatThrownBy(() -> sourcing.state(Fold.of(OrderEvent.class, ""), "o1"))
                    .hasMessageContaining("Domain.builder().aggregate(OrderEvent.class)");
        }
    }
}
