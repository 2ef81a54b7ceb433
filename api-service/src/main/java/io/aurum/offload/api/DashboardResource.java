package io.aurum.offload.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * The dashboard's three files at {@code /admin/}, behind the admin role like the endpoints its page reads. Served by
 * a resource, not as static files guarded by a path rule: the role is then checked wherever the router sends a
 * request, whatever way its path is spelled (an encoded slash, {@code /admin%2Findex.html}, once slipped past the
 * rule to the static files). Only the named files are served; they are read once, when the class is first used.
 */
@Path("/admin")
@RolesAllowed(DeadLetterResource.ROLE)
public class DashboardResource {

    private static final String PAGE = "index.html";
    private static final Map<String, String> FILES = Map.of(
            PAGE, "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");
    private static final Map<String, byte[]> CONTENT = Map.of(
            PAGE, read(PAGE), "dashboard.js", read("dashboard.js"), "dashboard.css", read("dashboard.css"));

    @GET
    @Operation(hidden = true)
    public Response page() {
        return file(PAGE);
    }

    @GET
    @Path("/{file}")
    @Operation(hidden = true)
    public Response file(@PathParam("file") String file) {
        byte[] content = CONTENT.get(file);
        if (content == null) {
            throw new NotFoundException();
        }
        return Response.ok(content, FILES.get(file)).header("Cache-Control", "no-cache").build();
    }

    private static byte[] read(String file) {
        try (InputStream in = DashboardResource.class.getClassLoader().getResourceAsStream("dashboard/" + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + file + " is missing from the api's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
