using System.Text.Json;

namespace HueyP.Node.Admin;

/// <summary>
/// Append-only record of every mutating admin call: who (the token's holder and the remote address), when, what.
/// One JSON object per line so it can be grepped and shipped; never rewritten.
/// </summary>
public sealed class AuditLog(string path)
{
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    public void Record(string who, string action, string target, string? reason, bool allowed)
    {
        var line = JsonSerializer.Serialize(new AuditEntry(DateTime.UtcNow, who, action, target, reason, allowed), AdminJson.Default.AuditEntry);
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.AppendAllText(Path, line + "\n");
        }
    }
}

public sealed record AuditEntry(DateTime Time, string Who, string Action, string Target, string? Reason, bool Allowed);
