using System.Threading.Channels;
using HueyP.Domain.Market;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Feeds;

/// <summary>
/// A source of quotes publishing into the engine's pipeline: recorded files, the synthetic market, and later the MT4
/// bridge. The writer's capacity is the backpressure: a feed awaits when the engine falls behind.
/// </summary>
public interface IMarketDataFeed
{
    string Name { get; }

    /// <summary>
    /// Writes quotes until the data ends or <paramref name="ct"/> is cancelled. Does not complete
    /// <paramref name="output"/>: the engine owns the channel and may feed it from several sources.
    /// </summary>
    Task RunAsync(ChannelWriter<Quote> output, CancellationToken ct);

    /// <summary>Account of the latest run.</summary>
    FeedReport Report { get; }
}

/// <summary>A feed over recorded or generated data that can be replayed from the start any number of times.</summary>
public interface IReplayableFeed : IMarketDataFeed
{
    /// <summary>Starts a fresh replay from the first quote; <see cref="IMarketDataFeed.Report"/> then follows it.</summary>
    IQuoteReader OpenReader();
}
