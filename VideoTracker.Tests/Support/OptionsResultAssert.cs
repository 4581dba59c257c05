using Xunit.Sdk;

namespace VideoTracker.Tests.Support;

internal static class OptionsResultAssert
{
    /// <summary>The bound value; a refusal fails the test with its detail.</summary>
    public static T AssertBound<T>(this OptionsResult<T> result)
        where T : class =>
        result.Match(value => value, refused => throw new XunitException($"The options were refused: {refused.Detail}"));
}
