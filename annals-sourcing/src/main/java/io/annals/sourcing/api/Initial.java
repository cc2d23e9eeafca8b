package io.annals.sourcing.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A causal ordering hint: an event of this type starts its aggregate's life, so a {@link Fold} applies it before every
 * other event of the aggregate even when its timestamp is later (clocks of different sources are skewed).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Initial {}
