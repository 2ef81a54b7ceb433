package io.aurum.offload.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.job.Job;
import io.aurum.offload.job.JobContext;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The runbook's example job: answers {@code {"ok": true, "input": <payload>}}. */
@Singleton
@Named(HeavyComputeJob.NAME)
public class HeavyComputeJob implements Job {

    public static final String NAME = "heavy_compute";

    @Override
    public ObjectNode run(ObjectNode payload, JobContext context) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("ok", true);
        result.set("input", payload);
        return result;
    }
}
