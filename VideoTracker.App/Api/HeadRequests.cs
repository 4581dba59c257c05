using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;

namespace VideoTracker.App.Api;

/// <summary>
/// HEAD answers wherever GET does, with the same status and headers (authentication, filters and handler run as for
/// GET; the server sends no body). The OpenAPI document lists only the GET.
/// HEAD stays cheap where GET is not: a file or stream result (the exports, the ZIP, the results document) never runs
/// its writer for HEAD, so nothing is built; and the preview's handler starts no encode and waits for none.
/// </summary>
internal static class HeadRequests
{
    /// <summary>Adds HEAD to every endpoint under <paramref name="builder"/> that answers GET.</summary>
    public static TBuilder AnswerHeadLikeGet<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            // Routing reads the last HttpMethodMetadata, so a second one replaces the first.
            if (endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault() is { } methods
                && methods.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
                && !methods.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
            }
        });
        return builder;
    }

    /// <summary>Leaves the HEAD twins of GET operations out of the OpenAPI document.</summary>
    public static void DocumentOnlyGet(OpenApiOptions options)
    {
        var included = options.ShouldInclude;
        options.ShouldInclude = description => !HttpMethods.IsHead(description.HttpMethod ?? string.Empty) && included(description);
    }
}
