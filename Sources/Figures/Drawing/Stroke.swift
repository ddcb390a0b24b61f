/// How a line is drawn: colour, width in points and an optional dash pattern.
///
/// ```swift
/// let dashed = Stroke(color: .black, width: 1, dash: [4, 3])
/// ```
public struct Stroke: Hashable, Sendable {
    public var color: Color
    public var width: Double
    /// On/off lengths in points; empty means solid.
    public var dash: [Double]

    /// Creates a stroke.
    public init(color: Color, width: Double = 1, dash: [Double] = []) {
        self.color = color
        self.width = width
        self.dash = dash
    }
}
