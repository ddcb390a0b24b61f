/// Which point of the text's advance box sits on the label's anchor, horizontally.
///
/// ```swift
/// Label("right-aligned", at: Point(x: 100, y: 10), size: 9, horizontal: .trailing)
/// ```
public enum HorizontalAlignment: Hashable, Sendable {
    case leading
    case center
    case trailing
}
