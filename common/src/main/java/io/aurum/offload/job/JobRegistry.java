package io.aurum.offload.job;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.arc.All;
import io.quarkus.arc.InstanceHandle;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The jobs this process knows by name.
 *
 * <p>Job beans ({@code @Named} CDI beans implementing {@link Job}) are registered when the registry is created;
 * others are added with {@link #registerJob(String, Job)}, typically from a {@code StartupEvent} observer. A name
 * can be registered once: a second registration is a programming error and fails startup.
 */
@ApplicationScoped
public class JobRegistry {

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobOptions> options = new ConcurrentHashMap<>();

    @Inject
    @All
    List<InstanceHandle<Job>> jobBeans;

    @PostConstruct
    void registerJobBeans() {
        for (InstanceHandle<Job> handle : jobBeans) {
            String name = handle.getBean().getName();
            if (name == null) {
                throw new IllegalStateException("Job bean " + handle.getBean().getBeanClass().getName()
                        + " has no name: annotate it with @jakarta.inject.Named(\"job_name\")");
            }
            registerJob(name, handle.get());
        }
    }

    /**
     * Makes {@code job} runnable under {@code name}.
     *
     * @throws IllegalArgumentException when the name breaks {@link JobNames#RULE}
     * @throws IllegalStateException    when the name is taken
     */
    public void registerJob(String name, Job job) {
        registerJob(name, job, job == null ? JobOptions.DEFAULT : job.options());
    }

    /**
     * Makes {@code job} runnable under {@code name}, retried and time-limited as {@code jobOptions} say.
     *
     * @throws IllegalArgumentException when the name breaks {@link JobNames#RULE}
     * @throws IllegalStateException    when the name is taken
     */
    public void registerJob(String name, Job job, JobOptions jobOptions) {
        if (!JobNames.isValid(name)) {
            throw new IllegalArgumentException("Job name '" + name + "' is invalid: use " + JobNames.RULE);
        }
        if (job == null) {
            throw new IllegalArgumentException("Job '" + name + "' is null");
        }
        if (jobOptions == null) {
            throw new IllegalArgumentException("Job '" + name + "' has null options");
        }
        Job previous = jobs.putIfAbsent(name, job);
        if (previous != null) {
            throw new IllegalStateException("Job name '" + name + "' is registered twice: by "
                    + previous.getClass().getName() + " and by " + job.getClass().getName()
                    + "; give each job a name of its own");
        }
        options.put(name, jobOptions);
    }

    /** The options of a registered job; {@link JobOptions#DEFAULT} for a name not registered. */
    public JobOptions options(String name) {
        return name == null ? JobOptions.DEFAULT : options.getOrDefault(name, JobOptions.DEFAULT);
    }

    public Optional<Job> find(String name) {
        return Optional.ofNullable(name == null ? null : jobs.get(name));
    }

    public boolean contains(String name) {
        return name != null && jobs.containsKey(name);
    }

    /** The registered names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(jobs.keySet());
    }
}
