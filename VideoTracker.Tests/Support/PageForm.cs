using System.Text.RegularExpressions;

namespace VideoTracker.Tests.Support;

/// <summary>A server-rendered page's form, posted as a browser would: with its hidden fields (the antiforgery token among them).</summary>
public static partial class PageForm
{
    /// <summary>Loads the page (the client keeps its cookies) and returns its hidden fields, to which a test adds its own.</summary>
    public static async Task<Dictionary<string, string>> HiddenFieldsAsync(this HttpClient browser, string url)
    {
        using var page = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        return HiddenInputs().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInputs();
}
