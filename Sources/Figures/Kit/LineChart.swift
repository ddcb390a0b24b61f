/// Several series against a shared x axis, with a legend above the plot, linear or log axes
/// with nice ticks, and optional horizontal threshold lines.
///
/// ```swift
/// let chart = LineChart(series: [LineSeries(name: "train", x: xs, y: train),
///                                LineSeries(name: "validation", x: xs, y: val)],
///                       xTitle: "step", yTitle: "loss", yScale: .log,
///                       thresholds: [.init(value: 2.0, label: "uniform guess")])
/// ```
public struct LineChart: Figure, Hashable, Sendable {
    /// A dashed horizontal line across the plot, labelled at its right end.
    public struct Threshold: Hashable, Sendable {
        public var value: Double
        public var label: String
        /// Creates a threshold line.
        public init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    public var series: [LineSeries]
    public var xTitle: String?
    public var yTitle: String?
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var thresholds: [Threshold]
    /// Values the axes must reach even where no series does (so frames that reveal a series
    /// point by point keep one scale).
    public var xExtent: [Double]
    public var yExtent: [Double]

    /// Creates a line chart.
    public init(series: [LineSeries], xTitle: String? = nil, yTitle: String? = nil,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear, thresholds: [Threshold] = [],
                xExtent: [Double] = [], yExtent: [Double] = [])
    {
        self.xExtent = xExtent
        self.yExtent = yExtent
        self.series = series
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.xScale = xScale
        self.yScale = yScale
        self.thresholds = thresholds
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let fs = theme.tickSize
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let xAxis = Axis(values: xs, scale: xScale, count: 6, extra: xExtent)
        let yAxis = Axis(values: ys, scale: yScale, count: 5, extra: thresholds.map(\.value) + yExtent)

        // Legend rows above the plot: swatch + name, wrapped to the frame width.
        let swatch = 18.0, itemGap = 14.0, line = theme.labelSize * 1.5
        var legend: [(Int, Point)] = []
        var x = frame.minX, row = 0
        let show = series.count > 1 || series.first.map { !$0.name.isEmpty } == true
        if show {
            for (i, s) in series.enumerated() {
                let w = swatch + 4 + min(Fonts.width(s.name, size: theme.labelSize), frame.width - swatch - 4)
                if x > frame.minX && x + w > frame.maxX { row += 1; x = frame.minX }
                legend.append((i, Point(x: x, y: frame.minY + Double(row) * line + line / 2)))
                x += w + itemGap
            }
        }
        let top = show ? Double(row + 1) * line + 4 : 0
        let pf = PlotFrame(frame: frame, theme: theme, y: yAxis, yTitle: yTitle, x: xAxis, xTitle: xTitle, top: top)
        let plot = pf.plot
        var out = pf.yAxis(yAxis, title: yTitle, frame: frame)
        out += pf.xAxis(xAxis, title: xTitle, frame: frame)
        out += pf.baseline()

        for t in thresholds where yScale == .linear || t.value > 0 {
            let y = pf.yPosition(yAxis, t.value)
            out.append(.path(.line(from: Point(x: plot.minX, y: y), to: Point(x: plot.maxX, y: y)),
                             stroke: Stroke(color: theme.foreground, width: 1, dash: [5, 3])))
            out.append(.text(Label(Fonts.elide(t.label, toWidth: plot.width / 2, size: fs),
                                   at: Point(x: plot.maxX - 2, y: y - 3), size: fs, color: theme.foreground,
                                   horizontal: .trailing, vertical: .bottom)))
        }
        var lines: [Primitive] = []
        for (i, s) in series.enumerated() {
            let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite && (xScale == .linear || $0.x > 0)
                && (yScale == .linear || $0.y > 0) }
                .map { Point(x: pf.xPosition(xAxis, $0.x), y: pf.yPosition(yAxis, $0.y)) }
            let stroke = Stroke(color: theme.seriesColor(i), width: theme.lineWidth, dash: theme.seriesDash(i))
            if pts.count == 1 {
                lines.append(.circle(center: pts[0], radius: 2.5, fill: theme.seriesColor(i)))
            } else {
                lines.append(.path(.polyline(pts), stroke: stroke))
            }
        }
        out.append(.group(Group(clip: plot.insetBy(-theme.lineWidth), items: lines)))
        for (i, p) in legend {
            let s = series[i]
            out.append(.path(.line(from: Point(x: p.x, y: p.y), to: Point(x: p.x + swatch, y: p.y)),
                             stroke: Stroke(color: theme.seriesColor(i), width: theme.lineWidth * 1.5,
                                            dash: theme.seriesDash(i))))
            out.append(.text(Label(Fonts.elide(s.name, toWidth: frame.maxX - p.x - swatch - 4, size: theme.labelSize),
                                   at: Point(x: p.x + swatch + 4, y: p.y), size: theme.labelSize,
                                   color: theme.foreground, vertical: .middle)))
        }
        return out
    }
}
