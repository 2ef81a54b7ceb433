package io.aurum.offload.e2e;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.RawHttp.Header;

/**
 * A generated corpus of bad (and a few good) requests to the api, the same for a given seed: each probe is the exact
 * bytes of one HTTP request and what the api must answer to it.
 */
final class BadInputCorpus {

    static final String TENANT = "tenant-corpus";
    static final String JOB = "heavy_compute";
    /** Well formed, but never issued: status lookups with it are about the request, not the task. */
    static final String UNKNOWN_ID = "AAAAAAAAAAAAAAAAAAAAAAAA";
    private static final String ODD_ALPHABET = " \t!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~é€😀漢\u0301\u200b";

    /** What a probe must get. */
    record Expect(Set<Integer> statuses, boolean httpLayer, String detailContains, String detailLacks,
            JsonNode roundTrip, boolean mayClose) {

        /** A 4xx problem answer, with one of {@code statuses} (any 4xx if none). */
        static Expect refused(Integer... statuses) {
            return new Expect(Set.of(statuses), false, null, null, null, false);
        }

        /**
         * Any 4xx, possibly not in the problem format: the HTTP server refuses such a request (its line, headers or
         * framing) before any of the api's code sees it, so the api cannot shape that answer.
         */
        static Expect refusedByHttpLayer() {
            return new Expect(Set.of(), true, null, null, null, false);
        }

        /** A 4xx from the HTTP layer, or the connection closed without an answer. */
        static Expect closedByHttpLayer() {
            return new Expect(Set.of(), true, null, null, null, true);
        }

        /** 202, and the worker's result must hold {@code payload} exactly. */
        static Expect accepted(JsonNode payload) {
            return new Expect(Set.of(202), false, null, null, payload, false);
        }

        Expect detailContaining(String text) {
            return new Expect(statuses, httpLayer, text, detailLacks, roundTrip, mayClose);
        }

        Expect detailLacking(String text) {
            return new Expect(statuses, httpLayer, detailContains, text, roundTrip, mayClose);
        }
    }

    /** One request of the corpus. */
    record Probe(String category, String label, byte[] request, Expect expect) {
    }

    private final Random random;
    private final List<Probe> probes = new ArrayList<>();

    private BadInputCorpus(long seed) {
        this.random = new Random(seed);
    }

    /** Every probe, in an order shuffled by the seed. */
    static List<Probe> generate(long seed) {
        BadInputCorpus corpus = new BadInputCorpus(seed);
        corpus.malformedJson();
        corpus.notObjects();
        corpus.deepNesting();
        corpus.hugeBodies();
        corpus.contentTypes();
        corpus.unknownJobs();
        corpus.oddJobNames();
        corpus.tenants();
        corpus.taskIds();
        corpus.longHeaders();
        corpus.nonUtf8();
        corpus.unicode();
        corpus.duplicateKeys();
        corpus.parserLimits();
        corpus.methods();
        corpus.framing();
        Collections.shuffle(corpus.probes, corpus.random);
        return List.copyOf(corpus.probes);
    }

    private void malformedJson() {
        for (int i = 0; i < 30; i++) {
            String document = write(randomObject(3));
            // A proper prefix of an object is never a complete JSON value.
            String cut = document.substring(0, 1 + random.nextInt(document.length() - 1));
            post("malformed", "truncated " + cut.length() + "/" + document.length(), cut, Expect.refused(400));
        }
        List<String> handWritten = List.of("{", "}", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1,}",
                "{\"a\":1}}", "{\"a\":1} {}", "{\"a\":1} x", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":Infinity}",
                "{\"a\":undefined}", "{\"a\":.5}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
                "{\"a\":\"line\nbreak\"}", "{\"a\":tru}", "// comment\n{}", "{\"a\":1 /* c */}", "{\"a\":[1,2}",
                "{\"a\":\"unterminated}", "   ", "", "{\"a\":1,,\"b\":2}", "{\"a\" 1}", "{\"a\":+1}", "{\"a\":0x10}");
        for (String body : handWritten) {
            post("malformed", "hand-written " + abbreviate(body), body, Expect.refused(400));
        }
        for (int i = 0; i < 15; i++) {
            StringBuilder garbage = new StringBuilder();
            int length = 1 + random.nextInt(50);
            while (garbage.length() < length) {
                char c = (char) ('!' + random.nextInt(94));
                // Never the start of an object, so never a valid payload.
                if (!(garbage.isEmpty() && c == '{')) {
                    garbage.append(c);
                }
            }
            post("malformed", "garbage " + abbreviate(garbage.toString()), garbage.toString(), Expect.refused(400));
        }
    }

    private void notObjects() {
        for (String body : List.of("[]", "[1,2]", "1", "-0.5", "\"str\"", "null", "true", "false", "[{}]", "\"{}\"",
                "1e3", "[[]]")) {
            post("not-object", body, body, Expect.refused(400).detailContaining("object"));
        }
    }

    private void deepNesting() {
        for (int depth : new int[] {65, 66, 100, 500, 1_000, 10_000}) {
            post("deep", "arrays, depth " + depth, nested(depth, "[", "]"), Expect.refused(400)
                    .detailContaining("deeper"));
            post("deep", "objects, depth " + depth, nested(depth, "{\"a\":", "}"), Expect.refused(400)
                    .detailContaining("deeper"));
        }
        // The limit itself is allowed: the root object and 63 arrays are 64 levels.
        String deepest = nested(64, "[", "]");
        post("deep", "arrays, depth 64 (allowed)", deepest, Expect.accepted(parse(deepest)));
    }

    /** An object nesting {@code depth} levels in all: the root object, then {@code open}/{@code close} pairs. */
    private static String nested(int depth, String open, String close) {
        return "{\"n\":" + open.repeat(depth - 1) + (open.equals("[") ? "" : "1") + close.repeat(depth - 1) + "}";
    }

    private void hugeBodies() {
        int mib = 1 << 20;
        post("huge", "1 MiB + 1 byte", stringObject(mib + 1), Expect.refused(413).detailContaining("limit"));
        post("huge", "2 MiB", stringObject(2 * mib), Expect.refused(413).detailContaining("limit"));
        post("huge", "4 MiB", stringObject(4 * mib), Expect.refused(413).detailContaining("limit"));
        post("huge", "2 MiB not JSON", "x".repeat(2 * mib), Expect.refused(413).detailContaining("limit"));
    }

    /** {@code {"s":"xxx..."}}, exactly {@code size} bytes. */
    private static String stringObject(int size) {
        return "{\"s\":\"" + "x".repeat(size - 8) + "\"}";
    }

    private void contentTypes() {
        String body = "{\"a\":1}";
        for (String type : List.of("text/plain", "application/xml", "text/html", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/octet-stream", "image/png", "text/json",
                "application/jsonx")) {
            probe("content-type", type, "POST", "/v1/jobs/" + JOB, headers(TENANT, type), bytes(body),
                    Expect.refused(415));
        }
        probe("content-type", "none", "POST", "/v1/jobs/" + JOB, List.of(Header.of("X-Aurum-Tenant", TENANT)),
                bytes(body), Expect.refused(415));
        for (String type : List.of("json", "application/", ";;", "application/json/extra", "/")) {
            probe("content-type", "malformed " + type, "POST", "/v1/jobs/" + JOB, headers(TENANT, type), bytes(body),
                    Expect.refused(400, 415));
        }
    }

    private void unknownJobs() {
        for (int i = 0; i < 10; i++) {
            String name = "no_such_" + randomString("abcdefghijklmnopqrstuvwxyz_0123456789", 3, 20);
            probe("unknown-job", name, "POST", "/v1/jobs/" + name, headers(TENANT, "application/json"),
                    bytes("{}"), Expect.refused(404).detailContaining(name));
        }
    }

    private void oddJobNames() {
        List<String> encoded = List.of("heavy%20compute", "heavy_compute%20", "j%C3%B6b", "%E4%BD%9C%E4%B8%9A",
                "%F0%9F%98%80", "%2F", "a%2Fb", "..%2F..%2Fadmin", "..", ".", "%2E%2E", "a;b", "a%3Bb",
                "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%00", "a%0D%0AX-Injected:%201", "x".repeat(1_000),
                "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "a%5Cb", "%22quoted%22", "name%09tab");
        for (String name : encoded) {
            probe("odd-job-name", abbreviate(name), "POST", "/v1/jobs/" + name, headers(TENANT, "application/json"),
                    bytes("{}"), Expect.refused());
        }
        for (int i = 0; i < 15; i++) {
            String name = randomString(ODD_ALPHABET + "abc", 1, 30);
            String path = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
            probe("odd-job-name", "random " + abbreviate(path), "POST", "/v1/jobs/" + path,
                    headers(TENANT, "application/json"), bytes("{}"), Expect.refused());
        }
        // Percent signs that start no valid escape: Vert.x's router cannot decode the path and answers a bare 400
        // before the resources (and their problem mappers) are reached.
        for (String name : List.of("%ZZ", "%", "a%2", "%C3")) {
            probe("odd-job-name", name, "POST", "/v1/jobs/" + name, headers(TENANT, "application/json"), bytes("{}"),
                    Expect.refusedByHttpLayer());
        }
        // A request line longer than the server takes (4 KiB): the HTTP layer answers 414 itself.
        probe("odd-job-name", "5000 characters", "POST", "/v1/jobs/" + "x".repeat(5_000),
                headers(TENANT, "application/json"), bytes("{}"), Expect.refusedByHttpLayer());
        // Raw bytes a client should have percent-encoded; the HTTP layer may refuse the request line itself.
        rawTarget("odd-job-name", "raw UTF-8 in the path", "/v1/jobs/j\u00f6b".getBytes(StandardCharsets.UTF_8));
        rawTarget("odd-job-name", "raw space in the path", bytes("/v1/jobs/a b"));
    }

    private void rawTarget(String category, String label, byte[] target) {
        probes.add(new Probe(category, label, RawHttp.request("POST", target, headers(TENANT, "application/json"),
                bytes("{}")), Expect.refusedByHttpLayer()));
    }

    private void tenants() {
        List<byte[]> bad = new ArrayList<>(List.of(bytes(""), bytes("a b"), bytes("-lead"), bytes(".lead"),
                bytes("_lead"), bytes("t/x"), bytes("t:x"), bytes("t@x"), bytes("t,x"), bytes("t;x"), bytes("t\"x"),
                bytes("t\tx"), bytes("t".repeat(65)), bytes("t".repeat(1_000)), bytes("t\u00ebnant"),
                "t\u00e9".getBytes(StandardCharsets.ISO_8859_1), bytes("..")));
        for (int i = 0; i < 8; i++) {
            bad.add(bytes(randomTenant()));
        }
        for (byte[] tenant : bad) {
            String label = abbreviate(HexFormat.of().formatHex(tenant));
            List<Header> post = List.of(new Header("X-Aurum-Tenant", tenant), Header.of("Content-Type",
                    "application/json"));
            probe("tenant", "POST tenant 0x" + label, "POST", "/v1/jobs/" + JOB, post, bytes("{}"),
                    Expect.refused(400).detailContaining("X-Aurum-Tenant"));
            probe("tenant", "GET tenant 0x" + label, "GET", "/v1/tasks/" + UNKNOWN_ID,
                    List.of(new Header("X-Aurum-Tenant", tenant)), null,
                    Expect.refused(400).detailContaining("X-Aurum-Tenant"));
        }
        probe("tenant", "POST without tenant", "POST", "/v1/jobs/" + JOB,
                List.of(Header.of("Content-Type", "application/json")), bytes("{}"),
                Expect.refused(400).detailContaining("X-Aurum-Tenant"));
        probe("tenant", "GET without tenant", "GET", "/v1/tasks/" + UNKNOWN_ID, List.of(), null,
                Expect.refused(400).detailContaining("X-Aurum-Tenant"));
        probe("tenant", "two tenant headers", "POST", "/v1/jobs/" + JOB,
                List.of(Header.of("X-Aurum-Tenant", "tenant-a"),
                Header.of("X-Aurum-Tenant", "tenant-b"), Header.of("Content-Type", "application/json")),
                bytes("{}"), Expect.refused(400).detailContaining("X-Aurum-Tenant"));
        // Control characters in a header value: the HTTP server (Netty's header validation) refuses the request with
        // a bare 400 before any of the api's code runs.
        for (byte control : new byte[] {1, 0x7f}) {
            probes.add(new Probe("tenant", "control byte " + control + " in tenant", RawHttp.request("GET",
                    bytes("/v1/tasks/" + UNKNOWN_ID), List.of(new Header("X-Aurum-Tenant", new byte[] {'t', control})),
                    null), Expect.refusedByHttpLayer()));
        }
    }

    /** A tenant the header pattern refuses: an odd first character, or one odd character, or too long. */
    private String randomTenant() {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
        String name = randomString(allowed, 1, 40);
        return switch (random.nextInt(3)) {
            case 0 -> "-" + name;
            case 1 -> name + ODD_ALPHABET.substring(2, 30).charAt(random.nextInt(28)) + name;
            default -> name + "x".repeat(65);
        };
    }

    private void taskIds() {
        List<String> routed = List.of("abc", "short7c", "A".repeat(65), "A".repeat(300), "AAAA!AAAAAAAA",
                "AAAA%20AAAAAAA", "AAAAAAAA%00", "AAAAAAAAAAA.", "%C3%A9AAAAAAAAAA", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D",
                "AAAAAAAA%27%3B%20DROP", "AAAAAAAA*", "AAAAAAAA%22", "AAAAAAAA%3CAAA%3E", "AAAAAAAA~AAAA");
        for (String id : routed) {
            probe("task-id", abbreviate(id), "GET", "/v1/tasks/" + id, List.of(Header.of("X-Aurum-Tenant", TENANT)),
                    null, Expect.refused(400).detailContaining("task id"));
        }
        // These change the path the router sees (a slash, a dot segment, a query): any problem 4xx will do.
        for (String id : List.of("AAAA%2FAAAAAAA", "..", "..%2F..%2Fjobs", "AAAAAAAA%3Fx=1", "%2E%2E", "AAAA/AAAA")) {
            probe("task-id", abbreviate(id), "GET", "/v1/tasks/" + id, List.of(Header.of("X-Aurum-Tenant", TENANT)),
                    null, Expect.refused());
        }
        for (int i = 0; i < 12; i++) {
            String odd = ODD_ALPHABET.replace("/", "");
            String id = randomString("ABCDEFGHabcdefgh012345_-", 3, 30) + odd.charAt(random.nextInt(odd.length()))
                    + randomString("ABCDEF", 0, 10);
            String path = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            probe("task-id", "random " + abbreviate(path), "GET", "/v1/tasks/" + path,
                    List.of(Header.of("X-Aurum-Tenant", TENANT)), null, Expect.refused(400));
        }
        probe("task-id", "well formed, unknown", "GET", "/v1/tasks/" + UNKNOWN_ID,
                List.of(Header.of("X-Aurum-Tenant", TENANT)), null, Expect.refused(404));
    }

    private void longHeaders() {
        List<Header> junk = new ArrayList<>(headers(TENANT, "application/json"));
        junk.add(Header.of("X-Junk", "j".repeat(16 * 1024)));
        probe("long-header", "16 KiB X-Junk, malformed body", "POST", "/v1/jobs/" + JOB, junk, bytes("{"),
                Expect.refusedByHttpLayer());
        probe("long-header", "16 KiB tenant", "GET", "/v1/tasks/" + UNKNOWN_ID,
                List.of(Header.of("X-Aurum-Tenant", "t".repeat(16 * 1024))), null,
                Expect.refusedByHttpLayer());
        // Past the server's header limit (20 KiB by default): the HTTP layer answers 431 or 400 itself.
        probe("long-header", "64 KiB tenant", "GET", "/v1/tasks/" + UNKNOWN_ID,
                List.of(Header.of("X-Aurum-Tenant", "t".repeat(64 * 1024))), null, Expect.refusedByHttpLayer());
        List<Header> many = new ArrayList<>(headers(TENANT, "application/json"));
        for (int i = 0; i < 500; i++) {
            many.add(Header.of("X-Many-" + i, "v".repeat(100)));
        }
        probe("long-header", "500 headers of 100 bytes", "POST", "/v1/jobs/" + JOB, many, bytes("{}"),
                Expect.refusedByHttpLayer());
    }

    private void nonUtf8() {
        List<String> sequences = List.of("ff", "fe", "c0af", "c1bf", "e080af", "eda080", "edbfbf", "f4908080",
                "f888808080", "80", "bf", "e282", "c3", "e9", "f0", "fffe");
        for (String hex : sequences) {
            byte[] bad = HexFormat.of().parseHex(hex);
            post("non-utf8", "in a value: " + hex, join(bytes("{\"k\":\"a"), bad, bytes("b\"}")), Expect.refused(400));
            post("non-utf8", "in a key: " + hex, join(bytes("{\"a"), bad, bytes("\":1}")), Expect.refused(400));
        }
        for (Charset charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                Charset.forName("UTF-32"))) {
            post("non-utf8", "whole body in " + charset, "{\"k\":\"v\"}".getBytes(charset), Expect.refused(400));
        }
        post("non-utf8", "UTF-16 with BOM", join(HexFormat.of().parseHex("fffe"),
                "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_16LE)), Expect.refused(400));
    }

    private void unicode() {
        List<String> documents = new ArrayList<>(List.of("{\"text\":\"h\u00e9llo w\u00f6rld\"}",
                "{\"emoji\":\"\ud83d\ude00\ud83c\udf89\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\"}",
                "{\"cjk\":\"\u6f22\u5b57\u304b\u306a\u30ab\u30ca\ud55c\uad6d\uc5b4\"}",
                "{\"rtl\":\"\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd\"}",
                "{\"nfc\":\"\u00e9\",\"nfd\":\"e\u0301\"}",
                "{\"escaped\":\"\\u00e9\\ud83d\\ude00\"}",
                "{\"nul\":\"a\\u0000b\"}",
                "{\"edges\":\"\uffff\ufffd\u2028\u2029\"}",
                "{\"keys\":{\"\u043a\u043b\u044e\u0447\":\"\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435\","
                        + "\"\ud83d\ude00\":\"x\"}}",
                "{\"mixed\":[\"\u03a9\",{\"\u00f1\":\"\u00fc\"}]}",
                "{\"supplementary\":\"\ud834\udd1e\ud800\udf48\"}",
                "{\"controls\":\"\\t\\n\\r\\b\\f\\\"\\\\\\/\"}",
                "{\"long\":\"" + "\u00e9\u6f22\ud83d\ude00".repeat(20_000) + "\"}"));
        for (int i = 0; i < 10; i++) {
            String text = randomUnicode(1 + random.nextInt(60));
            documents.add(write(ApiClient.JSON.createObjectNode().put("random-" + i, text)));
        }
        for (String document : documents) {
            post("unicode", "round trip " + abbreviate(document), document, Expect.accepted(parse(document)));
        }
        // A lone surrogate is legal JSON text but no character: it cannot reach the worker and come back unchanged.
        for (String document : List.of("{\"lone\":\"\\ud800\"}", "{\"lone\":\"x\\udc00y\"}", "{\"\\udbff\":1}",
                "{\"l\":[\"\\udfff\\ud800\"]}")) {
            post("unicode", "lone surrogate " + document, document, Expect.refused(400).detailContaining("surrogate"));
        }
    }

    private String randomUnicode(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> 0xa0 + random.nextInt(0xd7ff - 0xa0);
                case 2 -> 0xe000 + random.nextInt(0xfffe - 0xe000);
                default -> 0x10000 + random.nextInt(0x10ffff - 0x10000);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private void duplicateKeys() {
        for (String body : List.of("{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"o\":{\"k\":1,\"k\":1}}",
                "{\"l\":[{\"x\":1,\"x\":2}]}", "{\"a\":1,\"\\u0061\":2}", "{\"\u00e9\":1,\"\\u00e9\":2}",
                "{\"\":1,\"\":2}")) {
            post("duplicate-keys", body, body, Expect.refused(400).detailContaining("uplicate"));
        }
        for (int i = 0; i < 5; i++) {
            ObjectNode object = randomObject(2);
            String key = object.fieldNames().next();
            String body = "{\"" + key + "\":0," + write(object).substring(1);
            post("duplicate-keys", "generated " + abbreviate(body), body,
                    Expect.refused(400).detailContaining("uplicate"));
        }
    }

    /** Jackson's own length limits, below the size limit: each is a 400 that names the right problem. */
    private void parserLimits() {
        post("parser-limits", "number of 1500 digits", "{\"n\":" + "1".repeat(1_500) + "}",
                Expect.refused(400).detailLacking("deeper"));
        post("parser-limits", "name of 60000 characters", "{\"" + "k".repeat(60_000) + "\":1}",
                Expect.refused(400).detailLacking("deeper"));
        post("parser-limits", "fraction of 1500 digits", "{\"n\":0." + "1".repeat(1_500) + "}",
                Expect.refused(400).detailLacking("deeper"));
    }

    private void methods() {
        for (String method : List.of("PUT", "PATCH", "DELETE", "GET")) {
            probe("method", method + " /v1/jobs/" + JOB, method, "/v1/jobs/" + JOB,
                    headers(TENANT, "application/json"), bytes("{}"), Expect.refused(405));
        }
        probe("method", "POST /v1/tasks/{id}", "POST", "/v1/tasks/" + UNKNOWN_ID, headers(TENANT, "application/json"),
                bytes("{}"), Expect.refused(405));
        probe("method", "PUT /v1/tasks/{id}", "PUT", "/v1/tasks/" + UNKNOWN_ID, headers(TENANT, "application/json"),
                bytes("{}"), Expect.refused(405));
    }

    /**
     * Broken HTTP framing: only the HTTP layer can answer these. A body whose chunking breaks arrives after a valid
     * head, when the request is already under way: the server can only drop the connection, and does.
     */
    private void framing() {
        probes.add(new Probe("framing", "garbage request line", bytes("GARBAGE\r\n\r\n"),
                Expect.refusedByHttpLayer()));
        probes.add(new Probe("framing", "Content-Length not a number", bytes("POST /v1/jobs/" + JOB
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Aurum-Tenant: " + TENANT
                + "\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}"), Expect.refusedByHttpLayer()));
        probes.add(new Probe("framing", "chunk size not hex", bytes("POST /v1/jobs/" + JOB
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Aurum-Tenant: " + TENANT
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                Expect.closedByHttpLayer()));
    }

    private void post(String category, String label, String body, Expect expect) {
        post(category, label, bytes(body), expect);
    }

    private void post(String category, String label, byte[] body, Expect expect) {
        probe(category, label, "POST", "/v1/jobs/" + JOB, headers(TENANT, "application/json"), body, expect);
    }

    private void probe(String category, String label, String method, String target, List<Header> headers, byte[] body,
            Expect expect) {
        probes.add(new Probe(category, label, RawHttp.request(method, bytes(target), headers, body), expect));
    }

    private static List<Header> headers(String tenant, String contentType) {
        return List.of(Header.of("X-Aurum-Tenant", tenant), Header.of("Content-Type", contentType));
    }

    private ObjectNode randomObject(int depth) {
        ObjectNode object = ApiClient.JSON.createObjectNode();
        int fields = 1 + random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            String key = randomString("abcdefghijklmnopqrstuvwxyz", 1, 8) + i;
            switch (random.nextInt(depth > 0 ? 6 : 4)) {
                case 0 -> object.put(key, random.nextInt());
                case 1 -> object.put(key, randomString("abc xyz\u00e9\u6f22", 0, 12));
                case 2 -> object.put(key, random.nextBoolean());
                case 3 -> object.putNull(key);
                case 4 -> object.set(key, randomObject(depth - 1));
                default -> {
                    ArrayNode array = object.putArray(key);
                    array.add(random.nextDouble()).add(randomObject(depth - 1));
                }
            }
        }
        return object;
    }

    private String randomString(String alphabet, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        StringBuilder text = new StringBuilder();
        int[] codePoints = alphabet.codePoints().toArray();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return text.toString();
    }

    private static String write(JsonNode node) {
        try {
            return ApiClient.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String document) {
        return ApiClient.parse(document);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 37) + "...";
    }
}
