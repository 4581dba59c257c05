using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;

namespace VideoTracker.App.Components.Zones;

/// <summary>
/// The zone editor of the New job page. Its value is the <c>zones</c> option's JSON; the first frame comes
/// from the browser's own <c>&lt;video&gt;</c> element (wwwroot/js/zones.js), so nothing is uploaded to draw.
/// </summary>
public sealed partial class ZoneEditor : IAsyncDisposable
{
    private readonly ZoneEditorState _state = new();
    private readonly Dictionary<ZoneDraft, string> _pointErrors = [];
    private ElementReference _stage;
    private ElementReference _canvas;
    private IJSObjectReference? _module;
    private DotNetObjectReference<ZoneEditor>? _self;
    private string? _lastValue;
    private string? _frameKey;
    private string? _loadedKey;
    private string? _frameError;
    private bool _attached;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Shown only for a tool that takes zones.</summary>
    [Parameter] public bool Visible { get; set; }

    /// <summary>The <c>zones</c> option's JSON; the page's own field for it stays in step both ways.</summary>
    [Parameter] public string? Value { get; set; }

    [Parameter] public EventCallback<string?> ValueChanged { get; set; }

    /// <summary>The chosen clip; the editor finds it in <see cref="FileSource"/>'s file inputs.</summary>
    [Parameter] public IBrowserFile? File { get; set; }

    /// <summary>The element that holds the page's file input.</summary>
    [Parameter] public ElementReference FileSource { get; set; }

    /// <summary>Where to take the first frame from when no file is chosen: a job's browser preview, when it runs again.</summary>
    [Parameter] public string? FrameUrl { get; set; }

    private bool HasClip => File is not null || FrameUrl is not null;

    /// <summary>The state, for tests and for whoever wants to read it.</summary>
    public ZoneEditorState State => _state;

    private string ViewBox => FormattableString.Invariant($"0 0 {_state.Width} {_state.Height}");

    private string AspectStyle => FormattableString.Invariant($"aspect-ratio: {_state.Width} / {_state.Height}");

    /// <summary>Line width in source pixels, so shapes look the same on small and large clips.</summary>
    private double Stroke => Math.Max(1.5, Math.Max(_state.Width, _state.Height) / 320.0);

    protected override void OnParametersSet()
    {
        if (!string.Equals(Value ?? string.Empty, _lastValue ?? string.Empty, StringComparison.Ordinal))
        {
            // Typed into the page's own zones field (or set by the page): show those shapes.
            _state.Load(Value);
            _pointErrors.Clear();
            _lastValue = Value;
        }

        _frameKey = File is null ? FrameUrl : $"{File.Name}\n{File.Size}\n{File.LastModified:O}";
        if (!Visible)
        {
            _attached = false;
            _loadedKey = null;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!Visible || !HasClip || string.IsNullOrEmpty(_stage.Id))
        {
            return;
        }

        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/zones.js");
        _self ??= DotNetObjectReference.Create(this);
        if (!_attached)
        {
            _attached = true;
            await _module.InvokeVoidAsync("attach", _stage, _self);
        }

        if (_frameKey != _loadedKey)
        {
            _loadedKey = _frameKey;
            var frame = File is not null
                ? await _module.InvokeAsync<FirstFrame?>("loadFirstFrame", FileSource, File.Name, File.Size, _canvas)
                : await _module.InvokeAsync<FirstFrame?>("loadFirstFrameFromUrl", FrameUrl, _canvas);
            ApplyFrame(frame);
            StateHasChanged();
        }
    }

    /// <summary>
    /// The first frame's size from the browser, or why it could not show it: then the size the file's header
    /// states, where the browser could read one (an AVI), or none, for the user to type.
    /// </summary>
    public void ApplyFrame(FirstFrame? frame)
    {
        if (frame is { Width: > 0, Height: > 0 } sized)
        {
            _frameError = sized.Error;   // null when the picture is shown; else the browser's reason, with the file's size
            _state.SetFrame(sized.Width, sized.Height);
        }
        else
        {
            _frameError = frame?.Error ?? "no picture";
            _state.SetFrame(0, 0);
        }
    }

    private void Begin(ZoneDrawMode mode) => _state.Begin(mode);

    private void SetSize(int width, int height) => _state.SetFrame(width, height);

    [JSInvokable]
    public Task OnFrameClick(double x, double y) => InvokeAsync(() => _state.Click(x, y) ? EmitAsync() : Rerender());

    [JSInvokable]
    public Task OnFrameDrag(double x1, double y1, double x2, double y2) => InvokeAsync(() => _state.Drag(x1, y1, x2, y2) ? EmitAsync() : Rerender());

    [JSInvokable]
    public Task OnFrameDoubleClick() => InvokeAsync(() => _state.DoubleClick() ? EmitAsync() : Rerender());

    private Task Rerender()
    {
        StateHasChanged();
        return Task.CompletedTask;
    }

    private Task ClosePolygonAsync() => _state.ClosePolygon() ? EmitAsync() : Task.CompletedTask;

    private Task AddDefaultAsync(ZoneKind kind)
    {
        _state.AddDefault(kind);
        return EmitAsync();
    }

    private Task RenameAsync(ZoneDraft zone, string? name)
    {
        zone.Name = name ?? string.Empty;
        return EmitAsync();
    }

    private Task SetPointsAsync(ZoneDraft zone, string? text)
    {
        if (ZoneEditorState.SetPoints(zone, text) is { } error)
        {
            _pointErrors[zone] = error;
            return Task.CompletedTask;
        }

        _pointErrors.Remove(zone);
        return EmitAsync();
    }

    private Task FlipAsync(ZoneDraft zone)
    {
        ZoneEditorState.Flip(zone);
        return EmitAsync();
    }

    private Task DeleteAsync(ZoneDraft zone)
    {
        _state.Delete(zone);
        _pointErrors.Remove(zone);
        return EmitAsync();
    }

    private async Task EmitAsync()
    {
        _lastValue = _state.ToJson();
        await ValueChanged.InvokeAsync(_lastValue);
        StateHasChanged();
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string PointList(IEnumerable<ZonePoint> points) => string.Join(' ', points.Select(p => $"{N(p.X)},{N(p.Y)}"));

    private string ArrowId(int index) => FormattableString.Invariant($"vt-zone-arrow-{GetHashCode():x}-{index}");

    /// <summary>
    /// The arrow that shows a line's "in" side: from its middle along the normal where
    /// <see cref="ZoneGeometry.Side"/> is positive.
    /// </summary>
    private (ZonePoint From, ZonePoint To) InArrow(ZonePoint a, ZonePoint b)
    {
        var (dx, dy) = (b.X - a.X, b.Y - a.Y);
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        var middle = new ZonePoint((a.X + b.X) / 2, (a.Y + b.Y) / 2);
        if (length == 0)
        {
            return (middle, middle);
        }

        var arrow = Stroke * 12;
        return (middle, new ZonePoint(middle.X - (dy / length * arrow), middle.Y + (dx / length * arrow)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("detach", _stage);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }

        _self?.Dispose();
    }
}

/// <summary>What zones.js answers about the first frame: its size (no error), or why the browser could not show it, with the size the file states (or 0 × 0).</summary>
public sealed record FirstFrame(int Width, int Height, string? Error);
