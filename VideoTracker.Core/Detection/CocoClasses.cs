namespace VideoTracker.Core.Detection;

/// <summary>The 80 COCO class names in the order YOLO models number them.</summary>
public static class CocoClasses
{
    public const int Person = 0;
    public const int SportsBall = 32;

    public static IReadOnlyList<string> Names { get; } =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
        "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
        "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
        "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
        "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
    ];

    /// <summary>The COCO name of a class, or <c>class_N</c> for a model with other classes.</summary>
    public static string NameOf(int classId, int classCount) =>
        classCount == Names.Count && classId >= 0 && classId < Names.Count
            ? Names[classId]
            : "class_" + classId.ToString(CultureInfo.InvariantCulture);
}
