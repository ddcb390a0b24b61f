/// A width and height in points.
///
/// ```swift
/// let slide = Size.slide16x9          // 960 × 540 pt
/// let half = Size(width: 480, height: 270)
/// ```
public struct Size: Hashable, Sendable {
    public var width: Double
    public var height: Double

    /// Creates a size.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}
