package io.aurum.offload.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aurum.offload.client.BackendUnavailableException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RedisFailuresTest {

    @Test
    void aDroppedConnectionAndTransientRepliesAreOutages() {
        assertThat(RedisFailures.isOutage(ErrorType.create("CONNECTION_CLOSED"))).isTrue();
        assertThat(RedisFailures.isOutage(ErrorType.create("LOADING Redis is loading the dataset in memory"))).isTrue();
        assertThat(RedisFailures.isOutage(new ConnectException("Connection refused"))).isTrue();
        assertThat(RedisFailures.isOutage(new TimeoutException())).isTrue();
    }

    @Test
    void anErrorReplyAboutTheRequestIsADefect() {
        assertThat(RedisFailures.isOutage(ErrorType.create("ERR wrong number of arguments for 'hget' command")))
                .isFalse();
    }

    @Test
    void classifyWrapsOutagesOnly() {
        RedisFailures failures = new RedisFailures("Redis broker");
        assertThat(failures.classify(ErrorType.create("CONNECTION_CLOSED")))
                .isInstanceOf(BackendUnavailableException.class);
        ErrorType defect = ErrorType.create("ERR syntax error");
        assertThat(failures.classify(defect)).isSameAs(defect);
    }
}
