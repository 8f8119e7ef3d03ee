using System.CommandLine;

namespace HueyP.Node.Cli;

/// <summary>Turns a mistyped command into "did you mean ...?", the way git and pbm do.</summary>
public static class CommandSuggestions
{
    public static string? Closest(Command parent, string typed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var sub in parent.Subcommands)
        {
            foreach (var name in sub.Aliases.Prepend(sub.Name))
            {
                var distance = EditDistance(typed, name);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = sub.Name;
                }
            }
        }

        // A suggestion further away than half the word is noise, not help.
        return best is not null && bestDistance <= Math.Max(2, typed.Length / 2) ? best : null;
    }

    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
