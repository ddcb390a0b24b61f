import Foundation

/// A small deterministic pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014).
///
/// Sampling records every uniform draw, so the same seed gives the same tokens on every machine
/// and a reader can replay a decision by hand. `SystemRandomNumberGenerator` would not.
///
///     var rng = SplitMix64(seed: 42)
///     let u = rng.nextUniform()   // in [0, 1)
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The whole state: 64 bits, advanced by a fixed odd constant each draw.
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1): the top 53 bits, so every value is exactly representable.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal by Box–Muller (one value per call, so the stream stays simple to replay):
    /// the initialisation draws its weights with it.
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUniform()  // (0, 1], so the log is finite
        let u2 = nextUniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A uniform integer in 0..<n without modulo bias (batch offsets, test sampling).
    public mutating func nextInt(below n: Int) -> Int {
        Int(next(upperBound: UInt64(n)))
    }

    /// `n` distinct elements of `pool`, a uniform draw without replacement (a partial Fisher–Yates
    /// shuffle of a copy: the first n swaps). The induction probe and the repeated training rows use it.
    public mutating func distinct<T>(_ n: Int, from pool: [T]) -> [T] {
        precondition(n <= pool.count, "cannot draw \(n) distinct elements from \(pool.count)")
        var shuffled = pool
        for i in 0..<n { shuffled.swapAt(i, i + nextInt(below: shuffled.count - i)) }
        return Array(shuffled.prefix(n))
    }
}
