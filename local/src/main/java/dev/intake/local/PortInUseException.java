package dev.intake.local;

import java.io.IOException;

/** A port Intake's local stack should listen on is taken; the message says which, in one line. */
public final class PortInUseException extends IOException {
    /** Which of the local servers could not listen. */
    public enum Server { API, S3 }

    private final Server server;
    private final int port;

    PortInUseException(Server server, int port, Throwable cause) {
        super("port " + port + " on 127.0.0.1 is already in use", cause);
        this.server = server;
        this.port = port;
    }

    public Server server() {
        return server;
    }

    public int port() {
        return port;
    }
}
