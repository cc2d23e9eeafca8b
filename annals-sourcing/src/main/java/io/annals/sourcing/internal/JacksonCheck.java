package io.annals.sourcing.internal;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.impl.UnsupportedTypeDeserializer;
import com.fasterxml.jackson.databind.deser.std.ContainerDeserializerBase;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds, at start-up, the records Jackson would fail to write or read only when the first event arrives: Jackson
 * builds deserializers eagerly but reports a type it does not support (java.time without its module, say) or a class
 * without a usable constructor only when a value is read. This walks the deserializer tree looking for those.
 */
final class JacksonCheck {
    private JacksonCheck() {}

    /** Null when {@code type} can be written and read, otherwise what is wrong. */
    static String problem(ObjectMapper mapper, Class<?> type) {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        if (!mapper.canSerialize(type, cause)) return "it cannot be written: " + message(cause.get());
        JavaType javaType = mapper.constructType(type);
        DeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createDummyInstance(mapper.getDeserializationConfig());
        try {
            return problem(context.findRootValueDeserializer(javaType),
                    Collections.newSetFromMap(new IdentityHashMap<>()));
        } catch (JsonMappingException e) {
            return "it cannot be read: " + e.getOriginalMessage();
        }
    }

    private static String problem(JsonDeserializer<?> d, Set<Object> seen) {
        if (d == null || !seen.add(d)) return null;
        if (d instanceof UnsupportedTypeDeserializer)
            return d.handledType().getName() + " is not supported by this mapper (is a Jackson module missing?)";
        if (d instanceof ContainerDeserializerBase<?> container) return problem(container.getContentDeserializer(), seen);
        if (d instanceof BeanDeserializerBase bean) {
            if (!bean.getValueInstantiator().canInstantiate())
                return bean.handledType().getName() + " has no constructor or factory Jackson can use";
            for (Iterator<SettableBeanProperty> it = bean.properties(); it.hasNext(); ) {
                SettableBeanProperty p = it.next();
                String problem = problem(p.getValueDeserializer(), seen);
                if (problem != null) return "property '" + p.getName() + "': " + problem;
            }
            if (bean.getValueInstantiator().getFromObjectArguments(null) != null) {
                for (SettableBeanProperty p : bean.getValueInstantiator().getFromObjectArguments(null)) {
                    String problem = problem(p.getValueDeserializer(), seen);
                    if (problem != null) return "property '" + p.getName() + "': " + problem;
                }
            }
        }
        return null;
    }

    private static String message(Throwable t) {
        return t == null ? "Jackson gave no reason" : t.getMessage();
    }
}
