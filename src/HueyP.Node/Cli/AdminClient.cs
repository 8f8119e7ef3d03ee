using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace HueyP.Node.Cli;

/// <summary>The CLI's side of the admin API: JSON over HTTP with the bearer token.</summary>
public sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _address;

    public AdminClient(string hostPort, string? token, TimeSpan? timeout = null)
    {
        _address = $"http://{hostPort}";
        _http = new HttpClient { BaseAddress = new Uri(_address), Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct = default) => SendAsync(HttpMethod.Get, path, null, null, ct);

    /// <summary>
    /// A mutating call; <paramref name="reason"/> (the operator's --reason) rides in the
    /// <see cref="HueyP.Node.Admin.AdminServer.ReasonHeader"/> header, which the admin server writes into the audit log.
    /// </summary>
    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct = default, string? reason = null) =>
        SendAsync(HttpMethod.Post, path, body, reason, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, string? reason, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (!string.IsNullOrWhiteSpace(reason))
        {
            request.Headers.TryAddWithoutValidation(HueyP.Node.Admin.AdminServer.ReasonHeader, HeaderValue(reason));
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new NodeUnreachableException(_address, e.InnerException?.Message ?? e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new NodeUnreachableException(_address, $"no answer within {_http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new CommandFailedException($"the node at {_address} refused the admin token (401). Use the token file the node wrote (--token-file).");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CommandFailedException($"{method} {path} failed with {(int)response.StatusCode}: {ErrorText(text)}");
            }

            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary>
    /// HTTP headers carry printable ASCII only: any other reason is percent-encoded (as the dashboard does), so a
    /// reason in any language or with a line break still reaches the audit log instead of failing the call.
    /// </summary>
    internal static string HeaderValue(string reason) =>
        reason.All(c => c is >= '\x20' and <= '\x7e') ? reason : Uri.EscapeDataString(reason);

    private static string ErrorText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var error) ? error.ToString() : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    public void Dispose() => _http.Dispose();
}
