using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HueyP.Node.Tests.Dashboard;

/// <summary>The dashboard's login, its session cookie, and that bearer tokens keep working beside it (plain HTTP, no browser).</summary>
public sealed class DashboardAccessTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        _token = (await File.ReadAllTextAsync(_node.TokenFile)).Trim();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://{_node.Address}") };

    private async Task<CookieContainer> LogIn()
    {
        var cookies = new CookieContainer();
        using var http = Browser(cookies);
        var response = await http.PostAsync("/login", new FormUrlEncodedContent([new("token", _token)]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return cookies;
    }

    [Fact]
    public async Task Without_a_session_the_root_shows_the_login_page_and_the_data_is_refused()
    {
        using var http = Browser(new CookieContainer());

        var page = await (await http.GetAsync("/")).Content.ReadAsStringAsync();
        var state = await http.GetAsync("/api/dashboard/state");

        Assert.Contains("Admin token", page);
        Assert.DoesNotContain("mode-pill", page);
        Assert.Equal(HttpStatusCode.Unauthorized, state.StatusCode);
    }

    [Fact]
    public async Task A_wrong_token_at_login_gets_no_cookie_and_is_audited()
    {
        var cookies = new CookieContainer();
        using var http = Browser(cookies);

        var response = await http.PostAsync("/login", new FormUrlEncodedContent([new("token", "guess-guess-guess-guess")]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not the admin token of this node", await response.Content.ReadAsStringAsync());
        Assert.Empty(cookies.GetCookies(http.BaseAddress!));
        var audit = await File.ReadAllLinesAsync(Path.Combine(_node.Folder, "logs", "audit.jsonl"));
        Assert.Contains(audit, l => l.Contains("\"/login\"") && l.Contains("\"allowed\":false"));
    }

    [Fact]
    public async Task The_login_sets_an_http_only_strict_cookie_that_opens_the_dashboard_and_its_data()
    {
        var cookies = await LogIn();
        using var http = Browser(cookies);

        var cookie = cookies.GetCookies(http.BaseAddress!).Single();
        var page = await (await http.GetAsync("/")).Content.ReadAsStringAsync();
        var state = await http.GetAsync("/api/dashboard/state");

        Assert.True(cookie.HttpOnly);
        Assert.NotEqual(_token, cookie.Value);
        Assert.Contains("mode-pill", page);
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        var frame = JsonDocument.Parse(await state.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("test-node", frame.GetProperty("node").GetString());
        Assert.True(frame.GetProperty("telemetry").GetBoolean());
    }

    [Fact]
    public async Task A_session_cannot_change_anything_without_the_dashboard_header()
    {
        var cookies = await LogIn();
        using var http = Browser(cookies);
        var body = new StringContent("""{"action":"kill_switch_on","reason":"cross-site","confirm":true}""", Encoding.UTF8, "application/json");

        var response = await http.PostAsync("/api/dashboard/control", body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var audit = await File.ReadAllLinesAsync(Path.Combine(_node.Folder, "logs", "audit.jsonl"));
        Assert.Contains(audit, l => l.Contains("/api/dashboard/control") && l.Contains("\"allowed\":false"));
    }

    [Fact]
    public async Task A_control_needs_a_confirmation_and_a_reason()
    {
        var cookies = await LogIn();
        using var http = Browser(cookies);
        http.DefaultRequestHeaders.Add("X-HueyP-Dashboard", "1");

        var unconfirmed = await http.PostAsync("/api/dashboard/control", new StringContent("""{"action":"kill_switch_on","reason":"test","confirm":false}""", Encoding.UTF8, "application/json"));
        var noReason = await http.PostAsync("/api/dashboard/control", new StringContent("""{"action":"kill_switch_on","reason":" ","confirm":true}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
    }

    [Fact]
    public async Task Bearer_tokens_still_work_and_a_wrong_bearer_is_refused_even_with_a_valid_session()
    {
        var cookies = await LogIn();
        using var withSession = Browser(cookies);
        withSession.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-at-all");
        using var bearer = new HttpClient { BaseAddress = new Uri($"http://{_node.Address}") };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await withSession.GetAsync("/api/node/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/node/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/dashboard/state")).StatusCode);
    }

    [Fact]
    public async Task After_logout_the_session_is_gone()
    {
        var cookies = await LogIn();
        using var http = Browser(cookies);
        var stolen = cookies.GetCookies(http.BaseAddress!).Single().Value;

        await http.PostAsync("/logout", null);
        using var replay = new HttpClient { BaseAddress = new Uri($"http://{_node.Address}") };
        replay.DefaultRequestHeaders.Add("Cookie", $"hueyp_session={stolen}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/dashboard/state")).StatusCode);
    }

    [Fact]
    public async Task The_live_stream_sends_snapshots_as_server_sent_events()
    {
        var cookies = await LogIn();
        using var http = Browser(cookies);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await http.GetAsync("/api/dashboard/stream", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var frames = new List<JsonElement>();
        while (frames.Count < 2)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (line?.StartsWith("data: ", StringComparison.Ordinal) == true) frames.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement);
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.All(frames, f => Assert.Equal("test-node", f.GetProperty("node").GetString()));
        Assert.True(frames[1].GetProperty("snapshot").GetProperty("version").GetInt64() >= frames[0].GetProperty("snapshot").GetProperty("version").GetInt64());
    }
}
