using System.Text.Json;
using HueyP.Domain.Ledger;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Ledger;

public class LedgerTests
{
    private static readonly DateTime T0 = new(2025, 4, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly LedgerOptions Options = LedgerOptions.Default with { Leverage = 50m };

    private static LedgerState Fresh() => LedgerState.Open(Options, 10_000m, T0);

    private static int _fillCounter;

    private static FillBooked Fill(Side side, decimal quantity, decimal price, decimal fee = 0m, string? id = null, DateTime? at = null, string symbol = "EURUSD") =>
        new(id ?? $"F{Interlocked.Increment(ref _fillCounter)}", "EMAX-EURUSD-20250401T1000-0001", symbol, side, quantity, price, fee, at ?? T0);

    private static LedgerState Book(LedgerState state, params ILedgerEvent[] events)
    {
        foreach (var e in events)
        {
            var (next, decision) = LedgerMachine.Handle(state, e);
            Assert.True(decision.IsAccepted, decision.Message);
            state = next;
        }
        return state;
    }

    [Fact]
    public void Opening_and_adding_average_the_entry_price()
    {
        var state = Book(Fresh(), Fill(Side.Buy, 10_000m, 1.1000m), Fill(Side.Buy, 30_000m, 1.1040m));
        var p = state.PositionOf("EURUSD");
        Assert.Equal(40_000m, p.Quantity);
        Assert.Equal(1.1030m, p.AveragePrice);
        Assert.Equal(0m, state.RealizedPnl);
    }

    [Fact]
    public void Partial_close_realizes_only_the_closed_part_and_keeps_the_average()
    {
        var state = Book(Fresh(), Fill(Side.Buy, 10_000m, 1.1000m), Fill(Side.Sell, 4_000m, 1.1050m, fee: 1.5m));
        Assert.Equal(6_000m, state.PositionOf("EURUSD").Quantity);
        Assert.Equal(1.1000m, state.PositionOf("EURUSD").AveragePrice);
        Assert.Equal(20m, state.RealizedPnl);            // 4,000 × 0.0050
        Assert.Equal(10_000m + 20m - 1.5m, state.Cash);
        Assert.Equal(1.5m, state.FeesPaid);
    }

    [Fact]
    public void Closing_flat_resets_the_average()
    {
        var state = Book(Fresh(), Fill(Side.Sell, 10_000m, 1.1000m), Fill(Side.Buy, 10_000m, 1.0950m));
        Assert.True(state.PositionOf("EURUSD").IsFlat);
        Assert.Equal(0m, state.PositionOf("EURUSD").AveragePrice);
        Assert.Equal(50m, state.RealizedPnl);             // short 10,000 from 1.1000 covered at 1.0950
        Assert.Equal(10_050m, state.Nav);
    }

    [Fact]
    public void Flipping_through_zero_realizes_the_old_side_and_opens_the_new_at_the_fill_price()
    {
        var state = Book(Fresh(), Fill(Side.Buy, 10_000m, 1.1000m), Fill(Side.Sell, 25_000m, 1.0980m));
        var p = state.PositionOf("EURUSD");
        Assert.Equal(-15_000m, p.Quantity);
        Assert.Equal(1.0980m, p.AveragePrice);
        Assert.Equal(-20m, state.RealizedPnl);
    }

    [Fact]
    public void Unrealized_marks_longs_at_the_bid_and_shorts_at_the_ask()
    {
        var state = Book(Fresh(),
            Fill(Side.Buy, 10_000m, 1.1000m),
            Fill(Side.Sell, 10_000m, 1.2500m, symbol: "GBPUSD"),
            new MarkUpdated("EURUSD", 1.1010m, 1.1012m, T0.AddMinutes(1)),
            new MarkUpdated("GBPUSD", 1.2490m, 1.2493m, T0.AddMinutes(1)));

        Assert.Equal(10m, state.UnrealizedPnlOf("EURUSD"));  // (1.1010 − 1.1000) × 10,000
        Assert.Equal(7m, state.UnrealizedPnlOf("GBPUSD"));   // (1.2500 − 1.2493) × 10,000
        Assert.Equal(10_017m, state.Nav);
    }

    [Fact]
    public void Margin_is_gross_mid_notional_over_leverage()
    {
        var state = Book(Fresh(), Fill(Side.Buy, 100_000m, 1.1000m), new MarkUpdated("EURUSD", 1.0999m, 1.1001m, T0));
        Assert.Equal(110_000m, state.GrossExposure);
        Assert.Equal(2_200m, state.MarginUsed);   // 110,000 / 50
        Assert.Equal(state.Nav - 2_200m, state.FreeMargin);
    }

    [Fact]
    public void Drawdown_tracks_peak_to_trough_and_the_daily_figures_reset_at_the_session_boundary()
    {
        var state = Book(Fresh(),
            Fill(Side.Buy, 100_000m, 1.1000m),
            new MarkUpdated("EURUSD", 1.1050m, 1.1050m, T0.AddHours(1)),     // NAV 10,500 (peak)
            new MarkUpdated("EURUSD", 1.0980m, 1.0980m, T0.AddHours(2)));    // NAV 9,800
        Assert.Equal(10_500m, state.PeakNav);
        Assert.Equal(700m, state.MaxDrawdown);
        Assert.Equal(700m / 10_500m, state.MaxDrawdownFraction);
        Assert.Equal(-200m, state.DailyPnl);
        Assert.Equal(700m, state.SessionMaxDrawdown);

        // 22:00 UTC rolls the session: daily P&L and session drawdown start again from the NAV at the roll.
        state = Book(state, new MarkUpdated("EURUSD", 1.0990m, 1.0990m, new DateTime(2025, 4, 1, 22, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2025, 4, 1, 22, 0, 0, DateTimeKind.Utc), state.SessionStartUtc);
        Assert.Equal(9_800m, state.SessionOpenNav);
        Assert.Equal(100m, state.DailyPnl);
        Assert.Equal(0m, state.SessionMaxDrawdown);
        Assert.Equal(700m, state.MaxDrawdown);   // all-time figure survives the roll
    }

    [Fact]
    public void A_duplicate_fill_is_reported_and_changes_nothing()
    {
        var fill = Fill(Side.Buy, 10_000m, 1.1000m, id: "BRK-1");
        var state = Book(Fresh(), fill);
        var hash = LedgerStateHash.Compute(state);

        var (after, decision) = LedgerMachine.Handle(state, fill);

        Assert.Equal(LedgerOutcome.Duplicate, decision.Outcome);
        Assert.Contains("BRK-1", decision.Message);
        Assert.Same(state, after);
        Assert.Equal(hash, LedgerStateHash.Compute(after));
    }

    [Theory]
    [InlineData(-1, 1.1, 0, "quantity must be positive")]
    [InlineData(1000, 0, 0, "price must be positive")]
    [InlineData(1000, 1.1, -2, "fee must not be negative")]
    public void Malformed_fills_are_refused_recorded_and_leave_the_ledger_unchanged(decimal quantity, decimal price, decimal fee, string expected)
    {
        var state = Fresh();
        var (after, decision) = LedgerMachine.Handle(state, Fill(Side.Buy, quantity, price, fee));
        Assert.Equal(LedgerOutcome.Rejected, decision.Outcome);
        Assert.Contains(expected, decision.Message);
        Assert.IsType<LedgerEntryRejected>(Assert.Single(decision.Events));
        Assert.Same(state, after);
        Assert.Same(state, LedgerMachine.Apply(state, decision.Events[0]));
    }

    [Fact]
    public void Symbols_not_quoted_in_the_account_currency_are_refused()
    {
        var (_, decision) = LedgerMachine.Handle(Fresh(), Fill(Side.Buy, 1_000m, 150m, symbol: "USDJPY"));
        Assert.Contains("not quoted in the account currency USD", decision.Message);
    }

    [Fact]
    public void The_state_hash_is_deterministic_and_ignores_decimal_scale()
    {
        var a = Book(Fresh(), Fill(Side.Buy, 10_000m, 1.10m, id: "X1"), new MarkUpdated("EURUSD", 1.1m, 1.1002m, T0));
        var b = Book(Fresh(), Fill(Side.Buy, 10_000.00m, 1.1000m, id: "X1"), new MarkUpdated("EURUSD", 1.1000m, 1.10020m, T0));
        Assert.Equal(LedgerStateHash.Compute(a), LedgerStateHash.Compute(b));
        Assert.Equal(64, LedgerStateHash.Compute(a).Length);

        var c = Book(a, Fill(Side.Sell, 1m, 1.1m, id: "X2"));
        Assert.NotEqual(LedgerStateHash.Compute(a), LedgerStateHash.Compute(c));
    }

    [Fact]
    public void A_snapshot_round_trips_through_System_Text_Json_with_the_same_hash()
    {
        var state = Book(Fresh(), Fill(Side.Buy, 10_000m, 1.1m, id: "S1"), new MarkUpdated("EURUSD", 1.1010m, 1.1012m, T0.AddMinutes(3)));
        var back = JsonSerializer.Deserialize<LedgerState>(JsonSerializer.Serialize(state))!;
        Assert.Equal(LedgerStateHash.Compute(state), LedgerStateHash.Compute(back));
        Assert.Equal(state.Nav, back.Nav);
        Assert.Equal(LedgerOutcome.Duplicate, LedgerMachine.Decide(back, Fill(Side.Buy, 1m, 1.1m, id: "S1")).Outcome);
    }

    [Fact]
    public void Deposits_move_cash_without_counting_as_performance()
    {
        var state = Book(Fresh(), new CashAdjusted("DEP-1", 5_000m, "deposit", T0.AddMinutes(1)));
        Assert.Equal(15_000m, state.Nav);
        Assert.Equal(0m, state.DailyPnl);
        Assert.Equal(0m, state.MaxDrawdown);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.NotEmpty((LedgerOptions.Default with { Leverage = 0m }).Validate());
        Assert.NotEmpty((LedgerOptions.Default with { SessionBoundaryUtc = TimeSpan.FromHours(25) }).Validate());
        Assert.Throws<ArgumentException>(() => LedgerState.Open(LedgerOptions.Default with { Leverage = 0m }, 1m, T0));
    }
}
