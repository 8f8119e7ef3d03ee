using HueyP.Node.Admin;
using HueyP.Node.Dashboard.Assets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Dashboard;

/// <summary>
/// The dashboard's pages at the root of the admin endpoint: "/" is the dashboard with a valid session and the login
/// page without; POST /login trades the admin token for a session cookie; /assets/* are the static files (no data in
/// them, so they need no session). Everything the page shows comes from /api/dashboard/*, which the guard protects.
/// </summary>
public static class DashboardPages
{
    public static void Map(IEndpointRouteBuilder app, AdminToken token, AdminSessions sessions, AuditLog audit)
    {
        app.MapGet("/", (HttpContext context) => sessions.IsValid(context.Request.Cookies[AdminSessions.CookieName])
            ? Page(DashboardAssets.Index)
            : Page(DashboardAssets.Login(null)));

        app.MapPost("/login", async (HttpContext context) =>
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
            var presented = form?["token"].ToString().Trim();
            var who = $"dashboard@{context.Connection.RemoteIpAddress}";
            if (!token.Matches(presented))
            {
                audit.Record(who, "POST", "/login", null, allowed: false);
                return Results.Content(DashboardAssets.Login("That is not the admin token of this node."), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            var id = sessions.Create();
            context.Response.Cookies.Append(AdminSessions.CookieName, id, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                MaxAge = AdminSessions.Lifetime,
            });
            audit.Record(who, "POST", "/login", "dashboard login", allowed: true);
            return Results.Redirect("/", permanent: false);
        });

        app.MapPost("/logout", (HttpContext context) =>
        {
            sessions.End(context.Request.Cookies[AdminSessions.CookieName]);
            context.Response.Cookies.Delete(AdminSessions.CookieName);
            return Results.Redirect("/", permanent: false);
        });

        app.MapGet("/assets/{name}", (string name) => DashboardAssets.Find(name) is { } asset
            ? Results.Text(asset.Content, asset.ContentType)
            : Results.NotFound());
    }

    private static IResult Page(string html) => Results.Content(html, "text/html; charset=utf-8");
}
