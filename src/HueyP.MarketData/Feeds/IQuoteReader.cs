using HueyP.Domain.Market;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Feeds;

/// <summary>
/// Synchronous pull of quotes in data-clock order: the fastest replay path (no channel, no allocation per quote).
/// Every replayable feed is built on one.
/// </summary>
public interface IQuoteReader : IDisposable
{
    string Name { get; }

    /// <summary>False at the end of the data. Rows that fail validation are reported, never returned.</summary>
    bool TryRead(out Quote quote);

    /// <summary>Live account of this read; complete once <see cref="TryRead"/> has returned false.</summary>
    FeedReport Report { get; }
}
