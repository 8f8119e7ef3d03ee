using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Tests.Protocol;

public sealed class GateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hueyp-dedup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_replayed_order_is_recognised_as_duplicate_and_an_expired_one_is_not_delivered()
    {
        var clock = Samples.Clock();
        var codec = Samples.Codec();
        var factory = new MessageFactory("engine", clock);
        var gate = new InboundGate(codec, clock, new DedupWindow(100));
        var fresh = codec.EncodeBody(Samples.Trade(factory, "o1", clock.GetUtcNow().AddSeconds(30)));
        var stale = codec.EncodeBody(Samples.Trade(factory, "o2", clock.GetUtcNow().AddSeconds(-1)));

        Assert.Equal(InboundDisposition.Deliver, gate.Accept(fresh).Disposition);
        Assert.Equal(InboundDisposition.Duplicate, gate.Accept(fresh).Disposition);
        var expired = gate.Accept(stale);
        Assert.Equal(InboundDisposition.Expired, expired.Disposition);
        Assert.Contains("expired at", expired.Detail);
    }

    [Fact]
    public void The_dedup_window_survives_a_restart_through_its_file_store()
    {
        var path = Path.Combine(_directory, "dedup.txt");
        using (var store = new FileDedupStore(path))
        {
            var before = new DedupWindow(3, store);
            foreach (var id in new[] { "a", "b", "c", "d", "e" }) Assert.True(before.TryRegister(id));
        }

        using var reopened = new FileDedupStore(path);
        var after = new DedupWindow(3, reopened);

        Assert.False(after.TryRegister("e"));
        Assert.False(after.TryRegister("c"));
        Assert.True(after.TryRegister("a")); // older than the window: forgotten by design
    }

    [Fact]
    public void The_window_forgets_the_oldest_id_when_full()
    {
        var window = new DedupWindow(2);
        window.TryRegister("1");
        window.TryRegister("2");
        window.TryRegister("3");
        Assert.False(window.Contains("1"));
        Assert.True(window.Contains("3"));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void The_rate_limit_allows_the_burst_then_refuses_until_tokens_refill()
    {
        var clock = Samples.Clock();
        var bucket = new TokenBucket(200, 400, clock);

        Assert.Equal(400, Enumerable.Range(0, 450).Count(_ => bucket.TryTake()));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(20, Enumerable.Range(0, 50).Count(_ => bucket.TryTake()));
    }

    [Fact]
    public void Sequence_numbers_reveal_gaps_and_replays()
    {
        var seq = new SequenceNumbers();
        Assert.Equal(SequenceCheck.InOrder, seq.Observe(1));
        Assert.Equal(SequenceCheck.Gap, seq.Observe(3));
        Assert.Equal(SequenceCheck.Behind, seq.Observe(2));
        Assert.Equal(SequenceCheck.Absent, seq.Observe(null));
        Assert.Equal(1, seq.Gaps);
    }
}
