using HueyP.Domain.Orders;
using HueyP.Domain.Trading;
using static HueyP.Domain.Tests.Orders.OrderTestData;

namespace HueyP.Domain.Tests.Orders;

public class ClientOrderIdTests
{
    [Fact]
    public void Ids_are_deterministic_and_readable()
    {
        Assert.Equal("EMAX-EURUSD-20250401T1030-0003", ClientOrderId.Format("emax", "EURUSD", Bar, 3));
        Assert.Equal(ClientOrderId.Format("EMAX", "EURUSD", Bar, 3), ClientOrderId.Format("EMAX", "EURUSD", Bar, 3));
    }

    [Fact]
    public void Ids_parse_back_into_their_parts()
    {
        Assert.True(ClientOrderId.TryParse("EMAX-EURUSD-20250401T1030-0003", out var parts));
        Assert.Equal(new ClientOrderIdParts("EMAX", "EURUSD", Bar, 3), parts);
        Assert.False(ClientOrderId.TryParse("EMAX-EURUSD-2025-0003", out _));
    }

    // TryParse is hand-written for speed; it must accept exactly what the id pattern (and the date parse) accepted.
    [Theory]
    [InlineData("EMAX-EURUSD-20250401T1030-0003", true)]
    [InlineData("EMAX-EURUSD-20250401T1030-0003\n", true)]
    [InlineData("EMAX-EURUSD-20250401T1030-0003\n\n", false)]
    [InlineData("EMAX-EURUSD-20250401T1030-0003 ", false)]
    [InlineData("emax-EURUSD-20250401T1030-0003", false)]
    [InlineData("EM-AX-EURUSD-20250401T1030-0003", false)]
    [InlineData("-EURUSD-20250401T1030-0003", false)]
    [InlineData("EMAX--20250401T1030-0003", false)]
    [InlineData("EMAX-EURUSD-20250230T1030-0003", false)]
    [InlineData("EMAX-EURUSD-20240229T2359-9999", true)]
    [InlineData("EMAX-EURUSD-20250401T2400-0003", false)]
    [InlineData("EMAX-EURUSD-20250401T1060-0003", false)]
    [InlineData("EMAX-EURUSD-00000401T1030-0003", false)]
    [InlineData("EMAX-EURUSD-20250401T1030-0000", false)]
    [InlineData("EMAX-EURUSD-20250401X1030-0003", false)]
    [InlineData("EMAX-EURUSD-2025040lT1030-0003", false)]
    [InlineData("EMAX-EURUSD-20250401T1030-003", false)]
    [InlineData("A-B-20250401T1030-0001", true)]
    [InlineData("", false)]
    public void Ids_parse_exactly_as_the_id_pattern_says(string id, bool valid)
    {
        Assert.Equal(valid, ClientOrderId.TryParse(id, out var parts));
        var pattern = System.Text.RegularExpressions.Regex.Match(id, "^([A-Z0-9]+)-([A-Z0-9]+)-([0-9]{8}T[0-9]{4})-([0-9]{4})$");
        if (!valid) return;
        Assert.True(pattern.Success);
        Assert.Equal(pattern.Groups[1].Value, parts.Strategy);
        Assert.Equal(pattern.Groups[2].Value, parts.Symbol);
        Assert.Equal(DateTime.ParseExact(pattern.Groups[3].Value, "yyyyMMdd'T'HHmm", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), parts.BarTimeUtc);
        Assert.Equal(DateTimeKind.Utc, parts.BarTimeUtc.Kind);
        Assert.Equal(int.Parse(pattern.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture), parts.Counter);
    }

    [Theory]
    [InlineData("", "EURUSD", 1)]
    [InlineData("EM-AX", "EURUSD", 1)]
    [InlineData("EMAX", "EUR/USD", 1)]
    [InlineData("EMAX", "EURUSD", 0)]
    [InlineData("EMAX", "EURUSD", 10_000)]
    public void Bad_id_parts_are_refused(string strategy, string symbol, int counter)
    {
        Assert.ThrowsAny<ArgumentException>(() => ClientOrderId.Format(strategy, symbol, Bar, counter));
    }

    [Fact]
    public void A_restored_sequence_continues_after_the_highest_minted_id_so_no_id_is_reused()
    {
        var sequence = new ClientOrderIdSequence("EMAX", "EURUSD");
        var (first, sequence1) = sequence.Mint(Bar);
        var (second, _) = sequence1.Mint(Bar);

        var restored = ClientOrderIdSequence.Restore("EMAX", "EURUSD", [first, second, "OTHER-EURUSD-20250401T1030-0009"]);
        var (third, _) = restored.Mint(Bar.AddMinutes(1));

        Assert.Equal("EMAX-EURUSD-20250401T1030-0001", first);
        Assert.Equal("EMAX-EURUSD-20250401T1031-0003", third);
    }

    [Fact]
    public void Same_key_same_intent_returns_the_original_id_and_nothing_new_is_sent()
    {
        var registry = IdempotencyRegistry.Empty;
        var sequence = new ClientOrderIdSequence("EMAX", "EURUSD");
        var created = OrderIntake.Accept(registry, sequence, "signal-42", Intent(), T0);
        Assert.Equal(OrderIntakeOutcome.Created, created.Outcome);
        registry = registry.Apply(created.KeyRecorded!);

        var replay = OrderIntake.Accept(registry, created.Sequence, "signal-42", Intent(), T0.AddSeconds(5));

        Assert.Equal(OrderIntakeOutcome.Replayed, replay.Outcome);
        Assert.Equal(created.ClientOrderId, replay.ClientOrderId);
        Assert.Null(replay.Initialization);
        Assert.Null(replay.KeyRecorded);
        Assert.Equal(created.Sequence, replay.Sequence);
    }

    [Fact]
    public void Same_key_different_intent_is_a_conflict()
    {
        var created = OrderIntake.Accept(IdempotencyRegistry.Empty, new ClientOrderIdSequence("EMAX", "EURUSD"), "signal-42", Intent(), T0);
        var registry = IdempotencyRegistry.Empty.Apply(created.KeyRecorded!);

        var conflict = OrderIntake.Accept(registry, created.Sequence, "signal-42", Intent(quantity: 20_000m), T0);

        Assert.Equal(OrderIntakeOutcome.Conflict, conflict.Outcome);
        Assert.Contains("different payload", conflict.Error);
        Assert.Null(conflict.Initialization);
    }

    [Fact]
    public void An_invalid_intent_mints_no_id()
    {
        var sequence = new ClientOrderIdSequence("EMAX", "EURUSD");
        var result = OrderIntake.Accept(IdempotencyRegistry.Empty, sequence, "k", Intent(quantity: -5m), T0);
        Assert.Equal(OrderIntakeOutcome.Invalid, result.Outcome);
        Assert.Same(sequence, result.Sequence);
        Assert.Null(result.KeyRecorded);
    }

    [Fact]
    public void Recording_a_key_twice_with_different_payloads_is_refused()
    {
        var registry = IdempotencyRegistry.Empty.Apply(new IdempotencyKeyRecorded("k", "aa", "ID1", T0));
        Assert.Same(registry, registry.Apply(new IdempotencyKeyRecorded("k", "aa", "ID1", T0)));
        Assert.Throws<InvalidOperationException>(() => registry.Apply(new IdempotencyKeyRecorded("k", "bb", "ID2", T0)));
    }
}
