using HueyP.Domain.Symbols;

namespace HueyP.Domain.Tests.Symbols;

public class SymbolStateMachineTests
{
    [Fact]
    public void A_full_trade_cycle_follows_the_table()
    {
        var machine = new SymbolStateMachine("EURUSD");
        foreach (var next in new[] { SymbolState.Armed, SymbolState.Entered, SymbolState.Managing, SymbolState.Exited, SymbolState.Settle, SymbolState.Idle })
            machine.Transition(next);
        Assert.Equal(SymbolState.Idle, machine.State);
    }

    [Fact]
    public void Illegal_transition_is_a_clear_error_and_leaves_state_unchanged()
    {
        var machine = new SymbolStateMachine("EURUSD");
        var ex = Assert.Throws<InvalidOperationException>(() => machine.Transition(SymbolState.Entered));
        Assert.Equal("EURUSD: illegal transition IDLE -> ENTERED; from IDLE only ARMED, HALT, PAUSED are allowed", ex.Message);
        Assert.Equal(SymbolState.Idle, machine.State);
        Assert.False(machine.TryTransition(SymbolState.Settle, out var error));
        Assert.NotNull(error);
        Assert.Equal(SymbolState.Idle, machine.State);
    }

    [Fact]
    public void Halt_is_reachable_from_every_state_and_left_only_to_idle()
    {
        foreach (var state in Enum.GetValues<SymbolState>().Where(s => s != SymbolState.Halt))
            Assert.True(SymbolTransitions.IsAllowed(state, SymbolState.Halt), $"{state} -> HALT");
        Assert.Equal([SymbolState.Idle], SymbolTransitions.From(SymbolState.Halt));
    }

    [Theory]
    [InlineData(SymbolState.Entered)]
    [InlineData(SymbolState.Managing)]
    [InlineData(SymbolState.Exited)]
    public void Cannot_pause_with_a_position_in_flight(SymbolState state)
    {
        var machine = new SymbolStateMachine("EURUSD", state);
        Assert.False(machine.CanTransition(SymbolState.Paused));
    }

    [Fact]
    public void Reentry_path_goes_from_settle_back_to_armed()
    {
        Assert.True(SymbolTransitions.IsAllowed(SymbolState.Settle, SymbolState.Armed));
        Assert.False(SymbolTransitions.IsAllowed(SymbolState.Exited, SymbolState.Entered));
    }

    [Fact]
    public void Table_has_exactly_the_documented_transitions()
    {
        var count = Enum.GetValues<SymbolState>().Sum(s => SymbolTransitions.From(s).Count);
        Assert.Equal(3 + 4 + 3 + 2 + 2 + 4 + 1 + 2, count);
    }
}
