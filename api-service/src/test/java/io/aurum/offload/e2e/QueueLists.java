package io.aurum.offload.e2e;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.aurum.offload.testing.RedisServer;

/**
 * The task messages a queue holds in the broker (database 0): its pending list, every worker's active list and
 * its delayed set, read in one atomic script so that a message moving between them is seen exactly once.
 */
final class QueueLists {

    /** Returns the task id of every message in the queue's lists, one line per message ({@code ?} if unreadable). */
    private static final String SNAPSHOT = """
            local prefix = ARGV[1]
            local ids = {}
            local function add(message)
              local ok, decoded = pcall(cjson.decode, message)
              table.insert(ids, (ok and type(decoded) == 'table' and decoded.id) or '?')
            end
            for _, list in ipairs(redis.call('KEYS', prefix .. 'active:*')) do
              for _, message in ipairs(redis.call('LRANGE', list, 0, -1)) do add(message) end
            end
            for _, message in ipairs(redis.call('LRANGE', prefix .. 'pending', 0, -1)) do add(message) end
            for _, message in ipairs(redis.call('ZRANGE', prefix .. 'delayed', 0, -1)) do add(message) end
            return ids
            """;

    private final RedisServer redis;
    private final String prefix;

    QueueLists(RedisServer redis, String queue) {
        this.redis = redis;
        this.prefix = "aurum:{q:" + queue + "}:";
    }

    /** Every task id held in the queue's lists right now, with how many times it is held. */
    Map<String, Long> heldIds() {
        String reply = redis.command(0, "EVAL", SNAPSHOT, "0", prefix);
        return reply.lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    }

    /** Ids held more than once at the same moment: a message duplicated across or within the lists. */
    List<String> duplicated() {
        return heldIds().entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    /** The task ids in one worker's active list. */
    List<String> activeOf(String workerId) {
        String reply = redis.command(0, "EVAL", """
                local ids = {}
                for _, message in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
                  local ok, decoded = pcall(cjson.decode, message)
                  table.insert(ids, (ok and type(decoded) == 'table' and decoded.id) or '?')
                end
                return ids
                """, "1", prefix + "active:" + workerId);
        return reply.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    long pendingLength() {
        return Long.parseLong(redis.command(0, "LLEN", prefix + "pending"));
    }
}
