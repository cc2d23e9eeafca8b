/** JSON forms of the event model: the canonical annals JSON and CloudEvents 1.0 structured JSON. */
package io.annals.core.api.codec;
