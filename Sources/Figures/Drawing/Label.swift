/// A single line of text placed at an anchor point, optionally rotated about it.
///
/// ```swift
/// // A column header reading bottom-to-top, its end touching the top of the grid.
/// Label("注意力", at: Point(x: 40, y: 90), size: 9, horizontal: .leading, vertical: .middle,
///       rotation: -90)
/// ```
public struct Label: Hashable, Sendable {
    public var text: String
    public var position: Point
    /// Font size in points.
    public var size: Double
    public var weight: FontWeight
    public var color: Color
    public var horizontal: HorizontalAlignment
    public var vertical: VerticalAlignment
    /// Degrees, clockwise on the page (y down); −90 reads bottom-to-top.
    public var rotation: Double

    /// Creates a label.
    public init(_ text: String, at position: Point, size: Double, weight: FontWeight = .regular,
                color: Color = .black, horizontal: HorizontalAlignment = .leading,
                vertical: VerticalAlignment = .baseline, rotation: Double = 0) {
        self.text = text
        self.position = position
        self.size = size
        self.weight = weight
        self.color = color
        self.horizontal = horizontal
        self.vertical = vertical
        self.rotation = rotation
    }

    /// The text's offset from the anchor to its baseline origin, before rotation.
    func baselineOffset(_ extent: TextExtent) -> Point {
        let dx: Double = switch horizontal {
        case .leading: 0
        case .center: -extent.advance / 2
        case .trailing: -extent.advance
        }
        let dy: Double = switch vertical {
        case .baseline: 0
        case .top: TextExtent.emAscent * size
        case .bottom: -TextExtent.emDescent * size
        case .middle: (TextExtent.emAscent - TextExtent.emDescent) / 2 * size
        }
        return Point(x: dx, y: dy)
    }

    /// The axis-aligned box holding the text (ink and em box), in the label's coordinates.
    ///
    /// Measured with the same font the renderers use, so layout code can test for overlap.
    public var bounds: Rect {
        let e = Fonts.measure(text, size: size, weight: weight)
        let o = baselineOffset(e)
        let local = Rect(x: o.x + e.minX, y: o.y - e.ascent, width: e.maxX - e.minX,
                         height: e.ascent + e.descent)
        guard rotation != 0 else { return local.offsetBy(position) }
        let a = rotation * Double.pi / 180, c = cos(a), s = sin(a)
        let corners = [Point(x: local.minX, y: local.minY), Point(x: local.maxX, y: local.minY),
                       Point(x: local.minX, y: local.maxY), Point(x: local.maxX, y: local.maxY)]
            .map { Point(x: $0.x * c - $0.y * s, y: $0.x * s + $0.y * c) }
        let xs = corners.map(\.x), ys = corners.map(\.y)
        return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
            .offsetBy(position)
    }
}

import Foundation
