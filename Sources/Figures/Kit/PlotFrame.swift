/// The plotting rectangle of a chart and its axes: reserves room for tick labels and axis
/// titles so nothing crosses the frame, then draws grid, ticks and labels.
struct PlotFrame {
    var plot: Rect
    var theme: Theme

    /// Lays out a plot inside `frame`; `bottom` is extra room below for category labels and
    /// `top` room above for a legend or cut-off labels.
    init(frame: Rect, theme: Theme, y: Axis?, yTitle: String?, x: Axis?, xTitle: String?,
         bottom: Double = 0, top: Double = 0)
    {
        self.theme = theme
        let fs = theme.tickSize
        let yLabelW = y.map { a in a.ticks.map { Fonts.width(a.label($0), size: fs) }.max() ?? 0 } ?? 0
        var left = yLabelW + (y == nil ? 0 : 6)
        if yTitle != nil { left += theme.labelSize * 1.3 + 4 }
        var below = bottom + (x == nil ? 0 : fs * 1.3 + 4)
        if xTitle != nil { below += theme.labelSize * 1.3 + 2 }
        // Half a tick label above and right so the extreme ticks' labels stay inside.
        let right = x == nil ? 2 : max(2, (x!.ticks.last.map { Fonts.width(x!.label($0), size: fs) } ?? 0) / 2)
        plot = Rect(x: frame.minX + left, y: frame.minY + top + fs * 0.6,
                    width: max(1, frame.width - left - right),
                    height: max(1, frame.height - top - fs * 0.6 - below))
    }

    func yPosition(_ a: Axis, _ v: Double) -> Double { plot.maxY - a.fraction(v) * plot.height }
    func xPosition(_ a: Axis, _ v: Double) -> Double { plot.minX + a.fraction(v) * plot.width }

    /// Horizontal grid lines with tick labels at the left, and the rotated title.
    func yAxis(_ a: Axis, title: String?, frame: Rect) -> [Primitive] {
        var out: [Primitive] = []
        for t in a.ticks {
            let y = yPosition(a, t)
            out.append(.path(.line(from: Point(x: plot.minX, y: y), to: Point(x: plot.maxX, y: y)),
                             stroke: Stroke(color: theme.grid, width: 0.5)))
            out.append(.text(Label(a.label(t), at: Point(x: plot.minX - 6, y: y), size: theme.tickSize,
                                   color: theme.muted, horizontal: .trailing, vertical: .middle)))
        }
        if let title {
            out.append(.text(Label(Fonts.elide(title, toWidth: plot.height, size: theme.labelSize),
                                   at: Point(x: frame.minX + theme.labelSize * 0.65, y: plot.midY),
                                   size: theme.labelSize, color: theme.foreground, horizontal: .center,
                                   vertical: .middle, rotation: -90)))
        }
        return out
    }

    /// Ticks and labels under the plot (thinned if crowded) and the title below them.
    func xAxis(_ a: Axis, title: String?, frame: Rect) -> [Primitive] {
        var out: [Primitive] = []
        var lastRight = -Double.infinity
        for t in a.ticks {
            let x = xPosition(a, t), s = a.label(t)
            let w = Fonts.width(s, size: theme.tickSize)
            guard x - w / 2 > lastRight + 6 else { continue }
            lastRight = x + w / 2
            out.append(.path(.line(from: Point(x: x, y: plot.maxY), to: Point(x: x, y: plot.maxY + 3)),
                             stroke: Stroke(color: theme.muted, width: 0.75)))
            out.append(.text(Label(s, at: Point(x: x, y: plot.maxY + 4), size: theme.tickSize,
                                   color: theme.muted, horizontal: .center, vertical: .top)))
        }
        if let title {
            out.append(.text(Label(Fonts.elide(title, toWidth: plot.width, size: theme.labelSize),
                                   at: Point(x: plot.midX, y: frame.maxY), size: theme.labelSize,
                                   color: theme.foreground, horizontal: .center, vertical: .bottom)))
        }
        return out
    }

    /// The x and y axis lines.
    func baseline() -> [Primitive] {
        [.path(.polyline([Point(x: plot.minX, y: plot.minY), Point(x: plot.minX, y: plot.maxY),
                          Point(x: plot.maxX, y: plot.maxY)]),
               stroke: Stroke(color: theme.muted, width: 0.75))]
    }
}
