package io.annals.devservers.internal;

import io.annals.devservers.DevServerException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.io.Reader;

/**
 * Finds a Java installation of one feature version (Cassandra 5.0 needs 17: its Security Manager use fails on
 * newer ones). Looks, in order, at: the system property {@code annals.cassandra.java} and the environment variable
 * {@code ANNALS_CASSANDRA_JAVA} (a Java home or a {@code java} binary), the running JVM, {@code JAVA17_HOME}, and
 * the usual install locations ({@code /usr/lib/jvm}, {@code /usr/local/lib/jvm}, {@code /opt/java},
 * {@code ~/.sdkman/candidates/java}, {@code /Library/Java/JavaVirtualMachines}).
 */
public final class JavaFinder {

    private JavaFinder() {
    }

    /**
     * Returns the {@code java} binary of a Java of the given feature version.
     *
     * @throws DevServerException if there is none, saying how to point at one
     */
    public static Path findJava(int feature) {
        String explicit = firstNonBlank(System.getProperty("annals.cassandra.java"), System.getenv("ANNALS_CASSANDRA_JAVA"));
        if (explicit != null) {
            Path binary = binaryOf(Path.of(explicit));
            int version = versionOf(binary).orElse(-1);
            if (version != feature) {
                throw new DevServerException("ANNALS_CASSANDRA_JAVA / -Dannals.cassandra.java points at " + explicit
                        + (version < 0 ? ", which is not a Java installation" : ", which is Java " + version)
                        + "; Cassandra 5.0 needs Java " + feature);
            }
            return binary;
        }
        if (Runtime.version().feature() == feature) {
            return binaryOf(Path.of(System.getProperty("java.home")));
        }
        List<Path> candidates = new ArrayList<>();
        String home17 = System.getenv("JAVA" + feature + "_HOME");
        if (home17 != null && !home17.isBlank()) {
            candidates.add(Path.of(home17));
        }
        String userHome = System.getProperty("user.home");
        for (Path root : List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/local/lib/jvm"), Path.of("/opt/java"),
                Path.of(userHome, ".sdkman", "candidates", "java"), Path.of(userHome, ".jdks"),
                Path.of("/Library/Java/JavaVirtualMachines"))) {
            candidates.addAll(children(root, "*" + feature + "*"));
        }
        for (Path candidate : candidates) {
            for (Path home : List.of(candidate, candidate.resolve("Contents/Home"))) {
                Path binary = binaryOf(home);
                if (Files.isExecutable(binary) && versionOf(binary).orElse(-1) == feature) {
                    return binary;
                }
            }
        }
        throw new DevServerException("Apache Cassandra 5.0 needs Java " + feature + " (it does not start on newer"
                + " versions), and none was found: this JVM is Java " + Runtime.version().feature()
                + ", JAVA" + feature + "_HOME is not set and /usr/lib/jvm has no Java " + feature + ". Install one"
                + " (e.g. `apt-get install openjdk-" + feature + "-jdk-headless`) or point at it with"
                + " ANNALS_CASSANDRA_JAVA=/path/to/jdk-" + feature + " (or JAVA" + feature + "_HOME, or"
                + " -Dannals.cassandra.java=...)");
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static Path binaryOf(Path homeOrBinary) {
        if (Files.isRegularFile(homeOrBinary)) {
            return homeOrBinary;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        return homeOrBinary.resolve("bin").resolve(windows ? "java.exe" : "java");
    }

    /** The feature version from the {@code release} file of the installation (no process is started). */
    static Optional<Integer> versionOf(Path binary) {
        Path bin = binary.toAbsolutePath().getParent();
        if (bin == null || bin.getParent() == null) {
            return Optional.empty();
        }
        Path release = bin.getParent().resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            String first = version.split("[.+-]")[0];
            return Optional.of(Integer.parseInt(first.equals("1") ? version.split("\\.")[1] : first));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<Path> children(Path root, String glob) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root, glob)) {
            stream.forEach(found::add);
        } catch (IOException e) {
            // An unreadable directory holds nothing we can use.
        }
        found.sort(null);
        return found;
    }
}
