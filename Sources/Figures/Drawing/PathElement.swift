/// One step of a `Path`.
///
/// ```swift
/// let steps: [PathElement] = [.move(Point(x: 0, y: 0)), .line(Point(x: 10, y: 0)), .close]
/// ```
public enum PathElement: Hashable, Sendable {
    case move(Point)
    case line(Point)
    /// A cubic Bézier with two control points and an end point.
    case curve(Point, Point, Point)
    case close
}
