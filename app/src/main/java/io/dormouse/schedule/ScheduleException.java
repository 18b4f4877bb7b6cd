package io.dormouse.schedule;

/** A schedule policy or tuning input that cannot be used; {@link #field()} names the offending field. */
public final class ScheduleException extends IllegalArgumentException {

    private final String field;

    public ScheduleException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field of the policy or request that was wrong, as the API spells it. */
    public String field() {
        return field;
    }
}
