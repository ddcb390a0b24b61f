/// Which line of the em box sits on the label's anchor, vertically.
///
/// `top` and `bottom` are the em box (0.88 em above and 0.12 em below the baseline, as in
/// Noto Sans CJK), so labels in a row line up whatever their letters.
///
/// ```swift
/// Label("centred in a cell", at: cell.center, size: 8, horizontal: .center, vertical: .middle)
/// ```
public enum VerticalAlignment: Hashable, Sendable {
    case top
    case middle
    case baseline
    case bottom
}
