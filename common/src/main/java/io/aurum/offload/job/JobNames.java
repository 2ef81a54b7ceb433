package io.aurum.offload.job;

import java.util.regex.Pattern;

/** The one rule for job names, shared by the registry, the api and the worker. */
public final class JobNames {

    /** Letters, digits, '_', '.', '-': safe in URLs, log lines and Redis keys. */
    public static final String RULE = "1 to 100 letters, digits, '_', '.' or '-', starting with a letter or digit";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private JobNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
