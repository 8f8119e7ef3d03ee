using System.Text.Json.Serialization;

namespace HueyP.Node.Admin;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class AdminJson : JsonSerializerContext;
