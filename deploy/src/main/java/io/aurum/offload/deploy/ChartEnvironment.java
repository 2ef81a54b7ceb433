package io.aurum.offload.deploy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prints the environment the chart gives one component's container, one {@code NAME=VALUE} line per variable, for
 * scripts/run-chart-settings.sh to start the packaged service with.
 *
 * <p>Arguments: the component ({@code api} or {@code worker}), then values files applied over the chart's own. The
 * chart is {@code deploy/helm/aurum-offload} under the working directory unless {@code -Daurum.chart.dir} names
 * another. Passwords must come from the chart-created Secret (values {@code auth.*}), which is rendered too.
 */
public final class ChartEnvironment {

    private ChartEnvironment() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || !List.of("api", "worker").contains(args[0])) {
            System.err.println("usage: ChartEnvironment api|worker [values.yaml...]");
            System.exit(2);
        }
        Path chartDir = Path.of(System.getProperty("aurum.chart.dir", "deploy/helm/aurum-offload"));
        List<Path> valuesFiles = Arrays.stream(args).skip(1).map(Path::of).toList();

        RenderedChart chart = HelmChart.at(chartDir).render(valuesFiles);
        Map<String, String> environment = new ContainerEnvironment(chart, Map.of()).of(chart.deployment(args[0]));

        environment.forEach((name, value) -> {
            if (value.contains("\n")) {
                throw new IllegalArgumentException(name + " holds a line break, which a NAME=VALUE line cannot carry");
            }
            System.out.println(name + "=" + value);
        });
    }
}
