package io.annals.cli;

import picocli.CommandLine;

/** picocli converters for {@code --format}. */
final class Formats {
    private Formats() {}

    /** For reading: auto, annals or cloudevents. */
    static final class Input implements CommandLine.ITypeConverter<EventFormat> {
        @Override
        public EventFormat convert(String value) {
            try {
                return EventFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** For writing: annals or cloudevents (auto means nothing here). */
    static final class Output implements CommandLine.ITypeConverter<EventFormat> {
        @Override
        public EventFormat convert(String value) {
            EventFormat f = new Input().convert(value);
            if (f == EventFormat.AUTO)
                throw new CommandLine.TypeConversionException("format must be annals or cloudevents, not 'auto'");
            return f;
        }
    }
}
