package org.ddsp4j.studio;

/**
 * A request the studio refuses or cannot serve, with the HTTP status and the message the page shows as it is
 * (one sentence saying what was wrong and what to do). The one failure type handlers throw; {@link StudioServer}
 * turns it into {@code {"error": message}} with its status, and nothing else of the session is lost.
 */
public final class StudioException extends RuntimeException {
    private final int status;

    public StudioException(int status, String message) {
        super(message);
        this.status = status;
    }

    public StudioException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status code (400 bad input, 403 refused, 404 unknown id, 409 conflict, 413 too large, 415 not audio, 422 no pitch). */
    public int status() {
        return status;
    }

    static StudioException badRequest(String message) {
        return new StudioException(400, message);
    }

    static StudioException notFound(String message) {
        return new StudioException(404, message);
    }
}
