using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoTracker.App.Accounts;

/// <summary>Declares in the OpenAPI document how to call the API: the sign-in cookie, or an API key (header or bearer).</summary>
internal sealed class SecuritySchemesTransformer : IOpenApiDocumentTransformer
{
    public const string Cookie = "cookie";
    public const string ApiKey = "apiKey";
    public const string Bearer = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = AccountsServiceCollectionExtensions.CookieName,
            Description = "The cookie that POST /v1/auth/login (or the /login page) sets.",
        };
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AuthNames.ApiKeyHeader,
            Description = "A user's API key (POST /v1/keys), or the Security:ApiKey service key.",
        };
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key, as Authorization: Bearer.",
        };

        document.Security ??= [];
        foreach (var scheme in new[] { Cookie, ApiKey, Bearer })
        {
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] });
        }

        return Task.CompletedTask;
    }
}
