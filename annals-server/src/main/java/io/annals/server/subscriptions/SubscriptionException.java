package io.annals.server.subscriptions;

import io.annals.core.api.AnnalsException;

/** A durable subscription refused a call; {@link #reason()} says why. Retrying the same call does not help. */
public final class SubscriptionException extends AnnalsException {

    /** Why a call was refused. */
    public enum Reason {
        /** No subscription has that name. */
        NOT_FOUND,
        /** A subscription of that name exists with another spec. */
        EXISTS,
        /** The consumer is not (or no longer) a member of the subscription. */
        NOT_A_MEMBER,
        /** The partition acknowledged is not (or no longer) held by the consumer. */
        NOT_ASSIGNED,
        /** The position acknowledged was not delivered on that partition, or was acknowledged already. */
        NOT_PENDING
    }

    private final Reason reason;

    public SubscriptionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
