using System.Net;

namespace HueyP.Node.Dashboard.Assets;

/// <summary>
/// The dashboard's static files, compiled into the node (no CDN, no build step, works offline): plain HTML, CSS and
/// JavaScript with inline SVG. Each lives in its own source file beside this one.
/// </summary>
public static class DashboardAssets
{
    public sealed record Asset(string Content, string ContentType);

    private static readonly Dictionary<string, Asset> Files = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = new(DashboardCss.Content, "text/css; charset=utf-8"),
        ["dashboard.js"] = new(DashboardJs.Content, "text/javascript; charset=utf-8"),
        ["favicon.svg"] = new(Favicon, "image/svg+xml"),
    };

    private const string Favicon = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#2f855a"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>""";

    public static Asset? Find(string name) => Files.GetValueOrDefault(name);

    public static string Index => DashboardHtml.Content;

    public static string Login(string? error) => LoginHtml.Content.Replace("<!--error-->",
        error is null ? "" : $"<p class=\"error\" role=\"alert\">✖ {WebUtility.HtmlEncode(error)}</p>", StringComparison.Ordinal);
}
