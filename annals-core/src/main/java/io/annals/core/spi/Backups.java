package io.annals.core.spi;

import java.nio.file.Path;

/** Implemented by engines that can write a consistent copy of themselves while serving. */
public interface Backups {
    /** Writes a consistent copy of the store into {@code target}, which must not exist yet. */
    void backupTo(Path target);
}
