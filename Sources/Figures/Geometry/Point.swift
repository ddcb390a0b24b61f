/// A position in points (1/72 inch), y grows downwards as on the page.
///
/// ```swift
/// let p = Point(x: 10, y: 20) + Point(x: 1, y: 1)   // (11, 21)
/// ```
public struct Point: Hashable, Sendable {
    public var x: Double
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The origin (0, 0).
    public static let zero = Point(x: 0, y: 0)

    /// Component-wise sum, used to apply a translation.
    public static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }

    /// Component-wise difference.
    public static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
}
