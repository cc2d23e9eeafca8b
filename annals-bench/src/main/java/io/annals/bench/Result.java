package io.annals.bench;

import org.HdrHistogram.Histogram;

/**
 * What one scenario measured. Latency is per operation (one append, one batch, one page read) in microseconds.
 *
 * @param name        short name used in ratios, for example {@code raw-32} or {@code api-batch}
 * @param description what the scenario does, for the table
 * @param threads     concurrent workers (writers, connections or readers)
 * @param events      events written or read inside the measured window
 * @param operations  operations completed inside the measured window
 * @param errors      failed operations (during warm-up and measurement)
 * @param seconds     length of the measured window
 * @param cpuNanos    CPU time this JVM used in the measured window (all its threads), or -1 if unknown
 */
record Result(String name, String description, int threads, long events, long operations, long errors,
        double seconds, Histogram latency, long cpuNanos) {

    /** CPU microseconds this JVM spent per event in the window, NaN if unknown. */
    double cpuMicrosPerEvent() {
        return cpuNanos < 0 || events == 0 ? Double.NaN : cpuNanos / 1000.0 / events;
    }

    double eventsPerSecond() {
        return events / seconds;
    }

    double operationsPerSecond() {
        return operations / seconds;
    }

    double p50Millis() {
        return percentileMillis(50);
    }

    double p99Millis() {
        return percentileMillis(99);
    }

    double p999Millis() {
        return percentileMillis(99.9);
    }

    double maxMillis() {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
    }

    private double percentileMillis(double percentile) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }
}
