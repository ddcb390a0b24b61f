import Foundation

/// Why attention divides by √d_k, measured: for each head of block `layer`, the dot products
/// q_i · k_j over the pairs the mask keeps (j ≤ i), their variance before and after dividing by
/// √d_k, and what softmax makes of each row either way (its largest weight, averaged over rows).
/// One computation for chapter 5's numbers and the `scoreScaling` figure.
///
///     let s = ScoreScaling(projection: QKVProjection(trace: trace, layer: 0))
///     s.pooled.rawVariance      // Var(q·k), the mean over the heads
///     s.pooled.scaledVariance   // the same divided by d_k
public struct ScoreScaling: Sendable {
    public struct Measure: Sendable, Hashable {
        /// Kept (query, key) pairs.
        public var pairs: Int
        /// Var(q·k) and Var(q·k/√d_k) (population variances).
        public var rawVariance: Double
        public var scaledVariance: Double
        /// Mean over rows of the largest softmax weight, with the division and without it.
        public var scaledPeak: Double
        public var rawPeak: Double
    }

    public let layer: Int
    /// d_k, the head width.
    public let headSize: Int
    /// Rows that have more than one kept key (the first row has only itself: its weight is 1 either way).
    public let rows: Int
    /// One measure per head, and their mean over the heads (each head's variance is about its own mean).
    public let heads: [Measure]
    public let pooled: Measure

    public init(projection p: QKVProjection) {
        layer = p.layer
        headSize = p.headSize
        let T = p.positions, scale = Double(p.headSize).squareRoot()
        rows = max(0, T - 1)
        func variance(_ xs: [Double]) -> Double {
            let m = xs.reduce(0, +) / Double(max(1, xs.count))
            return xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, xs.count))
        }
        func peak(_ row: [Double]) -> Double {
            let m = row.max()!
            let e = row.map { exp($0 - m) }
            return e.max()! / e.reduce(0, +)
        }
        let perHead = (0..<p.heads).map { h in
            var dots: [Double] = [], rawPeaks = 0.0, scaledPeaks = 0.0
            for i in 0..<T {
                let row = (0...i).map { p.dot(query: i, key: $0, head: h) }
                dots += row
                if i > 0 { rawPeaks += peak(row); scaledPeaks += peak(row.map { $0 / scale }) }
            }
            let n = Double(max(1, T - 1)), v = variance(dots)
            return Measure(pairs: dots.count, rawVariance: v, scaledVariance: variance(dots.map { $0 / scale }),
                           scaledPeak: scaledPeaks / n, rawPeak: rawPeaks / n)
        }
        heads = perHead
        let n = Double(max(1, perHead.count))
        func mean(_ f: (Measure) -> Double) -> Double { perHead.reduce(0) { $0 + f($1) } / n }
        pooled = Measure(pairs: perHead.reduce(0) { $0 + $1.pairs }, rawVariance: mean(\.rawVariance), scaledVariance: mean(\.scaledVariance),
                         scaledPeak: mean(\.scaledPeak), rawPeak: mean(\.rawPeak))
    }
}
