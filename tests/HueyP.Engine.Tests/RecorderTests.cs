using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HueyP.Engine.Decisions;

namespace HueyP.Engine.Tests;

public sealed class RecorderTests : Actors.TestKit.TestKit
{
    [Fact]
    public async Task The_record_file_has_one_canonical_line_per_signal_in_time_order_and_its_hash_chain_matches()
    {
        var path = TestData.TempFile("decisions.jsonl");
        RecorderStats stats;
        await using (var engine = await EngineHost.StartAsync(Sys, TestData.Settings(recordsPath: path)))
        {
            stats = (await engine.RunReplayAsync(TestData.AprilBars().Feed, TestData.FirstWeekOfApril)).Records;
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(stats.Signals, lines.Length);
        var times = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("decision_time_utc").GetDateTime()).ToList();
        Assert.Equal(times.Order().ToList(), times);
        Assert.Equal(stats.Intents, lines.Count(l => JsonDocument.Parse(l).RootElement.GetProperty("order_intent").ValueKind == JsonValueKind.Object));

        // Anyone can check the published hash from the file alone: head = SHA-256(head ‖ line), from 32 zero bytes.
        var head = new byte[32];
        foreach (var line in lines) head = SHA256.HashData([.. head, .. Encoding.UTF8.GetBytes(line)]);
        Assert.Equal(stats.Hash, Convert.ToHexStringLower(head));
    }

    [Fact]
    public async Task Every_signal_without_an_order_is_counted_under_a_reason()
    {
        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings());
        var result = await engine.RunReplayAsync(TestData.AprilBars().Feed, TestData.FirstWeekOfApril);

        var noOrder = result.Records.Signals - result.Records.Intents;
        Assert.True(noOrder > 0, "a week of data should have some rejected signals");
        // A rejection can have several reasons, so the reasons add up to at least the signals without an order.
        Assert.True(result.Records.RejectionsByReason.Values.Sum() >= noOrder);
        Assert.Equal(result.Records.Intents, ((Intents.CountingIntentSink)engine.Sink).Count);
    }
}
