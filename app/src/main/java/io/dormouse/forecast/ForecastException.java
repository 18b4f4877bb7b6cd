package io.dormouse.forecast;

/** A series or a model that cannot give a forecast, with the reason in words a user can act on. */
public final class ForecastException extends RuntimeException {

    public ForecastException(String message) {
        super(message);
    }
}
