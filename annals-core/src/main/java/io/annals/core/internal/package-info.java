/** Machinery behind the public API; not for users, may change without notice. */
package io.annals.core.internal;
