package io.dormouse.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The settings that take one of a few words: an enum constant named in lower case, {@code -} for {@code _}. */
final class Choices {

    private Choices() {
    }

    /** The constant of {@code type} named {@code text}, in any case; an error listing the allowed words if none. */
    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        for (E choice : type.getEnumConstants()) {
            if (word(choice).equalsIgnoreCase(text)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not allowed; allowed: " + Arrays.stream(
                type.getEnumConstants()).map(Choices::word).collect(Collectors.joining(", ")));
    }

    /** How {@code choice} is written in the configuration. */
    static String word(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
