package io.annals.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints results as a Markdown table, checks the targets of issue 2 that the results allow, and writes JSON. */
final class Report {
    /** One target: a figure (a rate, a ratio or a latency) against its threshold. */
    record Check(String what, double value, String unit, double threshold, boolean atLeast) {
        boolean met() {
            return atLeast ? value >= threshold : value <= threshold;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-44s %12s %-6s target %s %s: %s", what, format(value), unit,
                    atLeast ? ">=" : "<=", format(threshold), met() ? "met" : "NOT met");
        }
    }

    private Report() {}

    static void print(PrintStream out, List<Result> results, BenchOptions o) {
        out.println();
        out.println("| scenario | what | threads | events/s | ops/s | p50 ms | p99 ms | p99.9 ms | max ms | CPU µs/event | errors |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |%n", r.name(), r.description(),
                    r.threads(), format(r.eventsPerSecond()), format(r.operationsPerSecond()), millis(r.p50Millis()),
                    millis(r.p99Millis()), millis(r.p999Millis()), millis(r.maxMillis()), format(r.cpuMicrosPerEvent()),
                    r.errors());
        }
        List<Check> checks = checks(results, o);
        if (!checks.isEmpty()) {
            out.println();
            out.println("Targets of issue 2 (ratios within this run):");
            for (Check c : checks) out.println("  " + c);
        }
        out.println();
        out.println("Load average (1, 5, 15 min) before the run: " + o.loadBefore + "; after: " + loadAverage()
                + " (" + Runtime.getRuntime().availableProcessors() + " processors)");
    }

    /** The first three fields of /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** A short line for progress output. */
    static String line(Result r) {
        return String.format(Locale.ROOT, "  %s: %s events/s, p50 %s ms, p99 %s ms, p99.9 %s ms, %s CPU µs/event, %d errors",
                r.name(), format(r.eventsPerSecond()), millis(r.p50Millis()), millis(r.p99Millis()), millis(r.p999Millis()),
                format(r.cpuMicrosPerEvent()), r.errors());
    }

    static List<Check> checks(List<Result> results, BenchOptions o) {
        Map<String, Result> byName = results.stream().collect(Collectors.toMap(Result::name, r -> r, (a, b) -> b));
        String many = "-" + o.writers;
        List<Check> checks = new ArrayList<>();
        ratio(checks, byName, "api" + many, "raw" + many, 1.2);
        ratio(checks, byName, "api-batch", "raw-batch", 0.8);
        Result http = byName.get("http" + many);
        if (http != null) {
            checks.add(new Check("http" + many + " rate", http.eventsPerSecond(), "ev/s", 12_000, true));
            ratio(checks, byName, "http" + many, "raw" + many, 0.8);
            checks.add(new Check("http" + many + " p99", http.p99Millis(), "ms", 20, false));
        }
        for (String name : List.of("http-batch", "http-batch" + many)) {
            Result r = byName.get(name);
            if (r != null) checks.add(new Check(name + " rate", r.eventsPerSecond(), "ev/s", 40_000, true));
        }
        for (String q : List.of("api-query-type", "api-query-tag")) latency(checks, byName, q, 2);
        for (String q : List.of("http-query-type", "http-query-tag")) latency(checks, byName, q, 5);
        return checks;
    }

    private static void ratio(List<Check> checks, Map<String, Result> byName, String a, String b, double threshold) {
        Result x = byName.get(a);
        Result y = byName.get(b);
        if (x != null && y != null && y.eventsPerSecond() > 0) {
            checks.add(new Check(a + " / " + b, x.eventsPerSecond() / y.eventsPerSecond(), "x", threshold, true));
        }
    }

    private static void latency(List<Check> checks, Map<String, Result> byName, String name, double maxMillis) {
        Result r = byName.get(name);
        if (r != null) checks.add(new Check(name + " p99 per page", r.p99Millis(), "ms", maxMillis, false));
    }

    static void writeJson(Path file, String mode, List<Result> results, BenchOptions o) throws IOException {
        writeJson(file, mode, results, o, checks(results, o));
    }

    /** As above with the targets given (those of another issue). */
    static void writeJson(Path file, String mode, List<Result> results, BenchOptions o, List<Check> checks) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("mode", mode);
        root.put("finishedAt", Instant.now().toString());
        ObjectNode machine = root.putObject("machine");
        machine.put("processors", Runtime.getRuntime().availableProcessors());
        machine.put("loadAverageBefore", o.loadBefore);
        machine.put("loadAverageAfter", loadAverage());
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        ObjectNode settings = root.putObject("settings");
        settings.put("durationSeconds", o.durationSeconds);
        settings.put("warmupSeconds", o.warmupSeconds);
        settings.put("writers", o.writers);
        settings.put("batchSize", o.batchSize);
        settings.put("batchWriters", o.batchWriters);
        settings.put("bodyBytes", o.bodyBytes);
        settings.put("sync", !o.noSync);
        settings.put("engine", o.engine);
        o.storeOptions.forEach((k, v) -> settings.put("store." + k, v));
        ArrayNode scenarios = root.putArray("scenarios");
        for (Result r : results) {
            ObjectNode s = scenarios.addObject();
            s.put("name", r.name());
            s.put("description", r.description());
            s.put("threads", r.threads());
            s.put("events", r.events());
            s.put("operations", r.operations());
            s.put("errors", r.errors());
            s.put("seconds", r.seconds());
            s.put("eventsPerSecond", round(r.eventsPerSecond()));
            s.put("p50Millis", r.p50Millis());
            s.put("p99Millis", r.p99Millis());
            s.put("p999Millis", r.p999Millis());
            s.put("maxMillis", r.maxMillis());
            s.put("cpuMicrosPerEvent", r.cpuMicrosPerEvent());
        }
        ArrayNode targets = root.putArray("targets");
        for (Check c : checks) {
            ObjectNode t = targets.addObject();
            t.put("what", c.what());
            t.put("value", c.value());
            t.put("unit", c.unit());
            t.put("threshold", c.threshold());
            t.put("atLeast", c.atLeast());
            t.put("met", c.met());
        }
        mapper.writeValue(file.toFile(), root);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "-";
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String millis(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
