package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunnerTest {
    @Test
    void countsOnlyWhatHappensInTheMeasuredWindow() throws Exception {
        AtomicLong calls = new AtomicLong();
        Result r = Runner.run("t", "test", 2, Duration.ofMillis(200), Duration.ofMillis(300), w -> () -> {
            calls.incrementAndGet();
            Thread.sleep(1);
            return 3;
        });
        assertThat(r.operations()).isPositive().isLessThan(calls.get());
        assertThat(r.events()).isEqualTo(3 * r.operations());
        assertThat(r.latency().getTotalCount()).isEqualTo(r.operations());
        assertThat(r.errors()).isZero();
        assertThat(r.seconds()).isEqualTo(0.3);
    }

    @Test
    void failuresAreCountedAndStopAWorkerThatOnlyFails() throws Exception {
        Result r = Runner.run("t", "test", 1, Duration.ZERO, Duration.ofSeconds(30), w -> () -> {
            throw new IllegalStateException("down");
        });
        assertThat(r.errors()).isEqualTo(1000);
        assertThat(r.events()).isZero();
        assertThat(r.p99Millis()).isNaN();
    }
}
