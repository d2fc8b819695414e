package org.ddsp4j.data;

/**
 * Thrown by {@link TfExample#parse(byte[])} for bytes that are not a well-formed
 * {@code tf.train.Example} protobuf; the message names the byte offset and what is wrong.
 */
public final class MalformedExampleException extends IllegalArgumentException {
    public MalformedExampleException(String message) {
        super(message);
    }
}
