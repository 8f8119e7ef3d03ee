using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace HueyP.Node.Admin;

/// <summary>
/// Dashboard sessions: the login page trades the admin token for a random session id kept in an HttpOnly,
/// SameSite=Strict cookie, so the token itself never sits in the browser. Sessions live in memory: a node restart
/// logs everyone out, and a session expires after <see cref="Lifetime"/>.
/// </summary>
public sealed class AdminSessions(TimeProvider clock)
{
    public const string CookieName = "hueyp_session";

    /// <summary>Cookie-authenticated changes must carry this header: a cross-site form cannot set it.</summary>
    public const string DashboardHeader = "X-HueyP-Dashboard";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiry = new(StringComparer.Ordinal);

    public string Create()
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _expiry[id] = clock.GetUtcNow() + Lifetime;
        foreach (var (old, until) in _expiry)
        {
            if (until < clock.GetUtcNow()) _expiry.TryRemove(old, out _);
        }

        return id;
    }

    public bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && _expiry.TryGetValue(id, out var until) && until > clock.GetUtcNow();

    public void End(string? id)
    {
        if (id is not null) _expiry.TryRemove(id, out _);
    }
}
