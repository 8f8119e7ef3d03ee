using HueyP.Domain.Market;
using HueyP.Domain.Trading;
using HueyP.Engine.Orders;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;

namespace HueyP.Node.Tests;

/// <summary>
/// `hueyp orders show|cancel|cancel-all|reconcile`, `hueyp ledger positions|pnl|nav` and `hueyp kill-switch` against a
/// real node running the order side live (paper broker), as an operator would type them.
/// </summary>
public sealed class OrdersNodeTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    private string _folder = "";
    private RunningNode _node = null!;
    private DateTime _clock = Start;

    private string TokenFile => Path.Combine(_folder, "admin.token");

    private string[] Cli(params string[] args) => [.. args, "--node", _node.Admin.Address, "--token-file", TokenFile];

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hueyp-orders-node").FullName;
        var configFile = Path.Combine(_folder, "test.conf");
        var reference = Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");
        await File.WriteAllTextAsync(configFile, $$"""
            include "{{reference}}"
            hueyp {
              node { name = "orders-node", run-dir = "{{_folder}}" }
              admin.port = 0
              logging.console = off
              engine.constraints = "{{Path.Combine(AppContext.BaseDirectory, "data", "constraints.json")}}"
            }
            """);
        string[] symbols = ["EURUSD", "GBPUSD"];
        _node = await NodeHost.StartAsync(configFile, TextWriter.Null,
            engine: s => EngineConfiguration.LiveEngine(s) with { Symbols = symbols, Orders = OrderSideSettings.PaperFx(symbols) });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the OS temp cleaner gets it.
        }
    }

    private DateTime Quote(double bid, double ask)
    {
        _clock = _clock.AddSeconds(1);
        _node.Runtime.Engine!.PublishLive(new Quote("EURUSD", _clock, bid, ask));
        return _clock;
    }

    /// <summary>An intent as the live pipeline hands it to the order side; returns the order id once it rests at the broker.</summary>
    private async Task<string> RestingLimitAsync()
    {
        var side = _node.Runtime.Engine!.OrderSide!;
        var before = (await side.BookAsync()).Orders.Keys.ToHashSet();
        var decision = Quote(1.0800, 1.0802);
        _node.Runtime.Engine.Sink.Submit(new OrderIntent("EMAX", "EURUSD", Side.Buy, 0.1m, OrderType.Limit, decision.AddMinutes(-5), decision, 1.08, 1.0790,
            1.07, 1.09, 1, "test"), null!);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var book = await side.BookAsync();
            if (book.Orders.Values.FirstOrDefault(o => !before.Contains(o.ClientOrderId)) is { } order
                && order.Status == HueyP.Domain.Orders.OrderStatus.Accepted)
                return order.ClientOrderId;
            Quote(1.0800, 1.0802);
            await Task.Delay(20);
        }

        throw new TimeoutException("the limit order never rested at the broker");
    }

    [Fact]
    public async Task An_operator_shows_and_cancels_an_order_and_an_unknown_or_malformed_id_is_a_clear_error_with_exit_code_1()
    {
        var id = await RestingLimitAsync();

        var show = await CliHarness.RunAsync(Cli("orders", "show", id, "--json"));
        Assert.Equal(ExitCodes.Ok, show.ExitCode);
        Assert.Equal("ACCEPTED", show.Json.GetProperty("status").GetString());
        Assert.Contains(show.Json.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "OrderAccepted");
        var table = await CliHarness.RunAsync(Cli("orders", "show", id));
        Assert.Contains("OrderSubmitted", table.Output);

        var cancel = await CliHarness.RunAsync(Cli("orders", "cancel", id, "--json"));
        Assert.Equal(ExitCodes.Ok, cancel.ExitCode);
        Assert.True(cancel.Json.GetProperty("requested").GetBoolean());
        // The broker's answer arrives as a report: poll until the order says so, then a second cancel is refused.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await CliHarness.RunAsync(Cli("orders", "show", id, "--json"))).Json.GetProperty("status").GetString() != "CANCELED")
        {
            Assert.True(DateTime.UtcNow < deadline, "the cancel never completed");
            await Task.Delay(20);
        }

        var again = await CliHarness.RunAsync(Cli("orders", "cancel", id));
        Assert.Equal(ExitCodes.CommandFailed, again.ExitCode);
        Assert.Contains("cannot be canceled", again.Error);

        var unknown = await CliHarness.RunAsync(Cli("orders", "show", "EMAX-EURUSD-20250401T1030-0999"));
        Assert.Equal(ExitCodes.CommandFailed, unknown.ExitCode);
        Assert.Contains("no order EMAX-EURUSD-20250401T1030-0999", unknown.Error);
        var cancelUnknown = await CliHarness.RunAsync(Cli("orders", "cancel", "EMAX-EURUSD-20250401T1030-0999"));
        Assert.Equal(ExitCodes.CommandFailed, cancelUnknown.ExitCode);
        var malformed = await CliHarness.RunAsync(Cli("orders", "show", "not-an-id"));
        Assert.Equal(ExitCodes.CommandFailed, malformed.ExitCode);
        Assert.Contains("is not a client order id", malformed.Error);
    }

    [Fact]
    public async Task The_kill_switch_with_cancel_all_is_audited_denies_new_orders_and_shows_in_kill_switch_show()
    {
        var id = await RestingLimitAsync();

        var on = await CliHarness.RunAsync(Cli("kill-switch", "on", "--reason", "runaway strategy", "--cancel-all", "--json"));
        Assert.Equal(ExitCodes.Ok, on.ExitCode);
        Assert.True(on.Json.GetProperty("active").GetBoolean());
        Assert.Equal(id, on.Json.GetProperty("canceled").GetProperty("requested")[0].GetString());
        var show = await CliHarness.RunAsync(Cli("kill-switch", "show", "--json"));
        Assert.True(show.Json.GetProperty("active").GetBoolean());
        Assert.Equal("runaway strategy", show.Json.GetProperty("reason").GetString());
        var noReason = await CliHarness.RunAsync(Cli("kill-switch", "off"));
        Assert.Equal(ExitCodes.Usage, noReason.ExitCode);

        var audit = await File.ReadAllTextAsync(Path.Combine(_folder, "logs", "audit.jsonl"));
        Assert.Contains("/api/kill-switch", audit);

        var off = await CliHarness.RunAsync(Cli("kill-switch", "off", "--reason", "fixed"));
        Assert.Equal(ExitCodes.Ok, off.ExitCode);
        Assert.Contains("OFF", off.Output);
    }

    [Fact]
    public async Task Ledger_views_and_reconcile_answer_from_the_running_node()
    {
        var nav = await CliHarness.RunAsync(Cli("ledger", "nav", "--json"));
        Assert.Equal(ExitCodes.Ok, nav.ExitCode);
        Assert.Equal("node", nav.Json.GetProperty("source").GetString());
        Assert.Equal(100_000m, nav.Json.GetProperty("nav").GetDecimal());
        var pnl = await CliHarness.RunAsync(Cli("ledger", "pnl"));
        Assert.Contains("realized pnl", pnl.Output);
        var positions = await CliHarness.RunAsync(Cli("ledger", "positions", "--json"));
        Assert.Equal(ExitCodes.Ok, positions.ExitCode);

        var startUp = await CliHarness.RunAsync(Cli("orders", "reconcile", "--last", "--json"));
        Assert.Equal("start-up", startUp.Json.GetProperty("trigger").GetString());
        var reconcile = await CliHarness.RunAsync(Cli("orders", "reconcile", "--json"));
        Assert.Equal(ExitCodes.Ok, reconcile.ExitCode);
        Assert.Equal("operator", reconcile.Json.GetProperty("trigger").GetString());
        Assert.True(reconcile.Json.GetProperty("clean").GetBoolean(), reconcile.Output);
        Assert.Equal(0, reconcile.Json.GetProperty("resent").GetArrayLength());
        var text = await CliHarness.RunAsync(Cli("orders", "reconcile"));
        Assert.Contains("0 order(s) the broker never received sent again", text.Output);
        Assert.Contains("journal and broker agree", text.Output);
    }
}
