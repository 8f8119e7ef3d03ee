using HueyP.MarketData.Dukascopy;

namespace HueyP.MarketData.Feeds;

/// <summary>Replays a Dukascopy 1-minute bid/ask export as quotes.</summary>
public sealed class DukascopyFeed(DukascopyOptions options) : ReplayableFeed
{
    public override string Name => $"Dukascopy {options.Symbol}";

    protected override IQuoteReader CreateReader() => new DukascopyQuoteReader(options);
}
