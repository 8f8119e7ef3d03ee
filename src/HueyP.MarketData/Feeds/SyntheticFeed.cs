using HueyP.MarketData.Synthetic;

namespace HueyP.MarketData.Feeds;

/// <summary>The seeded synthetic market as a feed; every run from the same options repeats the same quotes.</summary>
public sealed class SyntheticFeed(SyntheticMarketOptions options) : ReplayableFeed
{
    public override string Name => $"Synthetic seed {options.Seed}";

    protected override IQuoteReader CreateReader() => new SyntheticQuoteReader(options);
}
