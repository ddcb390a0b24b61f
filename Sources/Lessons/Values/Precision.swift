import Foundation
import TinyGPT

/// Rounding FP32 weights to 16-bit formats, and what it costs (chapter 10).
public enum Precision {
    /// x rounded to IEEE half precision (5 exponent, 10 mantissa bits), back in FP32.
    public static func fp16(_ x: Float) -> Float { Float(Float16(x)) }

    /// x rounded to bfloat16 (8 exponent, 7 mantissa bits; round to nearest, ties to even), back in FP32.
    public static func bf16(_ x: Float) -> Float {
        guard x.isFinite else { return x }
        let bits = x.bitPattern
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000
        return Float(bitPattern: rounded)
    }

    /// The smallest positive normal FP16 number, 2⁻¹⁴; below it FP16 keeps fewer mantissa bits.
    public static let fp16MinNormal: Float = 0x1p-14

    /// Relative rounding error |r(x) − x| / |x| over the non-zero weights.
    public struct Errors: Sendable, Equatable {
        public var max: Double
        public var mean: Double
        /// How many non-zero weights were measured.
        public var count: Int
    }

    /// Largest and mean relative error of `round` over `weights` (zeros skipped: they round exactly).
    public static func errors(_ weights: [Float], _ round: (Float) -> Float) -> Errors {
        var maxError = 0.0, sum = 0.0, n = 0
        for x in weights where x != 0 {
            let e = Double(abs(round(x) - x)) / Double(abs(x))
            maxError = Swift.max(maxError, e)
            sum += e
            n += 1
        }
        return Errors(max: maxError, mean: n == 0 ? 0 : sum / Double(n), count: n)
    }
}
