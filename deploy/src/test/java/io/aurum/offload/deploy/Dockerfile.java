package io.aurum.offload.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The instructions of a Dockerfile, read just far enough for the tests: continuation lines joined, comments dropped,
 * {@code COPY} split into flags, sources and destination, exec-form {@code ENTRYPOINT} read as its JSON array.
 */
record Dockerfile(List<Instruction> instructions) {

    /** One instruction: its keyword in upper case and the rest of its line. */
    record Instruction(String keyword, String arguments) {

        /** The words of the arguments, flags such as {@code --chown=185:0} left out. */
        List<String> operands() {
            return Arrays.stream(arguments.trim().split("\\s+")).filter(word -> !word.startsWith("--")).toList();
        }
    }

    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                pending.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            pending.append(stripped);
            String[] parts = pending.toString().split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
            pending.setLength(0);
        }
        return new Dockerfile(instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The argument of the last instruction of that keyword, which is the one that counts for USER, EXPOSE... */
    String last(String keyword) {
        List<Instruction> found = all(keyword);
        if (found.isEmpty()) {
            throw new AssertionError("No " + keyword + " instruction");
        }
        return found.getLast().arguments().trim();
    }

    /** The exec form of ENTRYPOINT, as the JSON array it must be (so that the process gets signals directly). */
    List<String> entrypoint() {
        try {
            return List.of(new ObjectMapper().readValue(last("ENTRYPOINT"), String[].class));
        } catch (JsonProcessingException e) {
            throw new AssertionError("ENTRYPOINT is not in exec form: " + last("ENTRYPOINT"), e);
        }
    }
}
