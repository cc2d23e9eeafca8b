package io.annals.devservers.internal;

import io.annals.devservers.DevServerException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The classpath of a forked server, resolved by Maven when this module was built and kept as a resource
 * ({@code io/annals/devservers/<name>.classpath}: absolute jar paths joined by the path separator).
 */
public final class ServerClasspath {

    private static final String RESOURCE_DIR = "/io/annals/devservers/";

    private ServerClasspath() {
    }

    /**
     * The jars of the named server. The system property {@code annals.<name>.classpath} or the environment
     * variable {@code ANNALS_<NAME>_CLASSPATH} overrides the resource.
     *
     * @throws DevServerException if the resource is missing or names jars that no longer exist
     */
    public static List<Path> jars(String name) {
        String override = System.getProperty("annals." + name + ".classpath",
                System.getenv("ANNALS_" + name.toUpperCase() + "_CLASSPATH"));
        String text = override != null && !override.isBlank() ? override : resource(name + ".classpath");
        List<Path> jars = new ArrayList<>();
        for (String entry : text.trim().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                jars.add(Path.of(entry.trim()));
            }
        }
        List<Path> missing = jars.stream().filter(jar -> !Files.exists(jar)).toList();
        if (jars.isEmpty() || !missing.isEmpty()) {
            throw new DevServerException("The " + name + " classpath resolved when annals-devservers was built is "
                    + (jars.isEmpty() ? "empty" : "stale (missing " + missing.get(0) + " and " + (missing.size() - 1)
                    + " more)") + ". Rebuild the module (`./mvnw -pl annals-devservers clean install -DskipTests`)"
                    + " to resolve it again, or set ANNALS_" + name.toUpperCase() + "_CLASSPATH.");
        }
        return jars;
    }

    /** The version the build resolved, e.g. {@code 5.0.9}. */
    public static String version(String name) {
        Properties properties = new Properties();
        try (InputStream in = ServerClasspath.class.getResourceAsStream(RESOURCE_DIR + name + ".properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    /**
     * Copies {@link ChildMain} as a lone class file under {@code dir}, which then goes first on the child's
     * classpath. (Putting this module's jar there instead would drag a fat jar's whole content along.)
     */
    public static Path writeLauncher(Path dir) {
        String entry = ChildMain.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(entry);
        try (InputStream in = ChildMain.class.getResourceAsStream("/" + entry)) {
            if (in == null) {
                throw new DevServerException("class file " + entry + " is not readable as a resource");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static String resource(String file) {
        try (InputStream in = ServerClasspath.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new DevServerException("Resource " + RESOURCE_DIR + file + " is missing: annals-devservers"
                        + " writes it at build time (`./mvnw -pl annals-devservers install -DskipTests`)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
