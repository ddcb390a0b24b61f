// Vector helpers for the kernels: a SIMD exp and tanh (libm's scalar versions would dominate
// softmax and GELU), and partial loads/stores so loop tails use the very same arithmetic as the
// body — that keeps a cached decode step bit-identical to the full forward pass.

typealias F8 = SIMD8<Float>
typealias F16 = SIMD16<Float>

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> F8 {
    UnsafeRawPointer(p).loadUnaligned(as: F8.self)
}

@inline(__always)
func store8(_ v: F8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F8.self)
}

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> F16 {
    UnsafeRawPointer(p).loadUnaligned(as: F16.self)
}

@inline(__always)
func store16(_ v: F16, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self)
}

/// Loads `n` < 8 floats, the other lanes set to `fill`.
@inline(__always)
func loadPartial8(_ p: UnsafePointer<Float>, _ n: Int, fill: Float = 0) -> F8 {
    var v = F8(repeating: fill)
    for i in 0..<n { v[i] = p[i] }
    return v
}

@inline(__always)
func storePartial8(_ v: F8, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { p[i] = v[i] }
}

/// e^x for 8 lanes: Cephes-style range reduction x = n·ln2 + r, |r| ≤ ln2/2, a degree-6
/// polynomial for e^r, then scaling by 2^n through the exponent bits. Relative error ≈ 2e-7.
/// Inputs below -87 flush to 0 (so −∞ from the causal mask gives exactly 0).
@inline(__always)
func exp8(_ x: F8) -> F8 {
    let lo = F8(repeating: -87.0), hi = F8(repeating: 88.0)
    var x = x.replacing(with: lo, where: x .< lo)
    x = x.replacing(with: hi, where: x .> hi)
    // Adding 1.5·2²³ rounds x·log₂e to the nearest integer (ties to even) and leaves that
    // integer in the low mantissa bits: no float→int conversion, which SIMD does lane by lane.
    let magic = F8(repeating: 12582912.0)
    let t = x * 1.442695040888963 + magic
    let n = t - magic
    var r = x - n * 0.693359375          // ln2 split in two so n·ln2 is exact in the first part
    r = r + n * 2.12194440e-4
    var p = F8(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    p = p * (r * r) + r + 1
    let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let bits = (ni &+ 127) &<< 23
    let scale = unsafeBitCast(bits, to: F8.self)
    let result = p * scale
    return result.replacing(with: F8(repeating: 0), where: x .<= lo)
}

/// tanh for 8 lanes as 1 − 2/(e^{2x} + 1), exact limits ±1 for large |x|.
@inline(__always)
func tanh8(_ x: F8) -> F8 {
    let e = exp8(x * 2)
    return 1 - 2 / (e + 1)
}

/// e^x through the vector path, for the rare scalar call sites that must agree with it.
@inline(__always)
func expScalar(_ x: Float) -> Float { exp8(F8(repeating: x))[0] }

/// The largest of x[0..<n] (n ≥ 1; NaNs skipped), as `for j where x[j] > m { m = x[j] }` finds it,
/// in four chains of comparisons side by side instead of one waiting on the latency of the last.
/// The maximum does not depend on the order (only the sign of a zero maximum might, and x − (±0)
/// then gives the same exponentials).
@inline(__always)
func rowMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var m0 = -Float.greatestFiniteMagnitude, m1 = m0, m2 = m0, m3 = m0
    var j = 0
    while j + 4 <= n {
        if x[j] > m0 { m0 = x[j] }
        if x[j + 1] > m1 { m1 = x[j + 1] }
        if x[j + 2] > m2 { m2 = x[j + 2] }
        if x[j + 3] > m3 { m3 = x[j + 3] }
        j += 4
    }
    while j < n { if x[j] > m0 { m0 = x[j] }; j += 1 }
    if m1 > m0 { m0 = m1 }
    if m3 > m2 { m2 = m3 }
    return m2 > m0 ? m2 : m0
}
