package org.ddsp4j.cli;

/** Thrown by a command for a malformed command line; {@link Main} prints the message and the usage. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
