package io.aurum.offload.task;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes task ids: 144 random bits from a {@link SecureRandom}, as 24 URL-safe characters. An id says nothing about
 * its tenant, job or time, and cannot be guessed from others.
 *
 * <p>A bean rather than a static holder, so the random source is created at run time, never frozen into a native
 * image.
 */
@ApplicationScoped
public class TaskIds {

    private static final int RANDOM_BYTES = 18;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** Whether {@code id} could be an id of ours (of either backend); says nothing of whether it exists. */
    public static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }
}
