package io.annals.sourcing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/sourcing.md shows code from the example tests: each block after {@code <!-- guide:NAME -->} must be the test
 * code between {@code // guide:NAME} and {@code // end} (without its common indentation), and every marked piece of
 * test code must be in the guide.
 */
class GuideInSyncTest {
    private static final Pattern START = Pattern.compile("\\s*// guide:(\\S+)\\s*");
    private static final Pattern END = Pattern.compile("\\s*// end\\s*");
    private static final Pattern DOC_BLOCK = Pattern.compile("<!-- guide:(\\S+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void theGuideShowsTheExampleCodeAsTested() throws IOException {
        Map<String, String> tested = snippets(Path.of("src/test/java"));
        Map<String, String> shown = new TreeMap<>();
        Matcher m = DOC_BLOCK.matcher(Files.readString(Path.of("../docs/sourcing.md")));
        while (m.find()) shown.put(m.group(1), m.group(2));
        assertThat(tested).isNotEmpty();
        assertThat(shown).as("docs/sourcing.md against the test code (copy the test code into the guide)")
                .isEqualTo(tested);
    }

    private static Map<String, String> snippets(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String name = null;
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                Matcher start = START.matcher(line);
                if (name == null && start.matches()) {
                    name = start.group(1);
                    lines.clear();
                } else if (name != null && END.matcher(line).matches()) {
                    out.put(name, dedent(lines));
                    name = null;
                } else if (name != null) {
                    lines.add(line);
                }
            }
        }
        return out;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        return out.toString().strip();
    }
}
