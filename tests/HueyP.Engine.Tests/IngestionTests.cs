using HueyP.Actors;
using HueyP.Domain.Market;
using HueyP.Engine.Feeds;
using HueyP.Engine.Gates;
using HueyP.MarketData.Synthetic;
using HueyP.MarketData.Validation;

namespace HueyP.Engine.Tests;

public sealed class IngestionTests : Actors.TestKit.TestKit
{
    [Fact]
    public async Task Quotes_for_symbols_outside_the_allow_list_are_counted_and_skipped()
    {
        var file = TestData.TempFile("synthetic.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        SyntheticTickFile.Write(file, new SyntheticMarketOptions { Seed = 7 }, 20_000);
        var settings = TestData.Settings() with { Symbols = ["EURUSD", "USDJPY"] };

        await using var engine = await EngineHost.StartAsync(Sys, settings);
        var result = await engine.RunReplayAsync(ReplaySourceFinder.Find([file]).Feed);

        Assert.Equal(20_000, result.Quotes + result.UnknownSymbolQuotes);
        Assert.InRange(result.Quotes, 1, 20_000 / 4);
        Assert.Equal(["EURUSD", "USDJPY"], await engine.ActiveSymbolsAsync());
    }

    [Fact]
    public async Task Bad_rows_are_reported_with_file_and_line_and_the_replay_goes_on()
    {
        var file = TestData.TempFile("EURUSD_ticks_bad.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllLines(file,
        [
            "ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size",
            "1580380071336000000,2020-01-30T10:27:51.336,1.102740,1.102760,100000,100000",
            "1580380071438000000,2020-01-30T10:27:51.438,not-a-price,1.102770,100000,100000",
            "1580380072438000000,2020-01-30T10:27:52.438,1.102750,1.102770,100000,100000",
        ]);

        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings());
        var result = await engine.RunReplayAsync(ReplaySourceFinder.Find([file]).Feed);

        Assert.Equal(2, result.Quotes);
        var example = Assert.Single(result.Feed.Examples);
        Assert.Equal(3, example.Line);
        Assert.EndsWith("EURUSD_ticks_bad.csv", example.File);
    }

    [Fact]
    public async Task In_strict_mode_the_first_bad_row_stops_the_replay_naming_file_and_line()
    {
        var file = TestData.TempFile("EURUSD_ticks_strict.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllLines(file,
        [
            "ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size",
            "1580380071336000000,2020-01-30T10:27:51.336,1.102740,1.102760,100000,100000",
            "1580380071438000000,2020-01-30T10:27:51.438,1.102790,1.102770,100000,100000",
        ]);

        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings());
        var error = await Assert.ThrowsAsync<FeedDataException>(() => engine.RunReplayAsync(ReplaySourceFinder.Find([file], strict: true).Feed));

        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void The_shipped_folder_is_recognized_pairing_bid_and_ask_files()
    {
        var all = ReplaySourceFinder.Find([TestData.Fx]);
        Assert.Equal(["EURUSD", "GBPUSD"], all.Symbols);
        Assert.Equal(3, all.Descriptions.Count);

        var gbp = ReplaySourceFinder.Find([TestData.Fx], ["GBPUSD"]);
        Assert.Equal(["GBPUSD"], gbp.Symbols);
        Assert.Single(gbp.Descriptions);
    }

    [Fact]
    public async Task A_constraint_with_a_syntax_error_stops_the_start_naming_its_id_and_column()
    {
        var path = TestData.TempFile("constraints.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """
            { "constraints": [ { "id": "mq.broken", "name": "Broken", "type": "market_quality",
                                 "condition": "spread_pips <= ", "severity": "warning" } ] }
            """);

        var error = await Assert.ThrowsAsync<EngineStartException>(() =>
            EngineHost.StartAsync(Sys, TestData.Settings() with { ConstraintsPath = path }));

        var message = Assert.Single(error.Errors);
        Assert.Contains("mq.broken", message);
        Assert.Contains("column", message);
    }

    [Fact]
    public async Task The_gates_actor_serves_the_constraint_set_the_symbols_were_started_with()
    {
        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings());
        var repository = await engine.Refs.Gates.Ask<ConstraintRepository>(GetConstraints.Instance);

        Assert.Equal(TestData.Constraints, repository.Source);
        Assert.Contains(repository.Constraints, c => c.Id == "mq.spread_too_wide");
    }
}
