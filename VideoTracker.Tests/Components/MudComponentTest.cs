using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using VideoTracker.Core.Export;

namespace VideoTracker.Tests.Components;

/// <summary>
/// Base of the bUnit tests: MudBlazor services, loose JS interop (MudBlazor and the pages call JS that a
/// test does not care about) and a fake clock, so polling is driven by <see cref="FakeTimeProvider.Advance"/>.
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    /// <summary>
    /// bUnit waits 1 s for a render by default; a loaded CI machine has missed that (JobPagePollingTests, load 30+).
    /// A wait ends as soon as its assertion passes, so only a failing test waits the longer time.
    /// </summary>
    static MudComponentTest() => DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddResultExporters();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(Connection);
    }

    /// <summary>The circuit's connection, which a test can drop and bring back.</summary>
    protected CircuitConnection Connection { get; } = new();

    /// <summary>MudBlazor's services are only asynchronously disposable, so the context is disposed that way.</summary>
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Clicks <paramref name="button"/>, which asks for a confirmation, then the dialog's button named <paramref name="answer"/>; returns the dialog's text.</summary>
    protected static async Task<string> ClickAndAnswerAsync<T>(IRenderedComponent<T> cut, AngleSharp.Dom.IElement button, string answer)
        where T : IComponent
    {
        ArgumentNullException.ThrowIfNull(cut);
        ArgumentNullException.ThrowIfNull(button);
        var click = button.ClickAsync(new());
        var dialog = cut.WaitForElement(".mud-dialog");
        var text = dialog.TextContent;
        await dialog.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == answer).ClickAsync(new());
        await click;
        return text;
    }

    /// <summary>Renders <typeparamref name="T"/> interactively, as in a circuit, with a popover provider beside it, as MainLayout has.</summary>
    protected IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();
        return Render(parameters);
    }
}
