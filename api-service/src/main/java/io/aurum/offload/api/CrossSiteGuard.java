package io.aurum.offload.api;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a change to the admin endpoints (purge, requeue, delete) that a browser sends on behalf of another site.
 * A browser that once logged in to the dashboard resends the admin's basic credentials by itself, so a form or a
 * script on any page the operator opens could otherwise purge a queue (cross-site request forgery).
 *
 * <p>Browsers say where a request comes from: {@code Sec-Fetch-Site} (current browsers) and {@code Origin} (sent with
 * every cross-origin POST or DELETE, and with same-origin ones too). A request with neither header, such as one from
 * curl or a script, is not a browser's and passes. Reads (GET, HEAD) change nothing and are not checked.
 *
 * <p>Which requests are admin changes is decided by the endpoint they were routed to, not by their path as sent:
 * {@code //v1/admin/...} or {@code /v1/%61dmin/...} reach the same endpoints once the router has normalised them.
 */
public class CrossSiteGuard {

    private static final Logger LOG = Logger.getLogger(CrossSiteGuard.class);
    /** The endpoints that change what operators administer. */
    private static final Set<Class<?>> ADMIN_ENDPOINTS = Set.of(AdminResource.class, DeadLetterResource.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Values of Sec-Fetch-Site that mean the page itself, or the user typing the address, made the request. */
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    @ServerRequestFilter
    public Optional<Response> refuseForeignOrigins(HttpServerRequest request, SimpleResourceInfo endpoint) {
        if (SAFE_METHODS.contains(request.method().name())
                || !ADMIN_ENDPOINTS.contains(endpoint.getResourceClass())) {
            return Optional.empty();
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader("Origin");
        boolean foreign = fetchSite != null && !OWN_SITE.contains(fetchSite.toLowerCase(Locale.ROOT))
                || origin != null && !sameHost(origin, request.getHeader("Host"));
        if (!foreign) {
            return Optional.empty();
        }
        LOG.warnf("Refused %s %s from another site (Origin %s, Sec-Fetch-Site %s)", request.method(), request.path(),
                origin, fetchSite);
        return Optional.of(ProblemMappers.answer(Problem.of(403, "cross-site-request", "Forbidden",
                "Admin changes are accepted from the dashboard's own origin or from clients that are not browsers; "
                        + "this request came from another site.",
                request.path())));
    }

    /**
     * Whether {@code origin} names the host (and port, when {@code Host} gives one) the request was sent to. The
     * scheme is not compared: behind an ingress that ends TLS the page is https while the api is reached over http.
     */
    static boolean sameHost(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI page;
        URI target;
        try {
            page = URI.create(origin);
            target = URI.create("http://" + host);
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
        if (page.getHost() == null || target.getHost() == null
                || !page.getHost().equalsIgnoreCase(target.getHost())) {
            return false;
        }
        return target.getPort() < 0 || target.getPort() == port(page);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
