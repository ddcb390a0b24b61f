/// The two weights shipped by `fonts-noto-cjk`.
///
/// ```swift
/// Label("Attention", at: .zero, size: 12, weight: .bold)
/// ```
public enum FontWeight: Hashable, Sendable, CaseIterable {
    case regular
    case bold
}
