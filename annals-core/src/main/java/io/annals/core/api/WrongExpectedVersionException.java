package io.annals.core.api;

/** An append's expected version did not match its stream's actual version. Nothing was written. */
public class WrongExpectedVersionException extends AnnalsException {
    private final AggregateId stream;
    private final ExpectedVersion expected;
    private final long actual;

    public WrongExpectedVersionException(AggregateId stream, ExpectedVersion expected, long actual) {
        super("stream " + stream + " is at version " + actual + " but the append expected " + expected.text());
        this.stream = stream;
        this.expected = expected;
        this.actual = actual;
    }

    public AggregateId stream() { return stream; }
    public ExpectedVersion expected() { return expected; }
    public long actual() { return actual; }

    @Override
    public boolean isTransient() {
        return false;
    }
}
