/// Tokens in boxes with their ids below, wrapped over lines, optionally coloured by a value
/// (e.g. attention to each token, or surprise).
///
/// ```swift
/// TokenStrip(tokens: ["The", " cat", " sat"], ids: [464, 3797, 3332])
/// TokenStrip(tokens: tokens, values: attention, coloring: .sequential(range: 0...1))
/// ```
public struct TokenStrip: Figure, Hashable, Sendable {
    public var tokens: [String]
    public var ids: [Int]
    public var values: [Double]
    public var coloring: Heatmap.Coloring
    public var highlighted: Int?
    /// Tokens drawn with a tinted fill and a highlight outline (a repeated n-gram, the new token).
    public var marked: Set<Int>
    /// Tokens drawn faded (outside the context window, not yet generated).
    public var faded: Set<Int>
    /// Show spaces as "␣" and newlines as "\n".
    public var visibleWhitespace: Bool

    /// Creates a token strip; `ids` and `values` may be empty.
    public init(tokens: [String], ids: [Int] = [], values: [Double] = [],
                coloring: Heatmap.Coloring = .sequential(), highlighted: Int? = nil,
                visibleWhitespace: Bool = true, marked: Set<Int> = [], faded: Set<Int> = [])
    {
        self.marked = marked
        self.faded = faded
        self.tokens = tokens
        self.ids = ids
        self.values = values
        self.coloring = coloring
        self.highlighted = highlighted
        self.visibleWhitespace = visibleWhitespace
    }

    /// The height the strip needs to show every token in a frame `width` wide: what a stage
    /// figure gives it, so the panel below starts under the last row rather than halfway down.
    public func height(forWidth width: Double, theme: Theme) -> Double {
        let m = Metrics(theme: theme, hasIDs: !ids.isEmpty, width: width)
        var rows = tokens.isEmpty ? 0 : 1, x = 0.0
        for i in tokens.indices {
            let w = boxWidth(shownText(i, m), idText(i), m)
            if x > 0 && x + w > width { x = 0; rows += 1 }
            x += w + m.gap
        }
        return rows == 0 ? 0 : Double(rows - 1) * m.rowH + m.boxH + m.idH
    }

    /// Sizes shared by drawing and measuring.
    private struct Metrics {
        let fs: Double, idSize: Double, boxH: Double, idH: Double, rowH: Double, padX: Double, gap: Double, maxBox: Double
        init(theme: Theme, hasIDs: Bool, width: Double) {
            fs = theme.labelSize; idSize = theme.tickSize
            boxH = fs * 2; idH = hasIDs ? idSize * 1.4 : 0; rowH = boxH + idH + theme.gap
            padX = fs * 0.5; gap = 4
            maxBox = min(width, max(60, width / 4))
        }
    }

    private func shownText(_ i: Int, _ m: Metrics) -> String {
        Fonts.elide(visibleWhitespace ? TokenText.display(tokens[i]) : tokens[i], toWidth: m.maxBox - 2 * m.padX, size: m.fs)
    }

    private func idText(_ i: Int) -> String { i < ids.count ? String(ids[i]) : "" }

    private func boxWidth(_ shown: String, _ idText: String, _ m: Metrics) -> Double {
        max(Fonts.width(shown, size: m.fs), Fonts.width(idText, size: m.idSize)) + 2 * m.padX
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let m = Metrics(theme: theme, hasIDs: !ids.isEmpty, width: frame.width)
        let fs = m.fs, idSize = m.idSize, boxH = m.boxH, idH = m.idH, rowH = m.rowH, gap = m.gap
        let scale: ColorScale? = values.isEmpty ? nil : {
            switch coloring {
            case .sequential(let r): return .sequential(values: values, colormap: theme.sequential, range: r)
            case .diverging(let l): return .diverging(values: values, colormap: theme.diverging, limit: l)
            }
        }()
        var out: [Primitive] = []
        var x = frame.minX, y = frame.minY
        for i in tokens.indices {
            let idText = self.idText(i), shown = shownText(i, m)
            let w = boxWidth(shown, idText, m)
            if x > frame.minX && x + w > frame.maxX { x = frame.minX; y += rowH }
            guard y + boxH + idH <= frame.maxY + 0.01 else { break }  // out of room: stop, never spill
            let box = Rect(x: x, y: y, width: w, height: boxH)
            var fill = theme.panel
            if let scale, i < values.count, values[i].isFinite { fill = scale.color(for: values[i]) }
            if marked.contains(i) { fill = theme.highlight.withAlpha(0.22).over(theme.background) }
            let stroke = i == highlighted || marked.contains(i) ? Stroke(color: theme.highlight, width: 2)
                : Stroke(color: theme.grid, width: 0.75)
            let isFaded = faded.contains(i)
            out.append(.rect(box, fill: isFaded ? theme.background : fill,
                             stroke: isFaded ? Stroke(color: theme.excluded, width: 0.75, dash: [2, 2]) : stroke,
                             cornerRadius: 3))
            out.append(.text(Label(shown, at: box.center, size: fs,
                                   color: isFaded ? theme.excluded : theme.textColor(on: fill),
                                   horizontal: .center, vertical: .middle)))
            if !idText.isEmpty {
                out.append(.text(Label(idText, at: Point(x: box.midX, y: box.maxY + 2), size: idSize,
                                       color: theme.muted, horizontal: .center, vertical: .top)))
            }
            x += w + gap
        }
        return out
    }
}
