package io.aurum.offload.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.config.OffloadSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads a job payload strictly with Jackson: one JSON object, UTF-8, no duplicate keys, no trailing data, no
 * deeper nesting than allowed, no larger than allowed. Each refusal says what to fix.
 */
@ApplicationScoped
public class PayloadReader {

    private final ObjectReader reader;
    private final long maxBytes;
    private final int maxDepth;

    @Inject
    public PayloadReader(OffloadSettings settings) {
        this.maxBytes = settings.api().maxPayloadSize().asLongValue();
        this.maxDepth = settings.api().maxPayloadDepth();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        // Known limitation: numbers with a fraction or exponent are read as doubles here and in the worker, so
        // digits beyond a double's precision are lost and an out-of-range value such as 1e999999 becomes Infinity.
        this.reader = new ObjectMapper(factory).reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("invalid-payload", "The body is empty: send a JSON object, e.g. {}.");
        }
        if (body.length > maxBytes) {
            throw new ProblemException(413, "payload-too-large", "Payload too large",
                    "The payload is " + body.length + " bytes; the limit is " + maxBytes + " bytes.");
        }
        JsonNode node = parse(body);
        if (!(node instanceof ObjectNode object)) {
            throw ProblemException.badRequest("invalid-payload",
                    "The payload must be a JSON object, not " + node.getNodeType().name().toLowerCase() + ".");
        }
        requireScalarValues(object);
        return object;
    }

    /**
     * Refuses text holding a lone surrogate. A JSON escape can spell one ({@code "\ud800"}), but it is no
     * character: on its way to the worker and back it can only be replaced, so the task would get a payload other
     * than the one sent.
     */
    private static void requireScalarValues(JsonNode node) {
        if (node.isTextual() && hasLoneSurrogate(node.textValue())) {
            throw loneSurrogate();
        }
        for (var property : node.properties()) {
            if (hasLoneSurrogate(property.getKey())) {
                throw loneSurrogate();
            }
            requireScalarValues(property.getValue());
        }
        if (node.isArray()) {
            node.forEach(PayloadReader::requireScalarValues);
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException loneSurrogate() {
        return ProblemException.badRequest("invalid-payload", "The payload has a \\u escape of a lone surrogate,"
                + " which is no Unicode character: escape characters outside the BMP as a surrogate pair.");
    }

    private JsonNode parse(byte[] body) {
        requireUtf8(body);
        try {
            return reader.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ProblemException.badRequest("invalid-payload", limitExceeded(e));
        } catch (JsonParseException e) {
            throw ProblemException.badRequest("invalid-payload", "The payload is not valid JSON: "
                    + withoutParserAdvice(e.getOriginalMessage()) + " (at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ").");
        } catch (IOException e) {
            throw ProblemException.badRequest("invalid-payload", "The payload is not valid JSON.");
        }
    }

    /**
     * The parser's description of the error without its advice to programmers (which names its own features, such
     * as "enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`"): a client can do nothing with that.
     */
    static String withoutParserAdvice(String message) {
        if (message == null) {
            return "unreadable input";
        }
        return PARSER_ADVICE.matcher(message).replaceFirst("").strip();
    }

    private static final Pattern PARSER_ADVICE =
            Pattern.compile("(:\\s*enable\\b.*|\\s*\\(not recognized as one since Feature.*)$");

    /** Which of the parser's limits the payload broke: the nesting depth, or the length of a number or a name. */
    private String limitExceeded(StreamConstraintsException e) {
        if (e.getMessage() != null && e.getMessage().contains("nesting depth")) {
            return "The payload nests objects or arrays deeper than " + maxDepth + " levels.";
        }
        StreamReadConstraints limits = reader.getFactory().streamReadConstraints();
        return "The payload has a number longer than " + limits.getMaxNumberLength() + " characters or a name"
                + " longer than " + limits.getMaxNameLength() + " characters: send long numbers as strings, use"
                + " shorter names.";
    }

    /**
     * Refuses a body that is not UTF-8: Jackson alone would guess UTF-16 or UTF-32 from the first bytes and let
     * overlong or out-of-range sequences through. A NUL byte never occurs in JSON text sent as UTF-8, while UTF-16
     * and UTF-32 put one beside every ASCII character, so refusing it leaves Jackson nothing to guess.
     *
     * <p>The bytes are then parsed as they are, as the worker parses the queued message: a parser over decoded text
     * accepts names with a lone surrogate that the worker's byte parser refuses, and such a task would never run.
     */
    private static void requireUtf8(byte[] body) {
        boolean utf8;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            utf8 = true;
        } catch (CharacterCodingException e) {
            utf8 = false;
        }
        for (int i = 0; utf8 && i < body.length; i++) {
            utf8 = body[i] != 0;
        }
        if (!utf8) {
            throw ProblemException.badRequest("invalid-payload",
                    "The payload is not valid UTF-8: send the JSON encoded in UTF-8.");
        }
    }
}
