/// An annotated matrix: coloured cells, row and column labels, values where they fit, −∞ as
/// hatched grey cells, and a colour bar.
///
/// Rows are drawn top to bottom. Long labels are elided with "…"; crowded axes are rotated
/// (columns) and thinned. NaN cells stay empty and are never labelled.
///
/// ```swift
/// let tokens = ["The", "␣cat", "␣sat"]
/// let scores: [[Double]] = [[0.2, -.infinity, -.infinity], [1.1, 0.4, -.infinity], [0.3, 0.9, 2.0]]
/// let d = Heatmap(values: scores, rowLabels: tokens, columnLabels: tokens, coloring: .diverging(),
///                 rowTitle: "query", columnTitle: "key", colorBarTitle: "score")
///     .drawing(size: .halfSlide, theme: .light, title: "Masked scores", description: "…")
/// ```
public struct Heatmap: Figure, Hashable, Sendable {
    /// How values become colours.
    public enum Coloring: Hashable, Sendable {
        /// The theme's sequential map over the finite values (or `range`).
        case sequential(range: ClosedRange<Double>? = nil)
        /// The theme's diverging map over `−m…m`, `m` the largest magnitude (or `limit`).
        case diverging(limit: Double? = nil)
    }

    /// `values[row][column]`; rows may not be ragged.
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var coloring: Coloring
    public var rowTitle: String?
    public var columnTitle: String?
    public var colorBarTitle: String?
    public var showValues: Bool
    /// Significant digits of cell values.
    public var digits: Int
    /// Largest cell side in points, so a 2×2 matrix does not fill a slide.
    public var maximumCellSize: Double
    /// Off for small multiples that share one scale.
    public var showColorBar: Bool
    /// Text to show in cells instead of the formatted value (`cellLabels[row][column]`); an
    /// empty list (the default) shows the values. Used when colour and number differ, e.g.
    /// colour by log₁₀ of a norm but print the norm.
    public var cellLabels: [[String]]
    /// Rows outlined in the theme's highlight colour (the query row being computed).
    public var highlightedRows: [Int]
    /// Cell borders in the grid colour instead of the background (for fills close to the page).
    public var outlineCells: Bool

    /// Creates a heatmap; labels may be fewer than rows/columns (missing ones are blank).
    public init(values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [],
                coloring: Coloring = .sequential(), rowTitle: String? = nil, columnTitle: String? = nil,
                colorBarTitle: String? = nil, showValues: Bool = true, digits: Int = 2,
                maximumCellSize: Double = 56, showColorBar: Bool = true, cellLabels: [[String]] = [],
                highlightedRows: [Int] = [], outlineCells: Bool = false)
    {
        self.outlineCells = outlineCells
        self.showColorBar = showColorBar
        self.cellLabels = cellLabels
        self.highlightedRows = highlightedRows
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.coloring = coloring
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.colorBarTitle = colorBarTitle
        self.showValues = showValues
        self.digits = digits
        self.maximumCellSize = maximumCellSize
    }

    /// Creates a heatmap from Float32 rows, as traces hold them.
    public init(rows: [[Float]], rowLabels: [String] = [], columnLabels: [String] = [],
                coloring: Coloring = .sequential())
    {
        self.init(values: rows.map { $0.map(Double.init) }, rowLabels: rowLabels,
                  columnLabels: columnLabels, coloring: coloring)
    }

    /// The colour scale this heatmap uses with `theme`.
    public func colorScale(theme: Theme) -> ColorScale {
        let flat = values.flatMap { $0 }
        switch coloring {
        case .sequential(let range): return .sequential(values: flat, colormap: theme.sequential, range: range)
        case .diverging(let limit): return .diverging(values: flat, colormap: theme.diverging, limit: limit)
        }
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let rows = values.count, cols = values.map(\.count).max() ?? 0
        guard rows > 0, cols > 0 else { return [] }
        let fs = theme.tickSize, line = fs * 1.3, pad = 4.0
        let scale = colorScale(theme: theme)
        let bar = ColorBar(scale: scale, title: colorBarTitle)
        let barArea = showColorBar ? theme.gap * 2 + bar.width(theme: theme) : 0

        func label(_ list: [String], _ i: Int) -> String { i < list.count ? list[i] : "" }
        let rowTitleArea = rowTitle == nil ? 0 : theme.labelSize * 1.3 + theme.gap
        let colTitleArea = columnTitle == nil ? 0 : theme.labelSize * 1.3 + theme.gap
        let naturalRowW = (0..<rows).map { Fonts.width(label(rowLabels, $0), size: fs) }.max() ?? 0
        let rowLabelW = min(naturalRowW, frame.width * 0.22)
        let naturalColW = (0..<cols).map { Fonts.width(label(columnLabels, $0), size: fs) }.max() ?? 0
        let gridW = max(1, frame.width - rowTitleArea - rowLabelW - pad - barArea)

        // Column labels lie flat if they fit their column, else stand up (rotated −90°).
        func layout(rotated: Bool) -> (cell: Double, header: Double) {
            let header = naturalColW == 0 ? 0
                : rotated ? min(naturalColW, frame.height * 0.22) + pad : line + pad / 2
            let gridH = max(1, frame.height - colTitleArea - header)
            return (min(gridW / Double(cols), gridH / Double(rows), maximumCellSize), header)
        }
        var rotated = false
        var (cell, header) = layout(rotated: false)
        if naturalColW > cell - 2 {
            // Stand labels up only if that shows more of them than lying flat in the cell would.
            let upright = layout(rotated: true)
            if upright.header - pad > upright.cell - 2 {
                rotated = true
                (cell, header) = upright
            }
        }

        let gridWidth = cell * Double(cols), gridHeight = cell * Double(rows)
        let blockW = rowTitleArea + rowLabelW + pad + gridWidth + barArea
        let barH = showColorBar ? max(gridHeight, min(frame.height - colTitleArea - header, 96)) : gridHeight
        let blockH = colTitleArea + header + max(gridHeight, barH)
        // Centre the whole block in the frame.
        let left = frame.minX + max(0, (frame.width - blockW) / 2)
        let top = frame.minY + max(0, (frame.height - blockH) / 2)
        let gx = left + rowTitleArea + rowLabelW + pad, gy = top + colTitleArea + header

        var out: [Primitive] = []
        let separator = outlineCells ? Stroke(color: theme.grid, width: 0.75)
            : cell >= 10 ? Stroke(color: theme.background, width: 0.75) : nil
        for r in 0..<rows {
            for c in 0..<values[r].count {
                let v = values[r][c]
                let rect = Rect(x: gx + Double(c) * cell, y: gy + Double(r) * cell, width: cell, height: cell)
                if v.isNaN {
                    out.append(.rect(rect, stroke: Stroke(color: theme.grid, width: 0.5)))
                    continue
                }
                if v == -.infinity {
                    out += masked(rect, theme)
                    if separator != nil { out.append(.rect(rect, stroke: separator)) }
                    continue
                }
                let fill = scale.color(for: v)
                out.append(.rect(rect, fill: fill, stroke: separator))
                if showValues {
                    let text = r < cellLabels.count && c < cellLabels[r].count ? cellLabels[r][c]
                        : NumberFormat.short(v, digits: digits)
                    out += cellText(text, rect, theme.textColor(on: fill), theme)
                }
            }
        }

        for r in highlightedRows where r >= 0 && r < rows {
            out.append(.rect(Rect(x: gx, y: gy + Double(r) * cell, width: gridWidth, height: cell),
                             stroke: Stroke(color: theme.highlight, width: 2)))
        }
        // Row labels, right-aligned against the grid; thinned when rows are shorter than a line.
        for r in Thinning.indices(count: rows, spacing: cell, minSpacing: line) {
            let text = Fonts.elide(label(rowLabels, r), toWidth: rowLabelW, size: fs)
            out.append(.text(Label(text, at: Point(x: gx - pad, y: gy + (Double(r) + 0.5) * cell), size: fs,
                                   color: theme.foreground, horizontal: .trailing, vertical: .middle)))
        }
        if naturalColW > 0 {
            let kept = rotated ? Thinning.indices(count: cols, spacing: cell, minSpacing: line) : Array(0..<cols)
            for c in kept {
                let x = gx + (Double(c) + 0.5) * cell
                let text = label(columnLabels, c)
                if rotated {
                    let t = Fonts.elide(text, toWidth: header - pad, size: fs)
                    out.append(.text(Label(t, at: Point(x: x, y: gy - pad), size: fs, color: theme.foreground,
                                           horizontal: .leading, vertical: .middle, rotation: -90)))
                } else {
                    let t = Fonts.elide(text, toWidth: cell - 2, size: fs)
                    out.append(.text(Label(t, at: Point(x: x, y: gy - pad / 2), size: fs,
                                           color: theme.foreground, horizontal: .center, vertical: .bottom)))
                }
            }
        }
        if let rowTitle {
            out.append(.text(Label(Fonts.elide(rowTitle, toWidth: gridHeight, size: theme.labelSize),
                                   at: Point(x: left + theme.labelSize * 0.65, y: gy + gridHeight / 2),
                                   size: theme.labelSize, color: theme.muted, horizontal: .center,
                                   vertical: .middle, rotation: -90)))
        }
        if let columnTitle {
            out.append(.text(Label(Fonts.elide(columnTitle, toWidth: gridWidth + rowLabelW, size: theme.labelSize),
                                   at: Point(x: gx + gridWidth / 2, y: top), size: theme.labelSize,
                                   color: theme.muted, horizontal: .center, vertical: .top)))
        }
        let barFrame = Rect(x: gx + gridWidth + theme.gap * 2, y: gy, width: bar.width(theme: theme), height: barH)
        if showColorBar { out += bar.draw(in: barFrame, theme: theme) }
        return out
    }

    /// The value centred in its cell, if it fits at a readable size.
    private func cellText(_ s: String, _ rect: Rect, _ color: Color, _ theme: Theme) -> [Primitive] {
        let size = min(theme.annotationSize, rect.height * 0.42)
        guard size >= theme.minimumTextSize, Fonts.width(s, size: size) <= rect.width - 3 else { return [] }
        return [.text(Label(s, at: rect.center, size: size, color: color, horizontal: .center, vertical: .middle))]
    }

    /// A masked cell: grey with "/" hatching (analytically clipped to the cell), and "−∞" if it fits.
    private func masked(_ rect: Rect, _ theme: Theme) -> [Primitive] {
        var out: [Primitive] = [.rect(rect, fill: theme.maskedFill)]
        let s = rect.width
        if s >= 6 {
            var els: [PathElement] = []
            let d = max(3, s / 6)
            var c = d
            while c < 2 * s {
                // Line x + y = c inside the s×s square.
                let x0 = max(0, c - s), x1 = min(s, c)
                els.append(.move(Point(x: rect.minX + x0, y: rect.minY + c - x0)))
                els.append(.line(Point(x: rect.minX + x1, y: rect.minY + c - x1)))
                c += d
            }
            out.append(.path(Path(els), stroke: Stroke(color: theme.maskedHatch.withAlpha(0.55), width: 0.5)))
        }
        if showValues {
            let size = min(theme.annotationSize, rect.height * 0.42)
            if size >= theme.minimumTextSize, Fonts.width("−∞", size: size) <= rect.width - 3 {
                let chip = Rect(x: rect.midX - Fonts.width("−∞", size: size) / 2 - 1.5,
                                y: rect.midY - size * 0.55, width: Fonts.width("−∞", size: size) + 3,
                                height: size * 1.1)
                out.append(.rect(chip, fill: theme.maskedFill, cornerRadius: 1.5))
                out.append(.text(Label("−∞", at: rect.center, size: size, color: theme.foreground,
                                       horizontal: .center, vertical: .middle)))
            }
        }
        return out
    }
}
