package io.aurum.offload.api;

/** A request the api refuses, with the problem to answer. Thrown by resources, mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String kind;
    private final String title;

    public ProblemException(int status, String kind, String title, String detail) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
    }

    static ProblemException badRequest(String kind, String detail) {
        return new ProblemException(400, kind, "Bad request", detail);
    }

    int status() {
        return status;
    }

    String kind() {
        return kind;
    }

    String title() {
        return title;
    }
}
