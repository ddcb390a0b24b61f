/// An axis-aligned rectangle in points: origin is the top-left corner.
///
/// ```swift
/// let r = Rect(x: 0, y: 0, width: 100, height: 50).insetBy(8)   // (8, 8, 84, 34)
/// r.contains(Rect(x: 10, y: 10, width: 5, height: 5))            // true
/// ```
public struct Rect: Hashable, Sendable {
    public var origin: Point
    public var size: Size

    /// Creates a rectangle from its top-left corner and size.
    public init(origin: Point, size: Size) {
        self.origin = origin
        self.size = size
    }

    /// Creates a rectangle from coordinates.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.init(origin: Point(x: x, y: y), size: Size(width: width, height: height))
    }

    public var minX: Double { origin.x }
    public var minY: Double { origin.y }
    public var maxX: Double { origin.x + size.width }
    public var maxY: Double { origin.y + size.height }
    public var midX: Double { origin.x + size.width / 2 }
    public var midY: Double { origin.y + size.height / 2 }
    public var width: Double { size.width }
    public var height: Double { size.height }
    public var center: Point { Point(x: midX, y: midY) }

    /// The rectangle shrunk by `d` on every side.
    public func insetBy(_ d: Double) -> Rect { insetBy(dx: d, dy: d) }

    /// The rectangle shrunk by `dx` left and right and `dy` top and bottom.
    public func insetBy(dx: Double, dy: Double) -> Rect {
        Rect(x: minX + dx, y: minY + dy, width: max(0, width - 2 * dx), height: max(0, height - 2 * dy))
    }

    /// The rectangle moved by `d`.
    public func offsetBy(_ d: Point) -> Rect { Rect(origin: origin + d, size: size) }

    /// Whether `other` lies inside (edges may touch; `tolerance` absorbs float noise).
    public func contains(_ other: Rect, tolerance: Double = 1e-6) -> Bool {
        other.minX >= minX - tolerance && other.maxX <= maxX + tolerance
            && other.minY >= minY - tolerance && other.maxY <= maxY + tolerance
    }

    /// Whether the two rectangles share interior area.
    public func intersects(_ other: Rect) -> Bool {
        other.minX < maxX && other.maxX > minX && other.minY < maxY && other.maxY > minY
    }

    /// The smallest rectangle holding both.
    public func union(_ other: Rect) -> Rect {
        let x0 = min(minX, other.minX), y0 = min(minY, other.minY)
        return Rect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }
}
