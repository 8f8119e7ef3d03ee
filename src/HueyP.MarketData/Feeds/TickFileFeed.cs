using HueyP.MarketData.Ticks;

namespace HueyP.MarketData.Feeds;

/// <summary>Replays a recorded bid/ask tick file.</summary>
public sealed class TickFileFeed(TickFileOptions options) : ReplayableFeed
{
    public override string Name => options.Path;

    protected override IQuoteReader CreateReader() => new TickFileReader(options);
}
