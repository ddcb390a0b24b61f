/// A grid of panels with column headers on top and row headers on the left, e.g. every
/// attention head (columns) of every layer (rows).
///
/// ```swift
/// SmallMultiples(rows: 2, columns: 4, rowHeaders: ["layer 0", "layer 1"],
///                columnHeaders: (0..<4).map { "head \($0)" }) { l, h in
///     Heatmap(values: pattern(l, h), showValues: false)
/// }
/// ```
public struct SmallMultiples: Figure {
    public var rows: Int
    public var columns: Int
    public var rowHeaders: [String]
    public var columnHeaders: [String]
    /// The figure of panel (row, column).
    public var panel: (Int, Int) -> any Figure

    /// Creates a grid of `rows × columns` panels.
    public init(rows: Int, columns: Int, rowHeaders: [String] = [], columnHeaders: [String] = [],
                panel: @escaping (Int, Int) -> any Figure)
    {
        self.rows = rows
        self.columns = columns
        self.rowHeaders = rowHeaders
        self.columnHeaders = columnHeaders
        self.panel = panel
    }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        guard rows > 0, columns > 0 else { return [] }
        let fs = theme.labelSize
        let headerH = columnHeaders.isEmpty ? 0 : fs * 1.6
        let natural = rowHeaders.map { Fonts.width($0, size: fs, weight: .bold) }.max() ?? 0
        let headerW = rowHeaders.isEmpty ? 0 : min(natural, frame.width * 0.15) + theme.gap
        let cw = (frame.width - headerW) / Double(columns), rh = (frame.height - headerH) / Double(rows)
        var out: [Primitive] = []
        for (c, h) in columnHeaders.prefix(columns).enumerated() {
            out.append(.text(Label(Fonts.elide(h, toWidth: cw - 4, size: fs, weight: .bold),
                                   at: Point(x: frame.minX + headerW + (Double(c) + 0.5) * cw, y: frame.minY),
                                   size: fs, weight: .bold, color: theme.foreground, horizontal: .center,
                                   vertical: .top)))
        }
        for (r, h) in rowHeaders.prefix(rows).enumerated() {
            out.append(.text(Label(Fonts.elide(h, toWidth: headerW - theme.gap, size: fs, weight: .bold),
                                   at: Point(x: frame.minX, y: frame.minY + headerH + (Double(r) + 0.5) * rh),
                                   size: fs, weight: .bold, color: theme.foreground, vertical: .middle)))
        }
        for r in 0..<rows {
            for c in 0..<columns {
                // Each panel is drawn at the origin and translated, so panels stay independent.
                let cell = Rect(x: 0, y: 0, width: cw, height: rh).insetBy(theme.gap / 2)
                let items = panel(r, c).draw(in: cell, theme: theme)
                out.append(.group(Group(translation: Point(x: frame.minX + headerW + Double(c) * cw,
                                                           y: frame.minY + headerH + Double(r) * rh),
                                        items: items)))
            }
        }
        return out
    }
}
