package io.annals.sourcing.api;

import java.util.Map;

/**
 * Makes a {@link Transport} from settings; found with {@link java.util.ServiceLoader} (annals-kafka provides
 * {@code kafka}). {@link Processing.Builder#configure} uses it for the durable schedule when no transport is given.
 */
public interface TransportFactory {

    /** The name configuration chooses it by ({@code transport = kafka}). */
    String name();

    /**
     * A new transport; the caller closes it.
     * @param settings the {@code transport.*} settings without that prefix (for Kafka: {@code bootstrap-servers},
     *                 {@code topic}, and any client setting under {@code kafka.})
     * @throws IllegalArgumentException saying which setting is missing or wrong
     */
    Transport create(Map<String, String> settings);
}
