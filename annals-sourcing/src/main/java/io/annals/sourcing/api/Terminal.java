package io.annals.sourcing.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A causal ordering hint: an event of this type ends its aggregate's life, so a {@link Fold} applies it after every
 * other event of the aggregate even when its timestamp is earlier.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Terminal {}
