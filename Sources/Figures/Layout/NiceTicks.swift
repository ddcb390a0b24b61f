import Foundation

/// Tick positions at "nice" numbers (1, 2, 5 × 10ⁿ), for linear and log axes.
///
/// ```swift
/// NiceTicks.linear(0, 0.93, count: 5)    // [0, 0.2, 0.4, 0.6, 0.8, 1.0] and domain 0…1
/// NiceTicks.log(0.003, 40)               // [0.001, 0.01, 0.1, 1, 10, 100]
/// ```
public enum NiceTicks {
    /// A nice step near `range / count`.
    public static func step(for range: Double, count: Int) -> Double {
        guard range > 0, range.isFinite else { return 1 }
        let raw = range / Double(max(1, count))
        let mag = pow(10, floor(log10(raw)))
        let f = raw / mag
        let nice: Double = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        return nice * mag
    }

    /// Ticks covering `lo…hi`, first ≤ lo and last ≥ hi (the axis domain is first…last).
    public static func linear(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        var (lo, hi) = (lo, hi)
        if !(hi > lo) { (lo, hi) = (lo - 1, hi + 1) }
        let s = step(for: hi - lo, count: count)
        let first = floor(lo / s + 1e-9), last = ceil(hi / s - 1e-9)
        // Multiply instead of accumulate so 0.1 + 0.2 noise never appears in labels.
        return stride(from: first, through: last, by: 1).map { ($0 * s * 1e12).rounded() / 1e12 }
    }

    /// Powers of ten covering `lo…hi` (both > 0); within one or two decades also 2× and 5×.
    public static func log(_ lo: Double, _ hi: Double) -> [Double] {
        let a = floor(log10(max(lo, .leastNormalMagnitude)))
        let b = max(a + 1, ceil(log10(max(hi, lo)) - 1e-12))
        let decades = stride(from: a, through: b, by: 1).map { pow(10, $0) }
        guard b - a <= 2 else { return decades }
        let fine = decades.dropLast().flatMap { [$0, 2 * $0, 5 * $0] } + [decades.last!]
        // Trim to the data: keep one tick at or below lo and one at or above hi.
        let first = fine.lastIndex { $0 <= lo * (1 + 1e-12) } ?? 0
        let last = fine.firstIndex { $0 >= hi * (1 - 1e-12) } ?? fine.count - 1
        return Array(fine[first...last])
    }
}
