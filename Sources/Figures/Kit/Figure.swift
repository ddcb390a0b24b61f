/// Something that draws itself into a rectangle: every kit figure, so panels compose.
///
/// ```swift
/// let d = Heatmap(values: [[1, 2], [3, 4]], rowLabels: ["a", "b"], columnLabels: ["x", "y"])
///     .drawing(size: Size(width: 400, height: 300), theme: .light,
///              title: "A 2×2 matrix", description: "Values 1 to 4 on a viridis scale.")
/// ```
public protocol Figure {
    /// The primitives of this figure laid out inside `frame`; no label leaves `frame`.
    func draw(in frame: Rect, theme: Theme) -> [Primitive]
}

extension Figure {
    /// A whole page holding this figure inside the theme's margin, on the theme's background.
    public func drawing(size: Size, theme: Theme, title: String, description: String) -> Drawing {
        let frame = Rect(origin: .zero, size: size).insetBy(theme.margin)
        return Drawing(size: size, title: title, description: description, background: theme.background,
                       items: draw(in: frame, theme: theme))
    }
}
