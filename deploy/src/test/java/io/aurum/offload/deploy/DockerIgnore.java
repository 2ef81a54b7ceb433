package io.aurum.offload.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * A {@code .dockerignore}: which paths of the build context reach the build. As Docker reads it, the last pattern
 * that matches a path or one of its parent folders decides, and {@code !} turns a pattern into an exception.
 */
record DockerIgnore(List<String> patterns) {

    static DockerIgnore read(Path file) {
        try {
            return new DockerIgnore(Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Whether {@code path} (relative to the context, {@code /}-separated) is sent to the build. */
    boolean includes(String path) {
        boolean included = true;
        for (String pattern : patterns) {
            boolean exception = pattern.startsWith("!");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceFirst("^!", ""));
            if (matchesItOrAParent(matcher, Path.of(path))) {
                included = exception;
            }
        }
        return included;
    }

    private static boolean matchesItOrAParent(PathMatcher matcher, Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (matcher.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
