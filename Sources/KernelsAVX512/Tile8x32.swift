// The AVX-512 register tile of `gemm` (Sources/Kernels/Matmul.swift), compiled on its own for
// AVX-512 (`-target-cpu skylake-avx512`) so the rest of gptx still runs on any AVX2 CPU; `gemm`
// calls it only when the CPU has AVX-512 (`cpuHasAVX512`).
//
//     C[8 rows, 32 columns] (+)= bias + A·B   — 16 zmm accumulators, two B vectors per k
//
// Sixteen independent accumulators keep both FMA units busy through the FMA latency (the AVX2
// tile's eight would leave them waiting). Each element is still init, then c = fma(a, b, c) for
// k = 0, 1, …, K−1 — the same sequence as every other tile, so the bits do not depend on the tile.

private typealias F16 = SIMD16<Float>

@inline(__always)
private func load(_ p: UnsafePointer<Float>) -> F16 { UnsafeRawPointer(p).loadUnaligned(as: F16.self) }

@inline(__always)
private func store(_ v: F16, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self) }

/// C[m, n] for 8 rows and 32 columns: A[m, k] at `a[m*sam + k*sak]`, B[k, n] at `b[k*ldb + n]`,
/// C[m, n] at `c[m*ldc + n]`; starts from C (`accumulate`), from `bias`, or from zero.
@inline(never)
public func avx512Tile8x32(_ K: Int, _ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int,
                           _ b: UnsafePointer<Float>, _ ldb: Int,
                           _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                           _ bias: UnsafePointer<Float>?, _ accumulate: Bool) {
    var x0, x1, x2, x3, x4, x5, x6, x7: F16
    var y0, y1, y2, y3, y4, y5, y6, y7: F16
    if accumulate {
        x0 = load(c); x1 = load(c + ldc); x2 = load(c + 2 * ldc); x3 = load(c + 3 * ldc)
        x4 = load(c + 4 * ldc); x5 = load(c + 5 * ldc); x6 = load(c + 6 * ldc); x7 = load(c + 7 * ldc)
        y0 = load(c + 16); y1 = load(c + ldc + 16); y2 = load(c + 2 * ldc + 16); y3 = load(c + 3 * ldc + 16)
        y4 = load(c + 4 * ldc + 16); y5 = load(c + 5 * ldc + 16); y6 = load(c + 6 * ldc + 16); y7 = load(c + 7 * ldc + 16)
    } else {
        let lo = bias.map { load($0) } ?? .zero, hi = bias.map { load($0 + 16) } ?? .zero
        x0 = lo; x1 = lo; x2 = lo; x3 = lo; x4 = lo; x5 = lo; x6 = lo; x7 = lo
        y0 = hi; y1 = hi; y2 = hi; y3 = hi; y4 = hi; y5 = hi; y6 = hi; y7 = hi
    }
    var pa = a, pb = b
    for _ in 0..<K {
        let b0 = load(pb), b1 = load(pb + 16)
        var s = F16(repeating: pa[0]); x0 = x0.addingProduct(s, b0); y0 = y0.addingProduct(s, b1)
        s = F16(repeating: pa[sam]); x1 = x1.addingProduct(s, b0); y1 = y1.addingProduct(s, b1)
        s = F16(repeating: pa[2 * sam]); x2 = x2.addingProduct(s, b0); y2 = y2.addingProduct(s, b1)
        s = F16(repeating: pa[3 * sam]); x3 = x3.addingProduct(s, b0); y3 = y3.addingProduct(s, b1)
        s = F16(repeating: pa[4 * sam]); x4 = x4.addingProduct(s, b0); y4 = y4.addingProduct(s, b1)
        s = F16(repeating: pa[5 * sam]); x5 = x5.addingProduct(s, b0); y5 = y5.addingProduct(s, b1)
        s = F16(repeating: pa[6 * sam]); x6 = x6.addingProduct(s, b0); y6 = y6.addingProduct(s, b1)
        s = F16(repeating: pa[7 * sam]); x7 = x7.addingProduct(s, b0); y7 = y7.addingProduct(s, b1)
        pa += sak
        pb += ldb
    }
    store(x0, c); store(x1, c + ldc); store(x2, c + 2 * ldc); store(x3, c + 3 * ldc)
    store(x4, c + 4 * ldc); store(x5, c + 5 * ldc); store(x6, c + 6 * ldc); store(x7, c + 7 * ldc)
    store(y0, c + 16); store(y1, c + ldc + 16); store(y2, c + 2 * ldc + 16); store(y3, c + 3 * ldc + 16)
    store(y4, c + 4 * ldc + 16); store(y5, c + 5 * ldc + 16); store(y6, c + 6 * ldc + 16); store(y7, c + 7 * ldc + 16)
}
