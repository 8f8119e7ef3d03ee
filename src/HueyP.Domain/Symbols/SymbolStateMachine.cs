namespace HueyP.Domain.Symbols;

public enum SymbolState { Idle, Armed, Entered, Managing, Exited, Settle, Halt, Paused }

/// <summary>
/// The allowed transitions of a symbol's life cycle, as a table. HALT is reachable from everywhere (a kill switch
/// must always work) and left only to IDLE by an explicit reset. PAUSED stops new entries, so it is reachable only
/// while flat; an open position keeps being managed.
/// </summary>
public static class SymbolTransitions
{
    private static readonly IReadOnlyDictionary<SymbolState, SymbolState[]> Allowed = new Dictionary<SymbolState, SymbolState[]>
    {
        [SymbolState.Idle] = [SymbolState.Armed, SymbolState.Halt, SymbolState.Paused],
        [SymbolState.Armed] = [SymbolState.Idle, SymbolState.Entered, SymbolState.Halt, SymbolState.Paused],
        [SymbolState.Entered] = [SymbolState.Managing, SymbolState.Exited, SymbolState.Halt],
        [SymbolState.Managing] = [SymbolState.Exited, SymbolState.Halt],
        [SymbolState.Exited] = [SymbolState.Settle, SymbolState.Halt],
        [SymbolState.Settle] = [SymbolState.Idle, SymbolState.Armed, SymbolState.Halt, SymbolState.Paused],
        [SymbolState.Halt] = [SymbolState.Idle],
        [SymbolState.Paused] = [SymbolState.Idle, SymbolState.Halt],
    };

    public static bool IsAllowed(SymbolState from, SymbolState to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    public static IReadOnlyList<SymbolState> From(SymbolState state) =>
        Allowed.TryGetValue(state, out var targets) ? targets : [];

    public static string Name(this SymbolState state) => state.ToString().ToUpperInvariant();
}

/// <summary>One symbol's current state. An illegal transition is refused and the state stays as it was.</summary>
public sealed class SymbolStateMachine
{
    public SymbolStateMachine(string symbol, SymbolState initial = SymbolState.Idle)
    {
        if (string.IsNullOrWhiteSpace(symbol)) throw new ArgumentException("State machine needs a symbol.", nameof(symbol));
        if (!Enum.IsDefined(initial)) throw new ArgumentOutOfRangeException(nameof(initial), initial, "Unknown symbol state.");
        Symbol = symbol;
        State = initial;
    }

    public string Symbol { get; }
    public SymbolState State { get; private set; }

    public bool CanTransition(SymbolState to) => SymbolTransitions.IsAllowed(State, to);

    public bool TryTransition(SymbolState to, out string? error)
    {
        if (CanTransition(to))
        {
            State = to;
            error = null;
            return true;
        }

        var allowed = string.Join(", ", SymbolTransitions.From(State).Select(s => s.Name()));
        error = $"{Symbol}: illegal transition {State.Name()} -> {to.Name()}; from {State.Name()} only {allowed} are allowed";
        return false;
    }

    /// <exception cref="InvalidOperationException">The transition is not in the table; the state is unchanged.</exception>
    public void Transition(SymbolState to)
    {
        if (!TryTransition(to, out var error)) throw new InvalidOperationException(error);
    }
}
