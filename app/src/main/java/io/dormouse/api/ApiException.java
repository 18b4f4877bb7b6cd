package io.dormouse.api;

/** A request that cannot be served, with the HTTP status and the stable problem code to answer. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;

    public ApiException(int status, String code, String title, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", "Not found", what);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", "Bad request", detail);
    }

    Problem problem() {
        return Problem.of(status, code, title, getMessage());
    }
}
