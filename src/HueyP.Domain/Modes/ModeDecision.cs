namespace HueyP.Domain.Modes;

/// <summary>
/// The answer to one input: accepted with the events to persist (possibly none), or refused with an error and no
/// events, leaving the state as it was.
/// </summary>
public sealed record ModeDecision(bool Accepted, IReadOnlyList<IModeEvent> Events, string? Error)
{
    public static ModeDecision Refused(string error) => new(false, [], error);

    public ModeChanged? Transition => Events.OfType<ModeChanged>().LastOrDefault();
}
