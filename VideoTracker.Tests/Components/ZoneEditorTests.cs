using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using VideoTracker.App.Components.Zones;

namespace VideoTracker.Tests.Components;

/// <summary>The zone editor's state as the page sees it: what clicks, drags and typing make of the zones option.</summary>
public sealed class ZoneEditorTests : MudComponentTest
{
    private readonly List<string?> _emitted = [];
    private readonly BunitJSModuleInterop _module;

    public ZoneEditorTests()
    {
        _module = JSInterop.SetupModule("./js/zones.js");
        _module.Mode = JSRuntimeMode.Loose;
    }

    private string? Last => _emitted[^1];

    private IRenderedComponent<ZoneEditor> RenderEditor(FirstFrame frame, string? value = null)
    {
        _module.Setup<FirstFrame?>("loadFirstFrame", _ => true).SetResult(frame);
        return Render<ZoneEditor>(p => p
            .Add(x => x.Visible, true)
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, EventCallback.Factory.Create<string?>(this, v => _emitted.Add(v)))
            .Add(x => x.File, new ChosenFile("gate.mp4", 1234)));
    }

    /// <summary>The editor on a 320×240 first frame, once the frame is drawn.</summary>
    private IRenderedComponent<ZoneEditor> RenderOnFrame(string? value = null)
    {
        var cut = RenderEditor(new FirstFrame(320, 240, null), value);
        cut.WaitForElement("[data-testid=zone-svg]");
        return cut;
    }

    /// <summary>The editor on a 320×240 first frame with a drawing tool chosen: <c>line</c> or <c>polygon</c>.</summary>
    private IRenderedComponent<ZoneEditor> RenderDrawing(string tool)
    {
        var cut = RenderOnFrame();
        cut.Find($"button[data-testid=zone-draw-{tool}]").Click();
        return cut;
    }

    private static async Task ClickAsync(IRenderedComponent<ZoneEditor> cut, params (double X, double Y)[] points)
    {
        foreach (var (x, y) in points)
        {
            await cut.InvokeAsync(() => cut.Instance.OnFrameClick(x, y));
        }
    }

    private static (string Name, string Type, double[][] Points)[] Zones(string? json) =>
        JsonSerializer.Deserialize<JsonElement[]>(json!)!
            .Select(z => (z.GetProperty("name").GetString()!, z.GetProperty("type").GetString()!,
                z.GetProperty("points").EnumerateArray().Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() }).ToArray()))
            .ToArray();

    [Fact]
    public async Task DrawLine_TwoClicksOnTheFrame_EmitsALineTheServerAcceptsWithItsInArrowBelow()
    {
        var cut = RenderOnFrame();
        Assert.Equal("0 0 320 240", cut.Find("[data-testid=zone-svg]").GetAttribute("viewBox"));

        cut.Find("button[data-testid=zone-draw-line]").Click();
        await ClickAsync(cut, (20.4, 120.2));
        Assert.Empty(_emitted);
        Assert.Single(cut.FindAll("[data-testid=zone-pending]"));
        await ClickAsync(cut, (300, 121.6));

        var zone = Assert.Single(Zones(Last));
        Assert.Equal(("line 1", "line"), (zone.Name, zone.Type));
        Assert.Equal([[20, 120], [300, 122]], zone.Points);
        Assert.NotNull(CountingZone.ParseAll(Last!, 320, 240, out var error));
        Assert.Null(error);
        // A left-to-right line counts "in" downwards (y grows downwards): the arrow points down.
        var arrow = cut.Find("[data-testid=zone-arrow-0]");
        Assert.True(double.Parse(arrow.GetAttribute("y2")!, System.Globalization.CultureInfo.InvariantCulture) > double.Parse(arrow.GetAttribute("y1")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(cut.FindAll("[data-testid=zone-pending]"));
    }

    [Fact]
    public async Task DrawLine_ByDragOutsideTheFrame_ClampsToTheFrameEdge()
    {
        var cut = RenderDrawing("line");

        await cut.InvokeAsync(() => cut.Instance.OnFrameDrag(-5, 10, 400, 250));

        Assert.Equal([[0, 10], [320, 240]], Assert.Single(Zones(Last)).Points);
    }

    [Fact]
    public async Task DrawPolygon_ClicksThenDoubleClick_ClosesItOnceAndIgnoresTheDoubleClicksSecondPoint()
    {
        var cut = RenderDrawing("polygon");

        await ClickAsync(cut, (10, 10), (100, 10), (100, 100), (100, 100));

        Assert.Empty(_emitted);
        await cut.InvokeAsync(cut.Instance.OnFrameDoubleClick);

        var zone = Assert.Single(Zones(Last));
        Assert.Equal(("zone 1", "polygon"), (zone.Name, zone.Type));
        Assert.Equal([[10, 10], [100, 10], [100, 100]], zone.Points);
        Assert.Single(cut.FindAll("polygon[data-testid=zone-shape-0]"));
    }

    [Fact]
    public async Task DrawPolygon_ClickNearTheFirstPoint_ClosesIt()
    {
        var cut = RenderDrawing("polygon");

        await ClickAsync(cut, (50, 50), (150, 50), (150, 150), (50, 150), (53, 52));

        Assert.Equal(4, Assert.Single(Zones(Last)).Points.Length);
    }

    [Fact]
    public async Task FlipRenameAndDelete_OnTheList_ChangeTheEmittedZones()
    {
        var cut = RenderDrawing("line");
        await ClickAsync(cut, (20, 120), (300, 120), (20, 200), (300, 200));
        Assert.Equal(["line 1", "line 2"], Zones(Last).Select(z => z.Name));

        cut.Find("button[data-testid=zone-flip-0]").Click();
        Assert.Equal([[300, 120], [20, 120]], Zones(Last)[0].Points);
        var arrow = cut.Find("[data-testid=zone-arrow-0]");
        Assert.True(double.Parse(arrow.GetAttribute("y2")!, System.Globalization.CultureInfo.InvariantCulture) < 120);

        cut.Find("input[data-testid=zone-name-0]").Input("gate");
        Assert.Equal("gate", Zones(Last)[0].Name);

        cut.Find("button[data-testid=zone-delete-1]").Click();
        Assert.Equal(["gate"], Zones(Last).Select(z => z.Name));

        cut.Find("button[data-testid=zone-delete-0]").Click();
        Assert.Equal(string.Empty, Last);
        Assert.Empty(cut.FindAll("[data-testid=zone-list]"));
    }

    [Fact]
    public void KeyboardEntry_PointsTypedAsNumbers_BecomeTheZoneAndBadTextIsRefused()
    {
        var cut = RenderOnFrame();

        cut.Find("button[data-testid=zone-add-line]").Click();
        Assert.Equal([[80, 120], [240, 120]], Assert.Single(Zones(Last)).Points);
        cut.Find("input[data-testid=zone-points-0]").Change("10,20 300,40");
        Assert.Equal([[10, 20], [300, 40]], Assert.Single(Zones(Last)).Points);

        var before = _emitted.Count;
        cut.Find("input[data-testid=zone-points-0]").Change("10,20 three,4");
        Assert.Equal(before, _emitted.Count);
        Assert.Contains("'three,4' is not a point", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_TypedInThePagesField_IsDrawnAndCheckedWithTheServersRules()
    {
        var cut = RenderOnFrame("[{\"name\":\"gate\",\"type\":\"line\",\"points\":[[10,10],[400,10]]}]");

        Assert.Single(cut.FindAll("line[data-testid=zone-shape-0]"));
        Assert.Equal("Zone 'gate': the point (400, 10) lies outside the 320×240 frame.", cut.Find("[data-testid=zone-error]").TextContent.Trim());
        Assert.Empty(_emitted);
    }

    [Fact]
    public void FirstFrame_WhenTheBrowserCannotPlayTheClip_SaysSoAndDrawsOnABlankFrameOfATypedSize()
    {
        var cut = RenderEditor(new FirstFrame(0, 0, "MediaError 4"));

        cut.WaitForElement("[data-testid=zone-frame-unavailable]");
        Assert.Contains("Enter the clip's size", cut.Find("[data-testid=zone-frame-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.Equal("MediaError 4", cut.Find("[data-testid=zone-frame-unavailable]").GetAttribute("title"));   // the browser's reason, for whoever asks
        Assert.Empty(cut.FindAll("[data-testid=zone-svg]"));
        Assert.True(cut.Find("button[data-testid=zone-draw-line]").HasAttribute("disabled"));

        cut.Find("input[data-testid=zone-width]").Change("768");
        cut.Find("input[data-testid=zone-height]").Change("576");

        Assert.Equal("0 0 768 576", cut.Find("[data-testid=zone-svg]").GetAttribute("viewBox"));
        Assert.False(cut.Find("button[data-testid=zone-draw-line]").HasAttribute("disabled"));
    }

    [Fact]
    public void FirstFrame_WhenTheSizeMustBeTyped_TheSizeFieldsComeBeforeTheButtonsTheyEnable()
    {
        var cut = RenderEditor(new FirstFrame(0, 0, "MediaError 4"));
        cut.WaitForElement("input[data-testid=zone-width]");

        // Keyboard order is document order (nothing has a positive tabindex): the fields first, then the buttons.
        var focusable = cut.Find("[data-testid=zone-editor]").QuerySelectorAll("input, button, select, textarea, [tabindex]")
            .Where(e => e.GetAttribute("tabindex") != "-1")
            .ToList();
        Assert.DoesNotContain(focusable, e => int.TryParse(e.GetAttribute("tabindex"), out var t) && t > 0);
        var named = focusable.Select(e => e.GetAttribute("data-testid")).Where(id => id is not null).ToList();
        Assert.Equal(
            ["zone-width", "zone-height", "zone-draw-line", "zone-draw-polygon", "zone-add-line", "zone-add-polygon"],
            named);
    }

    [Fact]
    public void FirstFrame_WhenTheBrowserCannotPlayTheClipButItsHeaderStatesItsSize_DrawsOnABlankFrameOfThatSize()
    {
        var cut = RenderEditor(new FirstFrame(768, 576, "MediaError 4"));

        cut.WaitForElement("[data-testid=zone-frame-unavailable]");
        Assert.Contains("Its size, 768 × 576, comes from the file", cut.Find("[data-testid=zone-frame-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.Equal("0 0 768 576", cut.Find("[data-testid=zone-svg]").GetAttribute("viewBox"));
        Assert.False(cut.Find("button[data-testid=zone-draw-line]").HasAttribute("disabled"));
        Assert.Equal("768", cut.Find("input[data-testid=zone-width]").GetAttribute("value"));
    }

    [Fact]
    public void Render_WhenNotVisible_RendersNothing()
    {
        var cut = Render<ZoneEditor>(p => p.Add(x => x.Visible, false));

        Assert.Empty(cut.FindAll("[data-testid=zone-editor]"));
    }

    private sealed class ChosenFile(string name, long size) : IBrowserFile
    {
        public string Name => name;

        public DateTimeOffset LastModified { get; } = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

        public long Size => size;

        public string ContentType => "video/mp4";

        public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
