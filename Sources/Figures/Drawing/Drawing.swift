/// A figure as a value: a page size, a display list, and the words that describe it.
///
/// Figure functions return one; `png(scale:)`, `svg()` and `pdf()` turn it into bytes, the same
/// bytes for the same drawing.
///
/// ```swift
/// var d = Drawing(size: Size(width: 200, height: 100), title: "Two boxes",
///                 description: "A blue box left of an orange box.", background: .white)
/// d.items.append(.rect(Rect(x: 10, y: 10, width: 80, height: 80), fill: Color(hex: 0x0072B2)))
/// d.items.append(.rect(Rect(x: 110, y: 10, width: 80, height: 80), fill: Color(hex: 0xE69F00)))
/// let png = try d.png(scale: 2)
/// ```
public struct Drawing: Hashable, Sendable {
    /// Page size in points.
    public var size: Size
    /// Short title, written to SVG `<title>` and PDF metadata.
    public var title: String
    /// Alt text: what the figure shows, for readers who cannot see it (SVG `<desc>`).
    public var description: String
    /// Fill of the whole page; nil leaves it transparent.
    public var background: Color?
    public var items: [Primitive]

    /// Creates a drawing.
    public init(size: Size, title: String, description: String, background: Color? = nil,
                items: [Primitive] = []) {
        self.size = size
        self.title = title
        self.description = description
        self.background = background
        self.items = items
    }

    /// The page as a rectangle at the origin.
    public var bounds: Rect { Rect(origin: .zero, size: size) }

    /// Every label with its bounding box in page coordinates (group translations applied).
    ///
    /// ```swift
    /// let outside = drawing.labelBounds().filter { !drawing.bounds.contains($0.bounds) }
    /// ```
    public func labelBounds() -> [(label: Label, bounds: Rect)] {
        var out: [(Label, Rect)] = []
        func walk(_ items: [Primitive], _ offset: Point) {
            for item in items {
                switch item {
                case .text(let l): out.append((l, l.bounds.offsetBy(offset)))
                case .group(let g): walk(g.items, offset + g.translation)
                default: break
                }
            }
        }
        walk(items, .zero)
        return out
    }
}
