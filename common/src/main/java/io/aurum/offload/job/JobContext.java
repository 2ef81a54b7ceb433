package io.aurum.offload.job;

/**
 * What a running job may know about its task.
 *
 * @param taskId  the task's id
 * @param job     the registered job name
 * @param tenant  the tenant that enqueued the task, empty when the caller gave none
 * @param attempt which delivery of the task this is, from 1; above 1 the task was run before and interrupted
 */
public record JobContext(String taskId, String job, String tenant, long attempt) {
}
