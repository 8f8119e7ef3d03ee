using HueyP.Node.Hosting;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HueyP.Node.Admin;

/// <summary>
/// The node's admin API (JSON over HTTP, Petabridge.Cmd's port 9110 by default). Every /api and /metrics call needs
/// the bearer token or a dashboard session (a cookie the login page sets after checking the same token); a wrong or
/// missing one gets 401 and nothing is done. Every mutating call lands in the audit log. The dashboard is served at /.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    public const string ReasonHeader = "X-HueyP-Reason";
    private readonly WebApplication _app;

    private AdminServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>host:port actually bound (port 0 in the settings means "any free port", used by tests).</summary>
    public string Address { get; }

    public static async Task<AdminServer> StartAsync(
        AdminSettings settings, AdminToken token, AuditLog audit, NodeRuntime node,
        IEnumerable<IAdminEndpoints> endpoints, ILoggerFactory loggerFactory, CancellationToken ct = default)
    {
        var address = IPAddress.Parse(settings.Host);
        var log = loggerFactory.CreateLogger("HueyP.Node.Admin");
        if (!IPAddress.IsLoopback(address))
        {
            if (!settings.AllowRemote)
            {
                throw new InvalidOperationException(
                    $"hueyp.admin.host = {settings.Host} is not a loopback address; set hueyp.admin.allow-remote = on to expose the admin API beyond this machine.");
            }

            log.LogWarning("Admin API bound to non-loopback address {Address}: anyone who can reach it and holds the token controls this node", settings.Host);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.ConfigureHttpJsonOptions(o => AdminWire.Configure(o.SerializerOptions));
        // The node owns Ctrl-C and orderly shutdown (CoordinatedShutdown); the web host must not react to it itself.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NodeOwnedLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(address, settings.Port));
        var app = builder.Build();
        var sessions = new AdminSessions(node.Clock);
        app.Use((context, next) => Guard(context, next, token, sessions, audit));
        var api = app.MapGroup("/api");
        foreach (var endpoint in endpoints)
        {
            endpoint.Map(api, node);
        }

        // Outside /api: the dashboard's pages (login is the only thing served without a token) and /metrics.
        HueyP.Node.Dashboard.DashboardPages.Map(app, token, sessions, audit);
        HueyP.Node.Telemetry.MetricsEndpoint.Map(app, node);

        await app.StartAsync(ct);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(bound);
        var server = new AdminServer(app, $"{settings.Host}:{uri.Port}");
        log.LogInformation("Admin API listening on http://{Address}", server.Address);
        return server;
    }

    /// <summary>Paths that need the token (or a dashboard session): the API and the metrics.</summary>
    private static bool IsProtected(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/metrics");

    private static async Task Guard(HttpContext context, RequestDelegate next, AdminToken token, AdminSessions sessions, AuditLog audit)
    {
        if (!IsProtected(context.Request.Path))
        {
            await next(context);
            return;
        }

        var mutating = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        var session = context.Request.Cookies[AdminSessions.CookieName];
        // A bearer header decides alone: a wrong token is refused even when a valid session cookie rides along.
        var bySession = presented is null && sessions.IsValid(session);
        var who = $"{(presented is not null ? "token" : bySession ? "dashboard" : "anonymous")}@{context.Connection.RemoteIpAddress}";
        var target = context.Request.Path + context.Request.QueryString;
        string? reason = context.Request.Headers[ReasonHeader];
        if (!bySession && !token.Matches(presented))
        {
            if (mutating)
            {
                audit.Record(who, context.Request.Method, target, reason, allowed: false);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = "missing or wrong bearer token" });
            return;
        }

        if (bySession && mutating && context.Request.Headers[AdminSessions.DashboardHeader].ToString() != "1")
        {
            // A browser sends the cookie with any cross-site form post; only the dashboard's own script sets this header.
            audit.Record(who, context.Request.Method, target, reason, allowed: false);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new { error = $"dashboard changes need the {AdminSessions.DashboardHeader} header" });
            return;
        }

        await next(context);
        if (mutating)
        {
            audit.Record(who, context.Request.Method, target, reason, allowed: context.Response.StatusCode < 400);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record AdminSettings(string Host = "127.0.0.1", int Port = 9110, string TokenFile = "run/admin.token", bool AllowRemote = false);

internal sealed class NodeOwnedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>One JSON shape for the whole admin API: snake_case, like the manifest and the telemetry files.</summary>
public static class AdminWire
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = Configure(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    public static System.Text.Json.JsonSerializerOptions Configure(System.Text.Json.JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new FiniteOrNullDouble());
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return options;
    }

    /// <summary>An indicator still warming up is NaN inside the engine; outside it is null, never an invalid JSON number.</summary>
    private sealed class FiniteOrNullDouble : System.Text.Json.Serialization.JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
            reader.TokenType == System.Text.Json.JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(System.Text.Json.Utf8JsonWriter writer, double value, System.Text.Json.JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
