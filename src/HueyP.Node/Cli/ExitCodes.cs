namespace HueyP.Node.Cli;

/// <summary>The exit codes scripts can rely on; documented in docs/operations.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int CommandFailed = 1;
    public const int Usage = 2;
    public const int NodeUnreachable = 3;
}
