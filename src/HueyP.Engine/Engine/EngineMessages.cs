using HueyP.Actors;

namespace HueyP.Engine;

/// <summary>Replies <see cref="EngineRefs"/>.</summary>
public sealed record GetEngineRefs
{
    public static readonly GetEngineRefs Instance = new();
}

/// <summary>The engine's children, for the ingestion loops and the CLI. <see cref="LiveRouter"/> is Nobody in replay mode.</summary>
public sealed record EngineRefs(IActorRef Symbols, IActorRef Decisions, IActorRef Gates, IActorRef Agents, IActorRef Feeds, IActorRef LiveRouter);
