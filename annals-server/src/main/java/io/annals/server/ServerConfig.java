package io.annals.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.annals.server.internal.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the server's configuration. Layers, the first one that sets a key wins:
 * <ol>
 *   <li>{@code overrides} (for example the command line's {@code --port}), keys written as full paths such as
 *       {@code annals.http.port};</li>
 *   <li>JVM system properties ({@code -Dannals.http.port=9090}) and, when the JVM runs with
 *       {@code -Dconfig.override_with_env_vars=true}, {@code CONFIG_FORCE_annals_http_port} style environment
 *       variables;</li>
 *   <li>the optional file (HOCON, JSON or properties);</li>
 *   <li>{@code reference.conf} of this module: the documented defaults, which also read a few {@code ANNALS_*}
 *       environment variables.</li>
 * </ol>
 * The result is checked at once: an unknown key under {@code annals} (a typo) or a value of the wrong kind fails
 * with a message that names the key.
 */
public final class ServerConfig {
    private ServerConfig() {}

    /** Loads and checks the configuration; {@code optionalFile} may be null. */
    public static Config load(Path optionalFile, Map<String, String> overrides) {
        Config file = ConfigFactory.empty();
        if (optionalFile != null) {
            if (!Files.isRegularFile(optionalFile))
                throw new IllegalArgumentException("the configuration file " + optionalFile.toAbsolutePath() + " does not exist");
            try {
                file = ConfigFactory.parseFile(optionalFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new IllegalArgumentException("cannot read the configuration file: " + e.getMessage(), e);
            }
        }
        Config config = ConfigFactory.parseMap(overrides == null ? Map.of() : overrides, "overrides")
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(file)
                .withFallback(ConfigFactory.defaultReference(ServerConfig.class.getClassLoader()))
                .resolve();
        Settings.from(config); // fail now, not when the server starts
        return config;
    }

    /** The defaults of {@code reference.conf} with these overrides (keys as full paths, e.g. {@code annals.http.port}). */
    public static Config defaults(Map<String, String> overrides) {
        return load(null, overrides);
    }
}
