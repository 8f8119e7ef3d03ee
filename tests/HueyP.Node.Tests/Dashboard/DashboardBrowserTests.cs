using HueyP.Domain.Market;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HueyP.Node.Tests.Dashboard;

/// <summary>The dashboard in a real browser (Debian's chromium through Playwright) against a real node.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestNodeWithOrders _node = null!;
    private DashboardBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _node = await DashboardNode.StartAsync();
        _browser = await DashboardBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task The_page_refuses_access_without_the_token()
    {
        var page = await _browser.NewPageAsync();

        await page.GotoAsync($"http://{_node.Address}/");
        Assert.Equal(0, await page.Locator("[data-testid=mode-pill]").CountAsync());
        await page.FillAsync("#token", "wrong-wrong-wrong-wrong");
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("text=not the admin token of this node");
        var data = await page.APIRequest.GetAsync($"http://{_node.Address}/api/dashboard/state");
        await DashboardBrowser.ScreenshotAsync(page, "refused-without-token");

        Assert.Equal(401, data.Status);
        Assert.Equal(0, await page.Locator("[data-testid=mode-pill]").CountAsync());
    }

    [Fact]
    public async Task With_the_token_it_shows_NORMAL_and_live_tick_counts_during_a_live_feed()
    {
        var page = await _browser.NewPageAsync();
        await DashboardBrowser.LogInAsync(page, _node.Address, _node.Token);
        using var feed = new CancellationTokenSource();
        var ticks = FeedAsync(feed.Token);
        try
        {
            await Expect(page.Locator("[data-testid=mode-pill] .text"), "NORMAL");
            var first = await TickCountAsync(page, "EURUSD", above: 0);
            var later = await TickCountAsync(page, "EURUSD", above: first);
            output.WriteLine($"EURUSD ticks on the page: {first} then {later}");
            await DashboardBrowser.ScreenshotAsync(page, "normal-live-ticks-1280x800", fullPage: true);
            var wall = await _browser.NewPageAsync(1920, 1080);
            await DashboardBrowser.LogInAsync(wall, _node.Address, _node.Token);
            await Expect(wall.Locator("[data-testid=mode-pill] .text"), "NORMAL");
            await DashboardBrowser.ScreenshotAsync(wall, "normal-live-ticks-1920x1080");

            Assert.True(later > first);
            Assert.Equal("✓", await page.Locator("[data-testid=mode-pill] .icon").TextContentAsync());
        }
        finally
        {
            await feed.CancelAsync();
            await ticks;
        }
    }

    [Fact]
    public async Task The_kill_switch_asks_for_confirmation_and_a_reason_and_its_use_is_in_the_audit_log()
    {
        var page = await _browser.NewPageAsync();
        await DashboardBrowser.LogInAsync(page, _node.Address, _node.Token);
        await Expect(page.Locator("[data-testid=kill-state]"), "Kill switch: off");

        await page.ClickAsync("[data-testid=kill-switch]");
        await page.WaitForSelectorAsync("[data-testid=confirm-dialog][open]");
        await page.ClickAsync("[data-testid=confirm-ok]");
        await page.WaitForSelectorAsync("text=Say why");
        Assert.DoesNotContain("/api/dashboard/control", AuditText());
        await page.FillAsync("[data-testid=confirm-reason]", "browser test: stop trading");
        await DashboardBrowser.ScreenshotAsync(page, "kill-switch-confirmation");
        await page.ClickAsync("[data-testid=confirm-ok]");
        await Expect(page.Locator("[data-testid=control-result]"), "kill_switch_on done");
        await Expect(page.Locator("[data-testid=kill-state]"), "Kill switch: ON");
        await DashboardBrowser.ScreenshotAsync(page, "kill-switch-on", fullPage: true);

        var audit = AuditText().Split('\n').Single(l => l.Contains("/api/dashboard/control"));
        Assert.Contains("\"allowed\":true", audit);
        Assert.Contains("browser test: stop trading", audit);
        Assert.Contains("\"who\":\"dashboard@", audit);
        Assert.True((await _node.Node.Runtime.Engine!.OrderSide!.KillSwitchAsync()).Active);
    }

    [Fact]
    public async Task Every_control_is_reachable_with_the_keyboard()
    {
        var page = await _browser.NewPageAsync();
        await DashboardBrowser.LogInAsync(page, _node.Address, _node.Token);

        string? focused = null;
        for (var i = 0; i < 80 && focused != "kill-switch"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            focused = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-testid')");
        }

        Assert.Equal("kill-switch", focused);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("[data-testid=confirm-dialog][open]");
        await page.Keyboard.PressAsync("Escape");
        Assert.DoesNotContain("/api/dashboard/control", AuditText());
    }

    [Fact]
    public async Task The_blotter_shows_12000_orders_with_only_the_visible_rows_in_the_page_and_filters_them()
    {
        var page = await _browser.NewPageAsync();
        // The page's own view of a big book: the node's answer is replaced in the browser, so the test depends on the
        // page alone (a node with 12,000 real orders would take minutes to make).
        var orders = Enumerable.Range(0, 12_000).Select(i => new
        {
            id = $"EMAX-{(i % 2 == 0 ? "EURUSD" : "GBPUSD")}-20260302T0900-{i:D5}",
            symbol = i % 2 == 0 ? "EURUSD" : "GBPUSD",
            side = i % 3 == 0 ? "SELL" : "BUY",
            type = "MARKET",
            quantity = 10_000,
            filled = 10_000,
            avg_price = 1.08,
            status = i % 10 == 0 ? "REJECTED" : "FILLED",
            decision_time_utc = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc).AddSeconds(-i),
            reason = (string?)null,
        }).ToList();
        await page.RouteAsync("**/api/dashboard/orders*", async route =>
        {
            var filter = new Uri(route.Request.Url).Query.Contains("filter=GBPUSD", StringComparison.Ordinal) ? "GBPUSD" : null;
            var rows = filter is null ? orders : orders.Where(o => o.symbol == filter).ToList();
            await route.FulfillAsync(new RouteFulfillOptions { ContentType = "application/json", Body = System.Text.Json.JsonSerializer.Serialize(new { available = true, total = orders.Count, orders = rows }) });
        });
        await DashboardBrowser.LogInAsync(page, _node.Address, _node.Token);

        await Expect(page.Locator("#blotter-count"), "12,000 shown of 12,000");
        var rendered = await page.Locator("#blotter-rows .blotter-row").CountAsync();
        await page.EvalOnSelectorAsync("#blotter-viewport", "el => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); }");
        await Expect(page.Locator("#blotter-rows"), "EMAX-GBPUSD-20260302T0900-11999");
        await DashboardBrowser.ScreenshotAsync(page, "blotter-12000-bottom");
        await page.FillAsync("#blotter-filter", "GBPUSD");
        await Expect(page.Locator("#blotter-count"), "6,000 shown of 12,000");

        Assert.InRange(rendered, 1, 60);
        Assert.InRange(await page.Locator("#blotter-rows .blotter-row").CountAsync(), 1, 60);
    }

    private string AuditText() => File.Exists(_node.AuditFile) ? File.ReadAllText(_node.AuditFile) : "";

    /// <summary>A live feed: quotes into the engine as a bridge or feed would hand them, until cancelled.</summary>
    private Task FeedAsync(CancellationToken ct) => Task.Run(async () =>
    {
        var engine = _node.Node.Runtime.Engine!;
        var i = 0;
        while (!ct.IsCancellationRequested)
        {
            var mid = 1.08 + (i++ % 50) * 1e-5;
            engine.PublishLive(new Quote("EURUSD", DateTime.UtcNow, mid, mid + 0.0001));
            engine.PublishLive(new Quote("GBPUSD", DateTime.UtcNow, mid + 0.18, mid + 0.1801));
            try { await Task.Delay(20, ct); } catch (OperationCanceledException) { }
        }
    });

    private static async Task<long> TickCountAsync(IPage page, string symbol, long above)
    {
        var cell = page.Locator($"[data-testid=ticks-{symbol}]");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var text = (await cell.CountAsync()) > 0 ? await cell.TextContentAsync() : null;
            if (long.TryParse((text ?? "").Replace(",", ""), out var count) && count > above) return count;
            Assert.True(DateTime.UtcNow < deadline, $"{symbol} tick count on the page stayed at '{text}', not above {above}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Holding_new_entries_turns_the_pill_DEGRADED_EXEC_names_the_hold_in_why_and_the_release_undoes_it()
    {
        var page = await _browser.NewPageAsync();
        await DashboardBrowser.LogInAsync(page, _node.Address, _node.Token);
        await Expect(page.Locator("[data-testid=mode-pill]"), "NORMAL");
        // The journal commits from the start (mode ladder, probe): its p99 is measured, not n/a.
        await Assertions.Expect(page.Locator("[data-testid=slo-journal]")).Not.ToContainTextAsync("n/a", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });

        await page.ClickAsync("[data-testid=hold-entries]");
        await page.WaitForSelectorAsync("[data-testid=confirm-dialog][open]");
        await Expect(page.Locator("#confirm-title"), "Hold new entries?");
        await page.FillAsync("[data-testid=confirm-reason]", "browser test: CPI release");
        await page.ClickAsync("[data-testid=confirm-ok]");
        await Expect(page.Locator("[data-testid=control-result]"), "hold_entries done");
        await Expect(page.Locator("[data-testid=mode-pill]"), "DEGRADED_EXEC");
        await Expect(page.Locator("[data-testid=hold-entries]"), "Release hold");
        await page.ClickAsync("#why-mode");
        await Expect(page.Locator("[data-testid=why-panel]"), "new entries held by dashboard: browser test: CPI release");
        await DashboardBrowser.ScreenshotAsync(page, "hold-entries", fullPage: true);

        await page.ClickAsync("[data-testid=hold-entries]");
        await page.WaitForSelectorAsync("[data-testid=confirm-dialog][open]");
        await Expect(page.Locator("#confirm-title"), "Release the hold");
        await page.FillAsync("[data-testid=confirm-reason]", "browser test: numbers out");
        await page.ClickAsync("[data-testid=confirm-ok]");
        await Expect(page.Locator("[data-testid=control-result]"), "release_entries done");
        await Expect(page.Locator("[data-testid=mode-pill]"), "NORMAL");
        await Expect(page.Locator("[data-testid=hold-entries]"), "Hold new entries");

        var audit = AuditText().Split('\n').Where(l => l.Contains("/api/dashboard/control")).ToList();
        Assert.Contains(audit, l => l.Contains("browser test: CPI release") && l.Contains("\"allowed\":true"));
        Assert.Contains(audit, l => l.Contains("browser test: numbers out") && l.Contains("\"allowed\":true"));
    }

    private static Task Expect(ILocator locator, string text) =>
        Assertions.Expect(locator).ToContainTextAsync(text, new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
}
