package io.aurum.offload.api;

import java.util.List;
import java.util.regex.Pattern;

/** The tenant header: who is calling. Every task is visible to the tenant that enqueued it only. */
final class Tenants {

    static final String HEADER = "X-Aurum-Tenant";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Tenants() {
    }

    /**
     * Returns the tenant named by the header's only value. Sent twice, the header names no one: a proxy that
     * appends rather than replaces it must not let the caller pick whichever value the server happens to read.
     */
    static String require(List<String> values) {
        if (values != null && values.size() > 1) {
            throw ProblemException.badRequest("invalid-tenant",
                    "Send the " + HEADER + " header once; this request has it " + values.size() + " times.");
        }
        return require(values == null || values.isEmpty() ? null : values.getFirst());
    }

    /** Returns the tenant, or refuses the request with a 400 that says what the header must hold. */
    static String require(String header) {
        if (header == null || header.isEmpty()) {
            throw ProblemException.badRequest("missing-tenant",
                    "Send the " + HEADER + " header naming your tenant.");
        }
        if (!VALID.matcher(header).matches()) {
            throw ProblemException.badRequest("invalid-tenant",
                    "The " + HEADER + " header must be 1 to 64 letters, digits, '_', '.' or '-', "
                            + "starting with a letter or digit.");
        }
        return header;
    }
}
