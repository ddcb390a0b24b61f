/// One entry of a drawing's display list.
///
/// ```swift
/// let items: [Primitive] = [
///     .rect(Rect(x: 0, y: 0, width: 20, height: 20), fill: Color(hex: 0x0072B2)),
///     .path(.line(from: .zero, to: Point(x: 20, y: 20)), stroke: Stroke(color: .black, dash: [2, 2])),
///     .circle(center: Point(x: 10, y: 10), radius: 3, fill: .white),
///     .text(Label("−∞", at: Point(x: 10, y: 10), size: 8, horizontal: .center, vertical: .middle)),
/// ]
/// ```
public indirect enum Primitive: Hashable, Sendable {
    case rect(Rect, fill: Color? = nil, stroke: Stroke? = nil, cornerRadius: Double = 0)
    case path(Path, fill: Color? = nil, stroke: Stroke? = nil)
    case circle(center: Point, radius: Double, fill: Color? = nil, stroke: Stroke? = nil)
    case text(Label)
    case group(Group)
}
