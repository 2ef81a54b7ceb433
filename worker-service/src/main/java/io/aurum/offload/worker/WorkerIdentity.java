package io.aurum.offload.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This worker process's id: the host name (the pod name on Kubernetes) and a random suffix, new at every start,
 * so a restarted pod never inherits the active lists of its previous life; those are recovered by the sweep.
 */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    public WorkerIdentity() {
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        this.id = hostName() + "-" + HexFormat.of().formatHex(suffix);
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
