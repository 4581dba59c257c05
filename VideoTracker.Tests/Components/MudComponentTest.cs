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
    }

    /// <summary>MudBlazor's services are only asynchronously disposable, so the context is disposed that way.</summary>
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Renders <typeparamref name="T"/> with a popover provider beside it, as MainLayout has.</summary>
    protected IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        Render<MudPopoverProvider>();
        return Render(parameters);
    }
}
