package io.annals.kafka.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses each event's topic: the per-type map first, else the template with {@code {type}} replaced by the event
 * type. A character Kafka does not allow in a topic name (anything but letters, digits, '.', '_', '-') becomes '_'.
 */
public final class TopicRouter {
    public static final String TYPE = "{type}";
    private static final int MAX_TOPIC = 249;

    private final String template;
    private final Map<String, String> byType;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public TopicRouter(String template, Map<String, String> byType) {
        if (template == null || template.isBlank())
            throw new IllegalArgumentException("the relay's topic must not be empty (for example annals.events or events.{type})");
        if (!template.contains(TYPE)) checkTopic(template, "topic");
        byType.forEach((type, topic) -> checkTopic(topic, "topic of type " + type));
        this.template = template;
        this.byType = Map.copyOf(byType);
    }

    public String topic(String type) {
        String t = cache.get(type);
        if (t == null) {
            t = byType.getOrDefault(type, template.contains(TYPE) ? sanitize(template.replace(TYPE, type)) : template);
            if (cache.size() < 10_000) cache.put(type, t);
        }
        return t;
    }

    static String sanitize(String topic) {
        StringBuilder b = new StringBuilder(topic.length());
        for (int i = 0; i < topic.length() && b.length() < MAX_TOPIC; i++) {
            char c = topic.charAt(i);
            b.append(allowed(c) ? c : '_');
        }
        return b.toString();
    }

    /** Throws an IllegalArgumentException naming {@code what} when {@code topic} is not a valid Kafka topic name. */
    public static void checkTopic(String topic, String what) {
        if (topic == null || topic.isEmpty() || topic.length() > MAX_TOPIC || topic.equals(".") || topic.equals("..")
                || !topic.chars().allMatch(c -> allowed((char) c)))
            throw new IllegalArgumentException(what + " '" + topic + "' is not a Kafka topic name: use 1 to 249 letters,"
                    + " digits, '.', '_' or '-'");
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }
}
