using System.Threading.Channels;
using HueyP.Domain.Market;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Synthetic;
using HueyP.MarketData.Ticks;

namespace HueyP.MarketData.Tests;

public class FeedChannelTests
{
    [Fact]
    public async Task A_feed_publishes_through_a_small_bounded_channel_in_the_same_order_as_a_direct_read()
    {
        var feed = new TickFileFeed(new TickFileOptions
        {
            Path = TestFiles.Shipped("EURUSD_ticks_2020-01-30.csv.gz"),
            Symbol = "EURUSD",
            TimeOffset = TickFileOptions.NewYorkStandardTimeToUtc,
        });
        var channel = Channel.CreateBounded<Quote>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });

        var run = feed.RunAsync(channel.Writer, CancellationToken.None)
            .ContinueWith(t => channel.Writer.Complete(t.Exception), TaskScheduler.Default);
        var received = new List<Quote>();
        await foreach (var quote in channel.Reader.ReadAllAsync())
            received.Add(quote);
        await run;

        Assert.Equal(feed.ReadAll(), received);
    }

    [Fact]
    public async Task An_endless_synthetic_feed_stops_when_cancelled()
    {
        var feed = new SyntheticFeed(new SyntheticMarketOptions { Seed = 1 });
        var channel = Channel.CreateUnbounded<Quote>();
        using var stop = new CancellationTokenSource();

        var run = feed.RunAsync(channel.Writer, stop.Token);
        for (var i = 0; i < 10_000; i++)
            await channel.Reader.ReadAsync();
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
