using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using HueyP.Actors;
using HueyP.Domain.Market;
using HueyP.Engine.Decisions;
using HueyP.Engine.Orders;
using HueyP.Engine.Symbols;
using HueyP.MarketData.Feeds;

namespace HueyP.Engine.Feeds;

/// <summary>
/// The replay ingestion loop: reader → bounded channel (backpressure) → this router → symbol entities.
/// The router cuts the data into slices of data time. At the end of a slice it sends every symbol that had quotes its
/// batch (<see cref="ProcessSlice"/>) and awaits all acknowledgements; each symbol tells the recorder its records
/// before acknowledging, so the <see cref="SliceComplete"/> that follows finds every record of the slice in the
/// recorder's mailbox, and the recorder commits them in canonical order. Symbols run in parallel within a slice,
/// yet the file and the hash depend only on the data. Nothing is dropped or reordered; no clock is read
/// (the stopwatch only measures the elapsed time shown to the user).
/// </summary>
internal sealed class ReplayRouter
{
    // Quotes travel the channel in chunks: one channel operation per chunk instead of per quote.
    private const int ChunkSize = 1024;

    private readonly EngineSettings _settings;
    private readonly EngineRefs _refs;
    private readonly HashSet<string> _allowed;
    private readonly Dictionary<string, SymbolBuffer> _buffers = new(StringComparer.Ordinal);
    private readonly List<SymbolBuffer> _active = new();
    private readonly List<Task<SliceProcessed>> _acks = new();
    private readonly IEngineOrderSide? _orderSide;
    private readonly List<Quote> _sliceQuotes = new();
    private long _quotes, _unknown, _slices;

    private sealed class SymbolBuffer(string symbol, bool allowed)
    {
        public readonly string Symbol = symbol;
        public readonly bool Allowed = allowed;
        public Quote[] Quotes = new Quote[64];
        public int Count;
    }

    private readonly record struct Chunk(Quote[] Quotes, int Count);

    public ReplayRouter(EngineSettings settings, EngineRefs refs, IReadOnlyCollection<string> allowedSymbols, IEngineOrderSide? orderSide = null)
    {
        _orderSide = orderSide;
        _settings = settings;
        _refs = refs;
        _allowed = new HashSet<string>(allowedSymbols, StringComparer.Ordinal);
    }

    public async Task<ReplayResult> RunAsync(IReplayableFeed feed, ReplayWindow window, IProgress<ReplayProgress>? progress, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var channel = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(Math.Max(2, _settings.ChannelCapacity / ChunkSize))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var reader = feed.OpenReader();
        // Cancels the reader when the router fails (e.g. a slice barrier timed out), so it does not wait on a full channel forever.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long outside = 0;
        var producer = Task.Run(async () =>
        {
            try
            {
                outside = await ProduceAsync(reader, window, channel.Writer, stop.Token).ConfigureAwait(false);
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
                throw;
            }
        }, stop.Token);
        try
        {
            return await RouteAsync(channel.Reader, producer, () => outside, reader, stopwatch, progress, ct).ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The router's own failure is the one to report.
            }

            throw;
        }
    }

    private async Task<ReplayResult> RouteAsync(ChannelReader<Chunk> input, Task producer, Func<long> outside, IQuoteReader reader,
        Stopwatch stopwatch, IProgress<ReplayProgress>? progress, CancellationToken ct)
    {
        var sliceTicks = _settings.ReplaySlice.Ticks;
        var currentSlice = long.MinValue;
        var reportedAt = 0L;
        var lastTime = DateTime.MinValue;
        SymbolBuffer? last = null;
        while (await input.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (input.TryRead(out var chunk))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    var quote = chunk.Quotes[i];
                    var slice = quote.TimeUtc.Ticks / sliceTicks;
                    if (slice != currentSlice)
                    {
                        if (currentSlice != long.MinValue) await CompleteSliceAsync(currentSlice).ConfigureAwait(false);
                        currentSlice = slice;
                        if (progress is not null && _quotes - reportedAt >= 10_000)
                        {
                            reportedAt = _quotes;
                            progress.Report(new ReplayProgress(_quotes, lastTime));
                        }
                    }

                    // Readers intern symbol names, so consecutive quotes of one symbol skip the dictionary.
                    if (last is null || !ReferenceEquals(last.Symbol, quote.Symbol)) last = BufferFor(quote.Symbol);
                    if (!last.Allowed)
                    {
                        _unknown++;
                        continue;
                    }

                    if (last.Count == 0) _active.Add(last);
                    else if (last.Count == last.Quotes.Length) Array.Resize(ref last.Quotes, last.Count * 2);
                    last.Quotes[last.Count++] = quote;
                    _quotes++;
                    lastTime = quote.TimeUtc;
                }

                ArrayPool<Quote>.Shared.Return(chunk.Quotes);
            }
        }

        await producer.ConfigureAwait(false);
        if (currentSlice != long.MinValue) await CompleteSliceAsync(currentSlice).ConfigureAwait(false);
        progress?.Report(new ReplayProgress(_quotes, lastTime));
        var records = await _refs.Decisions.Ask<RecorderStats>(FlushRecords.Instance, _settings.SliceAckTimeout, ct).ConfigureAwait(false);
        stopwatch.Stop();
        return new ReplayResult(_quotes, _unknown, outside(), _slices, reader.Report, records, 0, stopwatch.Elapsed);
    }

    private SymbolBuffer BufferFor(string symbol)
    {
        if (!_buffers.TryGetValue(symbol, out var buffer))
            _buffers[symbol] = buffer = new SymbolBuffer(symbol, _allowed.Contains(symbol));
        return buffer;
    }

    /// <summary>The slice barrier: every symbol with quotes processes its batch and acknowledges, then the recorder commits.</summary>
    private async Task CompleteSliceAsync(long slice)
    {
        _slices++;
        if (_active.Count == 0) return;
        _acks.Clear();
        foreach (var buffer in _active)
            _acks.Add(_refs.Symbols.Ask<SliceProcessed>(new ProcessSlice(buffer.Symbol, buffer.Quotes, buffer.Count), _settings.SliceAckTimeout));
        await Task.WhenAll(_acks).ConfigureAwait(false);
        if (_orderSide is not null) await OrderBarrierAsync(slice).ConfigureAwait(false);
        foreach (var buffer in _active) buffer.Count = 0;
        _active.Clear();
        _refs.Decisions.Tell(new SliceComplete(slice), ActorRefs.NoSender);
    }

    /// <summary>
    /// The order side's part of the barrier, after the symbols acknowledged (so every intent of the slice is already in
    /// the intake's mailbox): the slice's quotes go to the broker merged in (time, symbol) order, and the next slice
    /// starts only when orders, fills and ledger are journaled.
    /// </summary>
    private async Task OrderBarrierAsync(long slice)
    {
        _sliceQuotes.Clear();
        foreach (var buffer in _active)
            for (var i = 0; i < buffer.Count; i++) _sliceQuotes.Add(buffer.Quotes[i]);
        // Stable sort: quotes of one symbol with the same time keep their data order.
        var ordered = _sliceQuotes.Select((q, i) => (q, i)).OrderBy(x => x.q.TimeUtc).ThenBy(x => x.q.Symbol, StringComparer.Ordinal).ThenBy(x => x.i)
            .Select(x => x.q).ToList();
        var sliceEnd = new DateTime((slice + 1) * _settings.ReplaySlice.Ticks, DateTimeKind.Utc);
        await _orderSide!.OnSliceBarrierAsync(sliceEnd, ordered, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<long> ProduceAsync(IQuoteReader reader, ReplayWindow window, ChannelWriter<Chunk> output, CancellationToken ct)
    {
        long outside = 0;
        var filter = window.FromUtc is not null || window.ToUtc is not null;
        var buffer = ArrayPool<Quote>.Shared.Rent(ChunkSize);
        var count = 0;
        while (reader.TryRead(out var quote))
        {
            if (filter && !window.Contains(quote.TimeUtc))
            {
                outside++;
                continue;
            }

            buffer[count++] = quote;
            if (count < ChunkSize) continue;
            await output.WriteAsync(new Chunk(buffer, count), ct).ConfigureAwait(false);
            buffer = ArrayPool<Quote>.Shared.Rent(ChunkSize);
            count = 0;
        }

        if (count > 0) await output.WriteAsync(new Chunk(buffer, count), ct).ConfigureAwait(false);
        else ArrayPool<Quote>.Shared.Return(buffer);
        return outside;
    }
}
