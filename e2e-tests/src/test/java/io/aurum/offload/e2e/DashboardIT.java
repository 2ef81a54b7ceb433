package io.aurum.offload.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.HasAuthentication;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.aurum.offload.e2e.ApiClient.Submitted;
import io.aurum.offload.e2e.ServiceProcess.Service;

/**
 * The dashboard in a real headless browser (Debian's chromium through its chromedriver, driven by Selenium) against
 * the packaged api and worker on a private redis-server: an operator logs in, sees a queue's depth, a worker and the
 * task it runs, a task reaching SUCCESS and failed tasks in the dead letters, requeues one and deletes another. The
 * page's screenshot is kept as {@code target/dashboard.png}.
 *
 * <p>Needs {@code chromium} and {@code chromium-driver} ({@code apt-get install chromium chromium-driver};
 * {@code .ci/run} installs them); without them the test fails and says so, it does not skip.
 *
 * <p>Launches the api itself rather than as a {@code @QuarkusIntegrationTest} in api-service, so that Selenium stays
 * on this module's classpath, out of the api's test classpath that every {@code @QuarkusTest} bootstraps from.
 */
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    private static final String PASSWORD = "dashboard-test-secret";
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(30);

    private E2eSystem system;
    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void requireTheBrowser() {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the dashboard test drives %s through %s: apt-get install chromium chromium-driver",
                        CHROMIUM, CHROMEDRIVER)
                .isTrue();
    }

    @AfterEach
    void stopEverything() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void showsQueuesWorkersTasksAndDeadLettersAndActsOnDeadLetters() throws IOException {
        system = new E2eSystem("dashboard");
        OffloadEnv env = OffloadEnv.on(system.redis(), false)
                .with("AURUM_API_OFFLOAD_API_ADMIN_PASSWORD", PASSWORD)
                .with("AURUM_API_OFFLOAD_WORKER_CONCURRENCY", "1")
                .with("AURUM_API_OFFLOAD_WORKER_HEARTBEAT_INTERVAL", "1s");
        ServiceProcess apiProcess = system.start(Service.API, env);
        system.start(Service.WORKER, env);
        ApiClient api = new ApiClient(apiProcess);

        Submitted done = api.submit("noop", "acme", payload());
        Submitted requeued = api.submit("fail", "acme", payload().put("message", "disk full"));
        Submitted deleted = api.submit("fail", "globex", payload().put("message", "quota exceeded"));
        awaitState(api, done, "SUCCESS");
        awaitState(api, requeued, "FAILURE");
        awaitState(api, deleted, "FAILURE");
        // The one worker slot runs a long sleep, so the next task waits in the queue where the page can count it.
        Submitted running = api.submit("sleep", "acme", payload().put("ms", 50_000));
        awaitState(api, running, "STARTED");
        Submitted waiting = api.submit("sleep", "acme", payload().put("ms", 10));

        browser = startBrowser();
        // The operator answers the browser's basic-auth prompt: through DevTools, as headless chromium shows none.
        ((HasAuthentication) browser).register(uri -> "127.0.0.1".equals(uri.getHost()),
                UsernameAndPassword.of("admin", PASSWORD));
        browser.get(apiProcess.baseUri().resolve("/admin/").toString());

        assertThat(textOf(By.cssSelector("#queues tr[data-queue='default'] td.pending"), "1")).isEqualTo("1");
        assertThat(textOf(By.cssSelector("#workers tr[data-worker]"), running.taskId()))
                .contains("alive", "sleep", "STARTED");
        assertThat(textOf(By.cssSelector("#tasks tr[data-task-id='" + done.taskId() + "'] td.state"), "SUCCESS"))
                .isEqualTo("SUCCESS");
        assertThat(textOf(By.cssSelector("#tasks tr[data-task-id='" + waiting.taskId() + "'] td.state"), "PENDING"))
                .isEqualTo("PENDING");
        assertThat(textOf(By.cssSelector("#dead-letters tr[data-task-id='" + requeued.taskId() + "']"), "disk full"))
                .contains("IllegalStateException");
        textOf(By.cssSelector("#dead-letters tr[data-task-id='" + deleted.taskId() + "']"), "quota exceeded");
        saveScreenshot();

        click(By.cssSelector("#dead-letters tr[data-task-id='" + requeued.taskId() + "'] button.requeue"));
        awaitGone(By.cssSelector("#dead-letters tr[data-task-id='" + requeued.taskId() + "']"));
        assertThat(textOf(By.cssSelector("#tasks tr[data-task-id='" + requeued.taskId() + "'] td.state"), "PENDING"))
                .isEqualTo("PENDING");
        assertThat(textOf(By.cssSelector("#queues tr[data-queue='default'] td.pending"), "2")).isEqualTo("2");
        assertThat(api.status(requeued).state()).isEqualTo("PENDING");

        click(By.cssSelector("#dead-letters tr[data-task-id='" + deleted.taskId() + "'] button.delete"));
        awaitGone(By.cssSelector("#dead-letters tr[data-task-id='" + deleted.taskId() + "']"));
        assertThat(textOf(By.cssSelector("#queues tr[data-queue='default'] td.dead_letters"), "0")).isEqualTo("0");
        assertThat(api.status(deleted).state()).isEqualTo("FAILURE");
    }

    private WebDriver startBrowser() throws IOException {
        profile = Files.createTempDirectory("aurum-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(Path.of("target", "e2e-logs", "chromedriver.log").toFile()).build();
        return new ChromeDriver(driver, options);
    }

    /** Waits until the element exists and its text contains {@code expected}; returns its text. */
    private String textOf(By locator, String expected) {
        return until(locator + " showing " + expected, page -> page.findElements(locator).stream()
                .map(WebElement::getText).filter(text -> text.contains(expected)).findFirst().orElse(null));
    }

    private void awaitGone(By locator) {
        until(locator + " gone", page -> page.findElements(locator).isEmpty() ? Boolean.TRUE : null);
    }

    private void click(By locator) {
        until(locator + " clicked", page -> {
            page.findElement(locator).click();
            return Boolean.TRUE;
        });
    }

    /** Polls the page (ignoring elements redrawn under the test's feet) until {@code condition} gives a value. */
    private <T> T until(String what, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(browser, SEEN_WITHIN, Duration.ofMillis(200));
        wait.withMessage(() -> what + " within " + SEEN_WITHIN + "; the page showed:\n"
                + browser.findElement(By.tagName("body")).getText());
        wait.ignoring(StaleElementReferenceException.class);
        wait.ignoring(NoSuchElementException.class);
        return wait.until(condition::apply);
    }

    private void saveScreenshot() throws IOException {
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
    }

    private static void awaitState(ApiClient api, Submitted task, String state) {
        long deadline = System.nanoTime() + SEEN_WITHIN.toNanos();
        while (!state.equals(api.status(task).state())) {
            assertThat(System.nanoTime()).as("task %s reached %s within %s", task.taskId(), state, SEEN_WITHIN)
                    .isLessThan(deadline);
            ServiceProcess.pause(Duration.ofMillis(100));
        }
    }

    private static ObjectNode payload() {
        return JsonNodeFactory.instance.objectNode();
    }
}
