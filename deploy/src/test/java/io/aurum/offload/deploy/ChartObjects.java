package io.aurum.offload.deploy;

import java.time.Duration;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.SleepAction;

/** Small readings of rendered objects that several tests share. */
final class ChartObjects {

    private ChartObjects() {
    }

    /** The container's preStop sleep, zero without one. Any other kind of preStop hook is a test failure. */
    static Duration preStopSleep(Container container) {
        Optional<LifecycleHandler> preStop = Optional.ofNullable(container.getLifecycle()).map(Lifecycle::getPreStop);
        if (preStop.isEmpty()) {
            return Duration.ZERO;
        }
        SleepAction sleep = preStop.get().getSleep();
        if (sleep == null || preStop.get().getExec() != null || preStop.get().getHttpGet() != null) {
            throw new AssertionError("preStop of " + container.getName() + " is not a plain sleep: " + preStop.get());
        }
        return Duration.ofSeconds(sleep.getSeconds());
    }

    /** The container port a probe or Service names, by name or by number. */
    static int resolvePort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()));
    }
}
