/// One named series of a `LineChart`.
///
/// ```swift
/// LineSeries(name: "train loss", x: steps.map(Double.init), y: losses)
/// ```
public struct LineSeries: Hashable, Sendable {
    public var name: String
    public var points: [Point]

    /// Creates a series from points (x, y).
    public init(name: String, points: [Point]) {
        self.name = name
        self.points = points
    }

    /// Creates a series from parallel x and y arrays.
    public init(name: String, x: [Double], y: [Double]) {
        self.init(name: name, points: zip(x, y).map { Point(x: $0, y: $1) })
    }
}
