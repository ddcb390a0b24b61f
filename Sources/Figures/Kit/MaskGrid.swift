/// An attention mask as a grid: allowed cells hold "0" (the score passes unchanged), blocked
/// cells are hatched and hold "−∞" (softmax turns them into weight 0). Rows are queries,
/// columns keys; the grid may be rectangular (cross-attention).
///
/// ```swift
/// let causal = (0..<4).map { r in (0..<4).map { c in c <= r } }
/// MaskGrid(allowed: causal, rowLabels: ["我", "爱", "机器", "学习"], columnLabels: ["我", "爱", "机器", "学习"],
///          rowTitle: "query", columnTitle: "key")
/// ```
public struct MaskGrid: Figure, Hashable, Sendable {
    /// `allowed[query][key]`.
    public var allowed: [[Bool]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var rowTitle: String?
    public var columnTitle: String?
    /// Largest cell side in points.
    public var maximumCellSize: Double

    /// Creates a mask grid.
    public init(allowed: [[Bool]], rowLabels: [String] = [], columnLabels: [String] = [],
                rowTitle: String? = nil, columnTitle: String? = nil, maximumCellSize: Double = 48)
    {
        self.allowed = allowed
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.maximumCellSize = maximumCellSize
    }

    /// The causal (GPT) mask of `n` positions: key ≤ query.
    public static func causal(_ n: Int) -> [[Bool]] { (0..<n).map { r in (0..<n).map { $0 <= r } } }

    public func draw(in frame: Rect, theme: Theme) -> [Primitive] {
        // A heatmap of 0 and −∞ with per-cell text does all the layout; the allowed cells get a
        // flat panel colour from a one-colour map so they read as "open", not as a value.
        let values = allowed.map { $0.map { $0 ? 0.0 : -Double.infinity } }
        var theme = theme
        theme.sequential = Colormap(name: "mask", stops: [theme.background, theme.background])
        let labels = allowed.map { $0.map { $0 ? "0" : "−∞" } }
        return Heatmap(values: values, rowLabels: rowLabels, columnLabels: columnLabels,
                       coloring: .sequential(range: 0...1), rowTitle: rowTitle, columnTitle: columnTitle,
                       showValues: true, maximumCellSize: maximumCellSize, showColorBar: false, cellLabels: labels,
                       outlineCells: true)
            .draw(in: frame, theme: theme)
    }
}
