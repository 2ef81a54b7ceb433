package io.aurum.offload.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * The chart under {@code deploy/helm/aurum-offload}, linted and rendered by Helm's own engine (helm-java bundles it as
 * a native library, so no {@code helm} binary is needed).
 */
public final class HelmChart {

    /** The release name the tests and the local run render with. */
    public static final String RELEASE = "offload";
    /** The namespace they render into. */
    public static final String NAMESPACE = "jobs";
    /** The Kubernetes version rendered for: the oldest the chart's kubeVersion accepts. */
    public static final String KUBE_VERSION = "1.30.0";

    private final Path dir;

    private HelmChart(Path dir) {
        this.dir = dir;
    }

    /** The chart in {@code dir}, which must hold a {@code Chart.yaml}. */
    public static HelmChart at(Path dir) {
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalArgumentException("No Chart.yaml in " + dir.toAbsolutePath());
        }
        return new HelmChart(dir);
    }

    public Path dir() {
        return dir;
    }

    /** {@code helm lint --strict} of the chart with its own values: warnings count as failures. */
    public LintResult lint() {
        return new Helm(dir).lint().strict().call();
    }

    /** {@code helm template} with the values files applied in order over the chart's values. */
    public String template(List<Path> valuesFiles) {
        return template(RELEASE, valuesFiles);
    }

    /** {@code helm template} of a release of that name. */
    public String template(String release, List<Path> valuesFiles) {
        TemplateCommand template = new Helm(dir).template().withName(release).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(template::withValuesFile);
        return template.call();
    }

    /**
     * What {@code helm install} would print after installing (the rendered NOTES.txt among it), from a client-only
     * dry run: nothing is sent to a cluster.
     */
    public String installNotes(List<Path> valuesFiles) {
        InstallCommand install = new Helm(dir).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).clientOnly().dryRun();
        valuesFiles.forEach(install::withValuesFile);
        return install.call().getOutput();
    }

    /** The chart rendered with {@code valuesFiles} and read strictly as Kubernetes objects. */
    public RenderedChart render(List<Path> valuesFiles) {
        return RenderedChart.of(Manifests.parse(template(valuesFiles)));
    }
}
