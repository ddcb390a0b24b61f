/// Primitives drawn translated by an offset and optionally clipped, to compose panels.
///
/// ```swift
/// let panel = Group(translation: Point(x: 480, y: 0), items: heatmap.draw(in: frame, theme: .light))
/// ```
public struct Group: Hashable, Sendable {
    public var translation: Point
    /// Clip rectangle in the group's own coordinates; nil draws everything.
    public var clip: Rect?
    public var items: [Primitive]

    /// Creates a group.
    public init(translation: Point = .zero, clip: Rect? = nil, items: [Primitive]) {
        self.translation = translation
        self.clip = clip
        self.items = items
    }
}
