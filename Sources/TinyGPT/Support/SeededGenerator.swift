/// A small, fast, seeded random number generator (SplitMix64), the same stream on every platform.
///
///     var rng = SeededGenerator(seed: 42)
///     let u = rng.nextUniform()   // in [0, 1)
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal by Box–Muller (one value per call, so the stream stays simple to replay).
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUniform()  // (0, 1], so the log is finite
        let u2 = nextUniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<n without modulo bias.
    public mutating func nextInt(below n: Int) -> Int {
        Int(next(upperBound: UInt64(n)))
    }
}

import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
