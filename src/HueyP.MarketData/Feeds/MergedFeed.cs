namespace HueyP.MarketData.Feeds;

/// <summary>
/// Several replayable feeds as one time-ordered feed, e.g. the EURUSD and GBPUSD exports of the same month.
/// See <see cref="MergedQuoteReader"/> for the tie-break.
/// </summary>
public sealed class MergedFeed : ReplayableFeed
{
    private readonly IReplayableFeed[] _sources;

    public MergedFeed(string name, params IReplayableFeed[] sources)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (sources.Length == 0)
            throw new ArgumentException("A merged feed needs at least one source.", nameof(sources));
        Name = name;
        _sources = sources;
    }

    public override string Name { get; }

    protected override IQuoteReader CreateReader()
    {
        var readers = new List<IQuoteReader>(_sources.Length);
        try
        {
            foreach (var source in _sources)
                readers.Add(source.OpenReader());
            return new MergedQuoteReader(Name, readers);
        }
        catch
        {
            foreach (var reader in readers)
                reader.Dispose();
            throw;
        }
    }
}
