/// Bars over categories (tokens), e.g. next-token probabilities, with the chosen token
/// highlighted and optional cut-offs (top-k, top-p) marking which bars sampling keeps.
///
/// ```swift
/// let chart = BarChart(labels: ["␣mat", "␣rug", "␣sofa", "␣dog"], values: [0.52, 0.21, 0.15, 0.12],
///                      highlighted: 0, cutoffs: [.init(keep: 2, label: "top-k = 2")],
///                      valueTitle: "probability")
/// ```
public struct BarChart: Figure, Hashable, Sendable {
    /// A vertical line after the first `keep` bars; bars after the tightest cut-off are greyed.
    public struct Cutoff: Hashable, Sendable {
        public var keep: Int
        public var label: String
        /// Creates a cut-off.
        public init(keep: Int, label: String) {
            self.keep = keep
            self.label = label
        }
    }

    /// Names of the two series, drawn top right.
    public struct Legend: Hashable, Sendable {
        public var bars: String
        public var marks: String
        /// Creates a legend.
        public init(bars: String, marks: String) {
            self.bars = bars
            self.marks = marks
        }
    }

    public var labels: [String]
    public var values: [Double]
    public var highlighted: Int?
    public var cutoffs: [Cutoff]
    public var valueTitle: String?
    public var categoryTitle: String?
    public var showValues: Bool
    /// Dashed horizontal lines across the plot (a mean, a uniform guess), labelled at the right.
    public var references: [LineChart.Threshold]
    /// Significant digits of the value printed above each bar.
    public var digits: Int
    /// A second value per bar (`nil`: none), drawn as an outlined bar over the filled one: a
    /// target to compare with, or the same bar after renormalising.
    public var marks: [Double?]
    /// Legend for the filled bars and for the outlines (shown when there are marks).
    public var legend: Legend?

    /// Creates a bar chart; `values` must be finite. Negative values hang below a zero line (the
    /// axis always includes 0).
    public init(labels: [String], values: [Double], highlighted: Int? = nil, cutoffs: [Cutoff] = [],
                valueTitle: String? = nil, categoryTitle: String? = nil, showValues: Bool = true,
                references: [LineChart.Threshold] = [], digits: Int = 2, marks: [Double?] = [],
                legend: Legend? = nil)
    {
        self.marks = marks
        self.legend = legend
        self.references = references
        self.digits = digits
        self.labels = labels
        self.values = values
        self.highlighted = highlighted
        self.cutoffs = cutoffs
        self.valueTitle = valueTitle
        self.categoryTitle = categoryTitle
        self.showValues = showValues
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let n = values.count
        guard n > 0 else { return [] }
        let fs = theme.tickSize, line = fs * 1.3
        // Headroom above the tallest bar for its value label.
        let axis = Axis(values: values, scale: .linear, count: 5, includeZero: true,
                        extra: references.map(\.value) + (showValues ? [(values.max() ?? 0) * 1.08, min(0, values.min() ?? 0) * 1.08] : [])
                            + marks.compactMap { $0 }.map { $0 * (showValues ? 1.16 : 1.02) })
        let natural = labels.map { Fonts.width($0, size: fs) }.max() ?? 0
        // Guess the slot width to choose flat or upright category labels.
        let guessSlot = (frame.width - 40) / Double(n)
        let rotated = natural > guessSlot - 4
        let labelDepth = rotated ? min(natural, frame.height * 0.25) : line
        let hasMarks = marks.contains { $0 != nil }
        let top = Double(cutoffs.count + (hasMarks && legend != nil ? 1 : 0)) * line
        let pf = PlotFrame(frame: frame, theme: theme, y: axis, yTitle: valueTitle, x: nil,
                           xTitle: categoryTitle, bottom: labelDepth + 4, top: top)
        let plot = pf.plot
        let slot = plot.width / Double(n)
        let barW = slot * 0.72
        let keep = cutoffs.map(\.keep).min() ?? n

        var out = pf.yAxis(axis, title: valueTitle, frame: frame)
        // Bars grow from 0: the plot's bottom edge, unless some value is negative.
        let hasNegative = values.contains { $0 < 0 }
        let zeroY = hasNegative ? pf.yPosition(axis, 0) : plot.maxY
        for c in cutoffs where c.keep < n {
            let x = plot.minX + Double(c.keep) * slot
            out.append(.rect(Rect(x: x, y: plot.minY, width: plot.maxX - x, height: plot.height),
                             fill: theme.foreground.withAlpha(0.035)))
        }
        let valueSize = min(theme.annotationSize, fs)
        // In print the highlight is black like the first series: plain bars go grey there, so
        // the chosen token still stands out without colour.
        let normal = theme.seriesColor(0) == theme.highlight ? theme.seriesColor(2) : theme.seriesColor(0)
        for i in 0..<n {
            let x = plot.minX + Double(i) * slot + (slot - barW) / 2
            let y = pf.yPosition(axis, values[i])
            let color = i == highlighted ? theme.highlight : i >= keep ? theme.excluded : normal
            out.append(.rect(Rect(x: x, y: min(y, zeroY), width: barW, height: abs(zeroY - y)), fill: color))
            let mark = i < marks.count ? marks[i] : nil
            var labelY = y
            if let m = mark {
                // The outline: its top edge crosses the filled bar when the mark is lower.
                let my = pf.yPosition(axis, m)
                out.append(.rect(Rect(x: x, y: my, width: barW, height: plot.maxY - my), fill: nil,
                                 stroke: Stroke(color: theme.foreground, width: 1.5, dash: [4, 2])))
                labelY = min(y, my)
            }
            let s = NumberFormat.short(values[i], digits: digits)
            guard showValues, Fonts.width(s, size: valueSize) <= slot - 1 else { continue }
            if let m = mark {
                // Two labels stacked over the taller of the two: the mark's (dark) above the bar's (muted).
                let ms = NumberFormat.short(m, digits: digits)
                if labelY - valueSize * 2.2 >= frame.minY + top, Fonts.width(ms, size: valueSize) <= slot - 1 {
                    out.append(.text(Label(s, at: Point(x: x + barW / 2, y: labelY - 2), size: valueSize,
                                           weight: i == highlighted ? .bold : .regular, color: theme.muted,
                                           horizontal: .center, vertical: .bottom)))
                    out.append(.text(Label(ms, at: Point(x: x + barW / 2, y: labelY - 3 - valueSize * 1.1), size: valueSize,
                                           weight: .bold, color: theme.foreground, horizontal: .center, vertical: .bottom)))
                }
            } else if values[i] < 0 {
                // Below the bar's end.
                if y + valueSize * 1.1 <= plot.maxY {
                    out.append(.text(Label(s, at: Point(x: x + barW / 2, y: y + 2), size: valueSize,
                                           weight: i == highlighted ? .bold : .regular, color: theme.muted,
                                           horizontal: .center, vertical: .top)))
                }
            } else if y - valueSize * 1.1 >= frame.minY + top {
                out.append(.text(Label(s, at: Point(x: x + barW / 2, y: y - 2), size: valueSize,
                                       weight: i == highlighted ? .bold : .regular, color: theme.muted,
                                       horizontal: .center, vertical: .bottom)))
            }
        }
        out += pf.baseline()
        if hasNegative {
            out.append(.path(.line(from: Point(x: plot.minX, y: zeroY), to: Point(x: plot.maxX, y: zeroY)),
                             stroke: Stroke(color: theme.muted, width: 0.75)))
        }
        for r in references {
            let y = pf.yPosition(axis, r.value)
            out.append(.path(.line(from: Point(x: plot.minX, y: y), to: Point(x: plot.maxX, y: y)),
                             stroke: Stroke(color: theme.foreground, width: 1, dash: [5, 3])))
            let t = Fonts.elide(r.label, toWidth: plot.width / 2, size: fs)
            let w = Fonts.width(t, size: fs) + 4
            out.append(.rect(Rect(x: plot.maxX - w - 2, y: y - fs * 1.25, width: w, height: fs * 1.15),
                             fill: theme.background.withAlpha(0.85)))
            out.append(.text(Label(t, at: Point(x: plot.maxX - 4, y: y - 2), size: fs, color: theme.foreground,
                                   horizontal: .trailing, vertical: .bottom)))
        }
        let kept = rotated ? Thinning.indices(count: n, spacing: slot, minSpacing: line) : Array(0..<n)
        for i in kept where i < labels.count {
            let x = plot.minX + (Double(i) + 0.5) * slot
            let weight: FontWeight = i == highlighted ? .bold : .regular
            let color = i == highlighted ? theme.highlight : theme.foreground
            if rotated {
                let t = Fonts.elide(labels[i], toWidth: labelDepth, size: fs, weight: weight)
                out.append(.text(Label(t, at: Point(x: x, y: plot.maxY + 4), size: fs, weight: weight,
                                       color: color, horizontal: .trailing, vertical: .middle, rotation: -90)))
            } else {
                let t = Fonts.elide(labels[i], toWidth: slot - 2, size: fs, weight: weight)
                out.append(.text(Label(t, at: Point(x: x, y: plot.maxY + 4), size: fs, weight: weight,
                                       color: color, horizontal: .center, vertical: .top)))
            }
        }
        if let categoryTitle {
            out.append(.text(Label(Fonts.elide(categoryTitle, toWidth: plot.width, size: theme.labelSize),
                                   at: Point(x: plot.midX, y: frame.maxY), size: theme.labelSize,
                                   color: theme.foreground, horizontal: .center, vertical: .bottom)))
        }
        if hasMarks, let legend {
            // Top right, on the row above the cut-off labels: a filled swatch and an outlined one.
            let y = frame.minY + line / 2, sw = fs * 0.9
            var x = frame.maxX
            for (text, outlined) in [(legend.marks, true), (legend.bars, false)] {
                let w = Fonts.width(text, size: fs)
                x -= w
                out.append(.text(Label(text, at: Point(x: x, y: y), size: fs, color: theme.foreground, vertical: .middle)))
                x -= sw + 4
                let r = Rect(x: x, y: y - sw / 2, width: sw, height: sw)
                out.append(outlined ? .rect(r, fill: nil, stroke: Stroke(color: theme.foreground, width: 1.5, dash: [4, 2]))
                                    : .rect(r, fill: normal))
                x -= fs * 1.2
            }
        }
        // Cut-off lines, each labelled on its own row above the plot; leftmost on the top row so a
        // label running right never crosses a line rising from a lower row.
        for (row, c) in cutoffs.sorted(by: { $0.keep < $1.keep }).enumerated() where c.keep > 0 && c.keep < n {
            let x = plot.minX + Double(c.keep) * slot
            let labelY = frame.minY + Double(row + (hasMarks && legend != nil ? 1 : 0)) * line + line / 2
            out.append(.path(.line(from: Point(x: x, y: labelY + line / 2), to: Point(x: x, y: plot.maxY)),
                             stroke: Stroke(color: theme.foreground, width: 1, dash: [4, 3])))
            let w = Fonts.width(c.label, size: fs)
            let room = frame.maxX - x - 4
            if w <= room {
                out.append(.text(Label(c.label, at: Point(x: x + 4, y: labelY), size: fs,
                                       color: theme.foreground, vertical: .middle)))
            } else {
                out.append(.text(Label(Fonts.elide(c.label, toWidth: x - frame.minX - 4, size: fs),
                                       at: Point(x: x - 4, y: labelY), size: fs, color: theme.foreground,
                                       horizontal: .trailing, vertical: .middle)))
            }
        }
        return out
    }
}
