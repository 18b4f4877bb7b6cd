package io.dormouse.state;

/** Argument checks shared by the row records, with messages naming the field and the value. */
final class Require {

    private Require() {
    }

    static void text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }
}
