package io.annals.sourcing.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The aggregate type name of the events under a sealed interface, such as {@code parcel}; required on every interface registered with a {@link Domain}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AggregateType {
    String value();
}
