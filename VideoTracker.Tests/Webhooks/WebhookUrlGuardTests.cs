using System.Net;
using Microsoft.Extensions.Configuration;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Tests.Webhooks;

/// <summary>Which addresses a webhook may reach: the public internet only, however an address is spelled.</summary>
public sealed class WebhookUrlGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("10.20.30.40")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.2.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:192.168.0.1")]
    [InlineData("::ffff:0:7f00:1")]
    [InlineData("::ffff:0:a9fe:a9fe")]
    [InlineData("::ffff:0:0:0")]
    [InlineData("::7f00:1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::808:808")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2002:c0a8:101::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:db8::1")]
    [InlineData("100::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    public void IsForbidden_NonPublicAddress_IsTrue(string address) => Assert.True(WebhookUrlGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("192.0.3.1")]
    [InlineData("198.20.0.1")]
    [InlineData("203.0.114.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::ffff:0:808:808")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void IsForbidden_PublicAddress_IsFalse(string address) => Assert.False(WebhookUrlGuard.IsForbidden(IPAddress.Parse(address)));

    [Fact]
    public void WebhookClient_ConnectsThroughTheGuard_NeverThroughAProxy()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddWebhooks();
        using var provider = services.BuildServiceProvider();

        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(WebhookSender));
        while (handler is DelegatingHandler outer)
        {
            handler = outer.InnerHandler!;
        }

        var primary = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.False(primary.UseProxy);   // through an HTTP_PROXY, the guard would judge the proxy's address
        Assert.NotNull(primary.ConnectCallback);
        Assert.False(primary.AllowAutoRedirect);
    }
}
