using System.Threading.Channels;
using HueyP.Domain.Market;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Feeds;

/// <summary>Runs an <see cref="IQuoteReader"/> into a channel; subclasses only say how to open the reader.</summary>
public abstract class ReplayableFeed : IReplayableFeed
{
    private const int QuotesBetweenCancellationChecks = 4096;
    private IQuoteReader? _latestReader;

    public abstract string Name { get; }

    public FeedReport Report => _latestReader?.Report ?? new FeedReport(Name);

    public IQuoteReader OpenReader()
    {
        var reader = CreateReader();
        _latestReader = reader;
        return reader;
    }

    protected abstract IQuoteReader CreateReader();

    /// <summary>The whole replay as a sequence, for LINQ-free loops and tests.</summary>
    public IEnumerable<Quote> ReadAll()
    {
        using var reader = OpenReader();
        while (reader.TryRead(out var quote))
            yield return quote;
    }

    // Task.Run: reading files is synchronous work, and the caller should get its task back before the first quote.
    public Task RunAsync(ChannelWriter<Quote> output, CancellationToken ct) =>
        Task.Run(() => PumpAsync(output, ct), ct);

    private async Task PumpAsync(ChannelWriter<Quote> output, CancellationToken ct)
    {
        using var reader = OpenReader();
        var untilCancellationCheck = QuotesBetweenCancellationChecks;
        while (reader.TryRead(out var quote))
        {
            if (!output.TryWrite(quote))
                await output.WriteAsync(quote, ct).ConfigureAwait(false);

            if (--untilCancellationCheck == 0)
            {
                ct.ThrowIfCancellationRequested();
                untilCancellationCheck = QuotesBetweenCancellationChecks;
            }
        }
    }
}
