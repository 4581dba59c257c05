namespace VideoTracker.App.Accounts;

/// <summary>
/// Marks an endpoint that checks a password: the login rate limit counts every POST to it. It is found by endpoint,
/// not by path, so no other spelling of the path (<c>/login/</c>, <c>/V1/auth/login</c>) escapes the limit.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SignInEndpointAttribute : Attribute;
