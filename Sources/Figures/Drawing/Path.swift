/// An open or closed outline made of lines and cubic curves.
///
/// ```swift
/// let zigzag = Path.polyline([Point(x: 0, y: 0), Point(x: 5, y: 5), Point(x: 10, y: 0)])
/// let arrowHead = Path.polygon([Point(x: 0, y: 0), Point(x: -6, y: -3), Point(x: -6, y: 3)])
/// ```
public struct Path: Hashable, Sendable {
    public var elements: [PathElement]

    /// Creates a path from its steps.
    public init(_ elements: [PathElement]) { self.elements = elements }

    /// A single segment.
    public static func line(from a: Point, to b: Point) -> Path { Path([.move(a), .line(b)]) }

    /// Segments through `points` in order (not closed).
    public static func polyline(_ points: [Point]) -> Path {
        guard let first = points.first else { return Path([]) }
        return Path([.move(first)] + points.dropFirst().map { .line($0) })
    }

    /// A closed polygon through `points`.
    public static func polygon(_ points: [Point]) -> Path {
        var p = polyline(points)
        if !points.isEmpty { p.elements.append(.close) }
        return p
    }
}
