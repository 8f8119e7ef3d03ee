using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Admin;

/// <summary>The server half of a palette: the routes one subsystem adds under /api.</summary>
public interface IAdminEndpoints
{
    void Map(IEndpointRouteBuilder api, NodeRuntime node);
}
