import Foundation

/// A power law L = 10^intercept · N^slope, fitted as a straight line in log-log space.
public struct PowerLaw: Equatable, Sendable {
    /// b in log₁₀ L = a + b · log₁₀ N (negative when loss falls with size).
    public var slope: Double
    /// a in log₁₀ L = a + b · log₁₀ N.
    public var intercept: Double

    public init(slope: Double, intercept: Double) {
        self.slope = slope
        self.intercept = intercept
    }

    /// The law's value at `n`: 10^a · n^b.
    public func callAsFunction(_ n: Double) -> Double { pow(10, intercept + slope * log10(n)) }

    /// Ordinary least squares of log₁₀ L on log₁₀ N. Needs at least two points with different N,
    /// all N and L positive (a programming error otherwise).
    ///
    ///     PowerLaw.fit([(1e3, 4.0), (1e4, 2.0)])   // slope = log₁₀ 0.5 ≈ -0.301
    public static func fit(_ points: [(n: Double, loss: Double)]) -> PowerLaw {
        precondition(points.allSatisfy { $0.n > 0 && $0.loss > 0 }, "a power law needs positive N and L")
        let xs = points.map { log10($0.n) }, ys = points.map { log10($0.loss) }
        let count = Double(points.count)
        let mx = xs.reduce(0, +) / count, my = ys.reduce(0, +) / count
        var sxx = 0.0, sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - mx) * (x - mx)
            sxy += (x - mx) * (y - my)
        }
        precondition(points.count >= 2 && sxx > 0, "a power law needs two points with different N")
        let slope = sxy / sxx
        return PowerLaw(slope: slope, intercept: my - slope * mx)
    }
}
