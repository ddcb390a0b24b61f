/// A vertical colour bar with ticks for a `ColorScale`, labels to its right.
///
/// ```swift
/// let bar = ColorBar(scale: .diverging(values: v), title: "score")
/// let width = bar.width(theme: .light)
/// bar.draw(in: Rect(x: 400, y: 20, width: width, height: 200), theme: .light)
/// ```
public struct ColorBar: Figure, Hashable, Sendable {
    public var scale: ColorScale
    public var title: String?

    /// Width of the bar itself, in points.
    static let barWidth = 10.0

    /// Creates a colour bar.
    public init(scale: ColorScale, title: String? = nil) {
        self.scale = scale
        self.title = title
    }

    private func ticks() -> (values: [Double], step: Double) {
        let all = NiceTicks.linear(scale.lower, scale.upper, count: 4)
        let step = all.count > 1 ? all[1] - all[0] : 1
        let inside = all.filter { $0 >= scale.lower - step * 1e-9 && $0 <= scale.upper + step * 1e-9 }
        return (inside, step)
    }

    /// The width the bar, its tick labels and its title need.
    public func width(theme: Theme) -> Double {
        let t = ticks()
        let labelW = t.values.map { Fonts.width(NumberFormat.tick($0, step: t.step), size: theme.tickSize) }
            .max() ?? 0
        let titleW = title == nil ? 0 : theme.labelSize * 1.2 + 4
        return ColorBar.barWidth + 4 + labelW + 2 + titleW
    }

    /// Draws bar, ticks and the title (rotated, at the right) inside `frame`.
    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        var out: [Primitive] = []
        let half = theme.tickSize * 0.5  // room for the top and bottom tick labels
        let bar = Rect(x: frame.minX, y: frame.minY + half, width: ColorBar.barWidth,
                       height: max(1, frame.height - 2 * half))
        let steps = max(64, Int(bar.height))  // ≈1-pt slices: no visible banding
        for i in 0..<steps {
            // Slice i from the top shows the value at its centre; slices overlap by 0.5 pt so
            // anti-aliasing leaves no hairline seams.
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            let y = bar.minY + bar.height * Double(i) / Double(steps)
            let h = bar.height / Double(steps) + (i == steps - 1 ? 0 : 0.5)
            out.append(.rect(Rect(x: bar.minX, y: y, width: bar.width, height: h),
                             fill: scale.colormap.color(at: t)))
        }
        out.append(.rect(bar, stroke: Stroke(color: theme.muted, width: 0.5)))
        let t = ticks()
        for v in t.values {
            let y = bar.maxY - scale.fraction(v) * bar.height
            out.append(.path(.line(from: Point(x: bar.maxX, y: y), to: Point(x: bar.maxX + 3, y: y)),
                             stroke: Stroke(color: theme.muted, width: 0.75)))
            out.append(.text(Label(NumberFormat.tick(v, step: t.step), at: Point(x: bar.maxX + 4, y: y),
                                   size: theme.tickSize, color: theme.muted, vertical: .middle)))
        }
        if let title {
            let len = bar.height
            out.append(.text(Label(Fonts.elide(title, toWidth: len, size: theme.labelSize),
                                   at: Point(x: frame.maxX - theme.labelSize * 0.6, y: bar.midY),
                                   size: theme.labelSize, color: theme.foreground, horizontal: .center,
                                   vertical: .middle, rotation: 90)))
        }
        return out
    }
}
