package io.annals.examples;

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
 * docs/sourcing.md shows compiled code: each block after {@code <!-- guide:NAME -->} must be the code between
 * {@code // guide:NAME} and {@code // end} (without its common indentation) in the examples (this module's main and
 * test sources) or in annals-sourcing's tests, and every marked piece of code must be in the guide.
 */
class GuideInSyncTest {
    private static final Pattern START = Pattern.compile("\\s*// guide:(\\S+)\\s*");
    private static final Pattern END = Pattern.compile("\\s*// end\\s*");
    private static final Pattern DOC_BLOCK = Pattern.compile("<!-- guide:(\\S+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

    private static final List<String> SOURCES =
            List.of("src/main/java", "src/test/java", "../annals-sourcing/src/test/java");

    @Test
    void theGuideShowsTheExampleCodeAsTested() throws IOException {
        Map<String, String> tested = new TreeMap<>();
        for (String root : SOURCES)
            snippets(Path.of(root)).forEach((name, code) ->
                    assertThat(tested.put(name, code)).as("two pieces of code marked guide:" + name).isNull());
        Map<String, String> shown = new TreeMap<>();
        Matcher m = DOC_BLOCK.matcher(Files.readString(Path.of("../docs/sourcing.md")));
        while (m.find()) shown.put(m.group(1), m.group(2));
        assertThat(tested).isNotEmpty();
        assertThat(shown).as("docs/sourcing.md against the marked code (copy the code into the guide)")
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
