using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Behind a reverse proxy listed in <c>Auth:TrustedProxies</c>, the client's address and scheme come from the proxy's
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>: the sign-in rate limit and the audit trail then see each client,
/// not the proxy, and the cookie is Secure when the client used HTTPS. From any other connection the headers are
/// ignored. The proxy header sign-in still judges the connection itself, kept as <see cref="PeerAddress"/>.
/// </summary>
internal static class ForwardedClient
{
    public static IServiceCollection AddForwardedClient(this IServiceCollection services, TrustedNetworks trusted) =>
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();   // by default loopback is trusted; here only what the setting says
            options.KnownIPNetworks.Clear();
            foreach (var network in trusted.Networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            options.ForwardLimit = null;   // a chain of trusted proxies, each checked, up to the first one that is not
        });

    /// <summary>
    /// Keeps the connection's own address, then applies the forwarded headers of a trusted proxy. With no proxy trusted
    /// the headers are not applied at all: ASP.NET's middleware checks the sender only when it knows some proxy, and
    /// with none it would believe every client.
    /// </summary>
    public static IApplicationBuilder UseForwardedClient(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            context.Features.Set(new Peer(context.Connection.RemoteIpAddress));
            return next(context);
        });
        return app.ApplicationServices.GetRequiredService<TrustedNetworks>().IsEmpty ? app : app.UseForwardedHeaders();
    }

    /// <summary>The address of the machine on the other end of the connection (the proxy, behind one).</summary>
    public static IPAddress? PeerAddress(this HttpContext context) =>
        context.Features.Get<Peer>() is { } peer ? peer.Address : context.Connection.RemoteIpAddress;

    private sealed record Peer(IPAddress? Address);
}
