package io.aurum.offload.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.aurum.offload.config.OffloadSettings;
import io.aurum.offload.testing.OffloadSettingsFixture;
import io.aurum.offload.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * The Redis password setting, the way a Kubernetes Secret hands it over apart from the URLs in the ConfigMap,
 * against a private redis-server started with {@code --requirepass}.
 */
class RedisPasswordTest {

    private static final String PASSWORD = "from-the-secret-7f3a";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisServer server;
    private static Vertx vertx;
    private RedisConnections connections;

    @BeforeAll
    static void startRedisWithAPassword() {
        server = RedisServer.startWithPassword(PASSWORD);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() {
        vertx.closeAndAwait();
        server.close();
    }

    @AfterEach
    void closeConnections() {
        if (connections != null) {
            connections.close();
        }
    }

    @Test
    void brokerResultBackendAndSubscriberAuthenticateWithThePasswordSetting() {
        connections = connect(server.url(0), server.url(1), PASSWORD);

        set(connections.broker(), "on-broker");
        set(connections.results(), "on-results");

        assertThat(server.command(0, "GET", "on-broker")).isEqualTo("written");
        assertThat(server.command(1, "GET", "on-results")).isEqualTo("written");
        assertThat(ping(connections.subscriber())).isEqualTo("PONG");
    }

    @Test
    void isRefusedByRedisWithoutThePassword() {
        connections = connect(server.url(0), server.url(1), null);

        assertThatThrownBy(() -> ping(connections.broker())).hasMessageContaining("NOAUTH");
    }

    @Test
    void aPasswordWrittenInTheUrlWinsOverTheSetting() {
        String url = "redis://:" + PASSWORD + "@127.0.0.1:" + server.port() + "/0";
        connections = connect(url, url, "not-the-password");

        assertThat(ping(connections.broker())).isEqualTo("PONG");
    }

    @Test
    void sendsThePasswordSettingWithTheUserNamedInTheUrlQuery() {
        server.command("ACL", "SETUSER", "offload", "on", ">offload-password", "~*", "&*", "+@all");
        String url = "redis://127.0.0.1:" + server.port() + "/3?user=offload";
        connections = connect(url, url, "offload-password");

        assertThat(reply(connections.broker(), Request.cmd(Command.ACL).arg("WHOAMI"))).isEqualTo("offload");
        set(connections.broker(), "in-database-3");
        assertThat(server.command(3, "GET", "in-database-3")).isEqualTo("written");
    }

    private static RedisConnections connect(String brokerUrl, String resultUrl, String password) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "aurum.api.offload.enabled", "true",
                "aurum.api.offload.celery-broker-url", brokerUrl,
                "aurum.api.offload.celery-result-backend", resultUrl,
                "aurum.api.offload.redis-timeout", "2s"));
        if (password != null) {
            properties.put("aurum.api.offload.redis-password", password);
        }
        OffloadSettings settings = OffloadSettingsFixture.settings(properties);
        return new RedisConnections(vertx, settings);
    }

    private static void set(Redis client, String key) {
        assertThat(reply(client, Request.cmd(Command.SET).arg(key).arg("written"))).isEqualTo("OK");
    }

    private static String ping(Redis client) {
        return reply(client, Request.cmd(Command.PING));
    }

    private static String reply(Redis client, Request request) {
        return client.send(request).await().atMost(WAIT).toString();
    }
}
