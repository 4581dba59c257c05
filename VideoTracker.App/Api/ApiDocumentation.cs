using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using VideoTracker.App.Accounts;

namespace VideoTracker.App.Api;

/// <summary>
/// What the OpenAPI document says beyond what the handlers' return types tell it: the errors each operation answers,
/// the content of file downloads, the multipart uploads, and numbers typed as the server sends them.
/// </summary>
internal static class ApiDocumentation
{
    /// <summary>An error's content types: plain JSON by default, problem+json for a client that asks for it.</summary>
    private static readonly string[] ProblemContentTypes = [ProblemJsonWriter.PlainJson, ProblemJsonWriter.ProblemJson];

    public static void Configure(OpenApiOptions options)
    {
        HeadRequests.DocumentOnlyGet(options);
        options.AddSchemaTransformer(NumbersAsSent);
        options.AddSchemaTransformer(JobStatusValues);
        options.AddOperationTransformer(RetryAfterOnTooManyRequests);
    }

    /// <summary>Declares that the endpoint answers each of <paramref name="statusCodes"/> with a ProblemDetails error.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes)
        {
            builder.WithMetadata(Problem(status));
        }

        return builder;
    }

    /// <summary>Declares a download: a 200 whose body is a file of one of <paramref name="contentTypes"/>.</summary>
    public static TBuilder ProducesFile<TBuilder>(this TBuilder builder, params string[] contentTypes)
        where TBuilder : IEndpointConventionBuilder => builder.ProducesFile(_ => contentTypes);

    /// <summary>Declares a download whose content types the app's services know (the registered export formats).</summary>
    public static TBuilder ProducesFile<TBuilder>(this TBuilder builder, Func<IServiceProvider, IEnumerable<string>> contentTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            operation.Responses ??= [];
            var ok = StatusCodes.Status200OK.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(ok, out var found) || found is not OpenApiResponse response)
            {
                response = new OpenApiResponse { Description = "OK" };
                operation.Responses[ok] = response;
            }

            response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            foreach (var type in contentTypes(context.ApplicationServices))
            {
                response.Content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            }

            return Task.CompletedTask;
        });

    /// <summary>
    /// The errors every endpoint under <paramref name="builder"/> can answer because of what it is: 401 and 403 behind
    /// authorization, 400 and 415 for a JSON body, 400 and 404 for a job id in its route, 429 for a sign-in (its rate limit),
    /// and 403 for every /v1 write, which the cross-site cookie guard answers even where no sign-in is needed.
    /// </summary>
    public static TBuilder DocumentsCommonErrors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var statuses = new SortedSet<int>();
            if (endpoint.Metadata.OfType<IAuthorizeData>().Any() && !endpoint.Metadata.OfType<IAllowAnonymous>().Any())
            {
                statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
            }

            if (endpoint.Metadata.OfType<IAcceptsMetadata>().LastOrDefault() is { } accepts && accepts.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)))
            {
                statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType]);
            }

            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern;
            if (pattern?.GetParameter(JobAccessFilter.RouteValue) is not null)
            {
                statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound]);
            }

            if (endpoint.Metadata.OfType<SignInEndpointAttribute>().Any())
            {
                statuses.Add(StatusCodes.Status429TooManyRequests);
            }

            if (pattern is not null && ApiPath.Covers(pattern)
                && endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).Any(CrossSiteCookieGuard.Guards))
            {
                statuses.Add(StatusCodes.Status403Forbidden);
            }

            var documented = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).ToHashSet();
            foreach (var status in statuses.Where(s => !documented.Contains(s)))
            {
                endpoint.Metadata.Add(Problem(status));
            }
        });
        return builder;
    }

    /// <summary>A multipart/form-data request body: <c>file</c> (required) and the named text fields; others allowed when <paramref name="moreFields"/>.</summary>
    public static TBuilder AcceptsMultipart<TBuilder>(this TBuilder builder, string fileDescription, IReadOnlyDictionary<string, (JsonSchemaType Type, string Description)> fields, string? moreFields = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = fileDescription },
            };
            foreach (var (name, (type, description)) in fields)
            {
                properties[name] = new OpenApiSchema { Type = type, Description = description };
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string>(StringComparer.Ordinal) { "file" },
                            Properties = properties,
                            AdditionalPropertiesAllowed = moreFields is not null,
                            AdditionalProperties = moreFields is null ? null : new OpenApiSchema { Type = JsonSchemaType.String, Description = moreFields },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });

    /// <summary>A 429 says when to try again, in <c>Retry-After</c> (seconds).</summary>
    private static Task RetryAfterOnTooManyRequests(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.GetValueOrDefault(StatusCodes.Status429TooManyRequests.ToString(CultureInfo.InvariantCulture)) is OpenApiResponse tooMany)
        {
            tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            tooMany.Headers[HeaderNames.RetryAfter] = new OpenApiHeader
            {
                Description = "Seconds until the next try may succeed.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
            };
        }

        return Task.CompletedTask;
    }

    private static ProducesResponseTypeMetadata Problem(int status) => new(status, typeof(ProblemDetails), ProblemContentTypes);

    /// <summary>
    /// Numbers as the server sends them: the web JSON defaults also read numbers from strings, which the generator
    /// documents as <c>["integer", "string"]</c> with a pattern, but no answer ever holds a number as a string.
    /// </summary>
    private static Task NumbersAsSent(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>A job's <c>status</c> lists its values (the webhook deliveries' own <c>status</c> is another thing).</summary>
    private static Task JobStatusValues(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { Name: "status" } property
            && (property.DeclaringType.IsAssignableTo(typeof(JobStatusDto)) || property.DeclaringType == typeof(SubmitAcceptedDto)))
        {
            schema.Enum = [.. Enum.GetValues<JobStatus>().Select(s => (JsonNode)JsonValue.Create(s.ToWire())!)];
        }

        return Task.CompletedTask;
    }
}
