package io.annals.devservers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.devservers.DevServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaFinderTest {

    @TempDir
    Path dir;

    @Test
    void featureVersionComesFromTheReleaseFile() throws IOException {
        assertThat(JavaFinder.versionOf(fakeJava("17", "17.0.15"))).contains(17);
        assertThat(JavaFinder.versionOf(fakeJava("25", "25"))).contains(25);
        assertThat(JavaFinder.versionOf(fakeJava("8", "1.8.0_292"))).contains(8);
        assertThat(JavaFinder.versionOf(dir.resolve("nowhere/bin/java"))).isEqualTo(Optional.empty());
    }

    @Test
    void anExplicitJavaOfTheWrongVersionIsRejectedWithWhatItIs() throws IOException {
        Path java25 = fakeJava("explicit-25", "25.0.1");
        System.setProperty("annals.cassandra.java", java25.getParent().getParent().toString());
        try {
            assertThatThrownBy(() -> JavaFinder.findJava(17)).isInstanceOf(DevServerException.class)
                    .hasMessageContaining("which is Java 25")
                    .hasMessageContaining("needs Java 17");
        } finally {
            System.clearProperty("annals.cassandra.java");
        }
    }

    @Test
    void aStaleClasspathSaysHowToRebuild() {
        System.setProperty("annals.cassandra.classpath", dir.resolve("gone.jar").toString());
        try {
            assertThatThrownBy(() -> ServerClasspath.jars("cassandra")).isInstanceOf(DevServerException.class)
                    .hasMessageContaining("stale")
                    .hasMessageContaining("./mvnw -pl annals-devservers clean install");
        } finally {
            System.clearProperty("annals.cassandra.classpath");
        }
    }

    @Test
    void theBuildResolvedClasspathNamesCassandraAll() {
        assertThat(ServerClasspath.jars("cassandra"))
                .anyMatch(jar -> jar.getFileName().toString().equals("cassandra-all-" + ServerClasspath.version("cassandra") + ".jar"));
    }

    private Path fakeJava(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path binary = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(binary, "#!/bin/sh\n");
        binary.toFile().setExecutable(true);
        return binary;
    }
}
