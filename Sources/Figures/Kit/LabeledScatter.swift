/// Points with text labels that never overlap: each label tries eight places around its point
/// and is dropped if none is free (labels earlier in the list win, so order by importance).
///
/// ```swift
/// LabeledScatter(points: [.init(x: 0.1, y: 0.3, label: "猫"), .init(x: 0.2, y: 0.25, label: "cat")],
///                xTitle: "PC 1", yTitle: "PC 2")
/// ```
public struct LabeledScatter: Figure, Hashable, Sendable {
    /// A point, its label and its category (an index into the theme's palette).
    public struct Item: Hashable, Sendable {
        public var x: Double
        public var y: Double
        public var label: String
        public var category: Int
        /// Creates an item.
        public init(x: Double, y: Double, label: String, category: Int = 0) {
            self.x = x
            self.y = y
            self.label = label
            self.category = category
        }
    }

    public var points: [Item]
    public var xTitle: String?
    public var yTitle: String?

    /// Creates a labelled scatter plot.
    public init(points: [Item], xTitle: String? = nil, yTitle: String? = nil) {
        self.points = points
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let xAxis = Axis(values: points.map(\.x), scale: .linear, count: 6, padding: 0.04)
        let yAxis = Axis(values: points.map(\.y), scale: .linear, count: 5, padding: 0.04)
        let pf = PlotFrame(frame: frame, theme: theme, y: yAxis, yTitle: yTitle, x: xAxis, xTitle: xTitle)
        var out = pf.yAxis(yAxis, title: yTitle, frame: frame) + pf.xAxis(xAxis, title: xTitle, frame: frame)
        out += pf.baseline()
        let radius = 3.0, fs = theme.tickSize
        let centers = points.map { Point(x: pf.xPosition(xAxis, $0.x), y: pf.yPosition(yAxis, $0.y)) }
        var taken = centers.map { Rect(x: $0.x - radius, y: $0.y - radius, width: 2 * radius, height: 2 * radius) }
        for (i, p) in points.enumerated() {
            out.append(.circle(center: centers[i], radius: radius, fill: theme.seriesColor(p.category),
                               stroke: Stroke(color: theme.background, width: 0.75)))
        }
        for (i, p) in points.enumerated() where !p.label.isEmpty {
            let c = centers[i], d = radius + 2
            let text = Fonts.elide(p.label, toWidth: pf.plot.width / 4, size: fs)
            let candidates: [Label] = [
                Label(text, at: Point(x: c.x + d, y: c.y), size: fs, vertical: .middle),
                Label(text, at: Point(x: c.x - d, y: c.y), size: fs, horizontal: .trailing, vertical: .middle),
                Label(text, at: Point(x: c.x, y: c.y - d), size: fs, horizontal: .center, vertical: .bottom),
                Label(text, at: Point(x: c.x, y: c.y + d), size: fs, horizontal: .center, vertical: .top),
                Label(text, at: Point(x: c.x + d * 0.7, y: c.y - d * 0.7), size: fs, vertical: .bottom),
                Label(text, at: Point(x: c.x - d * 0.7, y: c.y - d * 0.7), size: fs, horizontal: .trailing, vertical: .bottom),
                Label(text, at: Point(x: c.x + d * 0.7, y: c.y + d * 0.7), size: fs, vertical: .top),
                Label(text, at: Point(x: c.x - d * 0.7, y: c.y + d * 0.7), size: fs, horizontal: .trailing, vertical: .top),
            ].map { var l = $0; l.color = theme.foreground; return l }
            let area = pf.plot.insetBy(-2)
            if let l = candidates.first(where: { l in
                let b = l.bounds
                return area.contains(b) && !taken.contains { $0.intersects(b) }
            }) {
                taken.append(l.bounds.insetBy(-1))
                out.append(.text(l))
            }
        }
        return out
    }
}
