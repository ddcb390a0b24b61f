/// Which of `count` evenly spaced labels to keep so neighbours are at least `minSpacing` apart.
///
/// ```swift
/// Thinning.indices(count: 64, spacing: 4, minSpacing: 11)   // [0, 3, 6, …, 63]
/// ```
public enum Thinning {
    /// Every k-th index with the smallest k that leaves enough room; the last index is kept
    /// too when it does not crowd its kept neighbour.
    public static func indices(count: Int, spacing: Double, minSpacing: Double) -> [Int] {
        guard count > 0 else { return [] }
        guard spacing > 0 else { return [0] }
        let k = max(1, Int((minSpacing / spacing).rounded(.up)))
        var kept = Array(stride(from: 0, to: count, by: k))
        if let last = kept.last, last != count - 1, Double(count - 1 - last) * spacing >= minSpacing {
            kept.append(count - 1)
        }
        return kept
    }
}
