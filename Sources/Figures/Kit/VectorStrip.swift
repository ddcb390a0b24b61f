/// A vector as one row of coloured cells (diverging by default), with an optional name on the
/// left and thinned index ticks below: embeddings, residual streams, a row of weights.
///
/// ```swift
/// VectorStrip(values: embedding, label: "wte[464]")
/// ```
public struct VectorStrip: Figure, Hashable, Sendable {
    public var values: [Double]
    public var label: String?
    public var coloring: Heatmap.Coloring
    public var showIndices: Bool
    /// Largest cell side in points.
    public var maximumCellSize: Double

    /// Creates a vector strip.
    public init(values: [Double], label: String? = nil, coloring: Heatmap.Coloring = .diverging(),
                showIndices: Bool = true, maximumCellSize: Double = 28)
    {
        self.values = values
        self.label = label
        self.coloring = coloring
        self.showIndices = showIndices
        self.maximumCellSize = maximumCellSize
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        let n = values.count
        guard n > 0 else { return [] }
        let fs = theme.tickSize
        let labelW = label.map { min(Fonts.width($0, size: theme.labelSize), frame.width * 0.25) + theme.gap } ?? 0
        let indexH = showIndices ? fs * 1.4 : 0
        let cell = max(0.5, min((frame.width - labelW) / Double(n), frame.height - indexH, maximumCellSize))
        let scale: ColorScale = switch coloring {
        case .sequential(let r): .sequential(values: values, colormap: theme.sequential, range: r)
        case .diverging(let l): .diverging(values: values, colormap: theme.diverging, limit: l)
        }
        let x0 = frame.minX + labelW
        let y0 = frame.minY + max(0, (frame.height - cell - indexH) / 2)
        var out: [Primitive] = []
        if let label {
            out.append(.text(Label(Fonts.elide(label, toWidth: labelW - theme.gap, size: theme.labelSize),
                                   at: Point(x: frame.minX, y: y0 + cell / 2), size: theme.labelSize,
                                   color: theme.foreground, vertical: .middle)))
        }
        let sep = cell >= 8 ? Stroke(color: theme.background, width: 0.5) : nil
        for (i, v) in values.enumerated() {
            let r = Rect(x: x0 + Double(i) * cell, y: y0, width: cell, height: cell)
            if v.isFinite {
                out.append(.rect(r, fill: scale.color(for: v), stroke: sep))
            } else {
                out.append(.rect(r, fill: theme.maskedFill, stroke: sep))
            }
        }
        out.append(.rect(Rect(x: x0, y: y0, width: cell * Double(n), height: cell),
                         stroke: Stroke(color: theme.grid, width: 0.5)))
        if showIndices {
            let widest = Fonts.width(String(n - 1), size: fs) + 6
            for i in Thinning.indices(count: n, spacing: cell, minSpacing: widest) {
                out.append(.text(Label(String(i), at: Point(x: x0 + (Double(i) + 0.5) * cell, y: y0 + cell + 2),
                                       size: fs, color: theme.muted, horizontal: .center, vertical: .top)))
            }
        }
        return out
    }
}
