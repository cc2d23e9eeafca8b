package io.annals.devservers.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Work directory helpers. */
public final class WorkDirs {

    private static final AtomicInteger IDS = new AtomicInteger();

    private WorkDirs() {
    }

    /**
     * The {@code target} directory of the module under test: Surefire and Failsafe set {@code basedir}; otherwise
     * the working directory's.
     */
    public static Path moduleTarget() {
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(basedir).toAbsolutePath().resolve("target");
    }

    /** A number unique within this JVM. */
    public static int nextId() {
        return IDS.incrementAndGet();
    }

    /** Deletes a directory tree; a missing one is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (NoSuchFileException e) {
            // Deleted concurrently: fine.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the directories {@code <prefix><pid>} under {@code parent} whose process is dead: what shared
     * servers of JVMs that were killed left behind. Never fails: leftovers only cost disk space.
     */
    public static void deleteOrphans(Path parent, String prefix) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path dir : dirs) {
                String suffix = dir.getFileName().toString().substring(prefix.length());
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(suffix)).map(ProcessHandle::isAlive).orElse(false);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!alive) {
                    deleteRecursively(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Leftovers only cost disk space; never fail a test run over them.
        }
    }

    /** The last {@code lines} lines of a text file (reads at most its last 64 KiB); empty if it does not exist. */
    public static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }
}
