using HueyP.Engine.Orders;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;
using Microsoft.Playwright;

namespace HueyP.Node.Tests.Dashboard;

/// <summary>
/// Debian's chromium driven by Playwright: launched by its path, headless, with background networking off; Playwright
/// never downloads a browser. scripts/lib/chromium.sh installs /usr/bin/chromium when it is missing.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run scripts/lib/chromium.sh (installs Debian's chromium) before the browser tests");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        return new DashboardBrowser(playwright, browser);
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Saves the page under the test output folder (screenshots/NAME.png) and returns the path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }

    public static async Task LogInAsync(IPage page, string address, string token)
    {
        await page.GotoAsync($"http://{address}/");
        await page.FillAsync("#token", token);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("[data-testid=mode-pill]");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A live node with the paper order side (so the kill switch is real), on a free port in its own folder.</summary>
internal static class DashboardNode
{
    public static async Task<TestNodeWithOrders> StartAsync(string extraConfig = "")
    {
        var folder = Directory.CreateTempSubdirectory("hueyp-dashboard-test").FullName;
        var configFile = Path.Combine(folder, "test.conf");
        await File.WriteAllTextAsync(configFile, $$"""
            include "{{Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf")}}"
            hueyp {
              node { name = "deck-test", run-dir = "{{folder}}" }
              admin.port = 0
              logging.console = off
              engine.constraints = "{{Path.Combine(AppContext.BaseDirectory, "data", "constraints.json")}}"
            }
            {{extraConfig}}
            """);
        var node = await NodeHost.StartAsync(configFile, TextWriter.Null, engine: settings => EngineConfiguration.LiveEngine(settings) with
        {
            Orders = OrderSideSettings.PaperFx(settings.Engine.Symbols),
        });
        return new TestNodeWithOrders(folder, node);
    }
}

internal sealed class TestNodeWithOrders(string folder, RunningNode node) : IAsyncDisposable
{
    public string Folder { get; } = folder;
    public RunningNode Node { get; } = node;
    public string Address => Node.Admin.Address;
    public string Token => File.ReadAllText(Path.Combine(Folder, "admin.token")).Trim();
    public string AuditFile => Path.Combine(Folder, "logs", "audit.jsonl");

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the OS temp cleaner gets it.
        }
    }
}
