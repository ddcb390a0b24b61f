import Foundation
import Kernels

/// `gptx bench train --blas`: the matrix products of one training step, timed through our `gemm`
/// and through OpenBLAS's `cblas_sgemm` at the same shapes, so the achieved GFLOP/s of our kernel
/// stands next to a tuned library's on this machine.
///
/// OpenBLAS is opened at run time (`dlopen`), never linked: gptx neither needs nor ships it.
/// Debian's `libopenblas-dev` (or `libopenblas0`) provides `libopenblas.so.0`.
public struct MatmulShape: Sendable, Equatable, CustomStringConvertible {
    /// C[M, N] = op(A)·op(B) with a K-long inner dimension; `transA`: A is stored K×M (dW = Xᵀ·dY),
    /// `transB`: B is stored N×K (dX = dY·Wᵀ).
    public var M: Int, N: Int, K: Int
    public var transA: Bool, transB: Bool
    /// How many times one step runs this product.
    public var count: Int

    public var flops: Double { 2 * Double(M) * Double(N) * Double(K) * Double(count) }
    public var description: String {
        "\(M)×\(K)\(transA ? "ᵀ" : "")·\(K)×\(N)\(transB ? "ᵀ" : "") ×\(count)"
    }
}

public struct MatmulBenchRow: Sendable {
    public var shape: MatmulShape
    /// Seconds for all `count` products of the shape (median of the runs).
    public var ours: Double
    public var openBLAS: Double?
}

public enum MatmulBench {
    /// The products of one training step of `config` on `batchSize` full windows: per block the four
    /// linear layers (c_attn C→3C, c_proj C→C, c_fc C→4C, mlp_proj 4C→C) and the tied unembedding
    /// (C→V), each forward (X·W), backward to the input (dY·Wᵀ) and to the weight (Xᵀ·dY).
    /// Attention's own products (QKᵀ, ·V) are per head and tiny; `TrainBench.flops` counts them.
    public static func shapes(config: GPTConfig, batchSize: Int) -> [MatmulShape] {
        let BT = batchSize * config.contextLength, C = config.width, L = config.layers
        let layers: [(Int, Int, Int)] = [(C, 3 * C, L), (C, C, L), (C, 4 * C, L), (4 * C, C, L), (C, config.vocabSize, 1)]
        var out: [MatmulShape] = []
        for (IN, OUT, n) in layers {
            out.append(MatmulShape(M: BT, N: OUT, K: IN, transA: false, transB: false, count: n))   // forward
            out.append(MatmulShape(M: BT, N: IN, K: OUT, transA: false, transB: true, count: n))    // dX = dY·Wᵀ
            out.append(MatmulShape(M: IN, N: OUT, K: BT, transA: true, transB: false, count: n))    // dW = Xᵀ·dY
        }
        // Shapes that occur for several layers are merged (the unembedding's can equal a block's).
        var merged: [MatmulShape] = []
        for s in out {
            if let i = merged.firstIndex(where: { $0.M == s.M && $0.N == s.N && $0.K == s.K && $0.transA == s.transA && $0.transB == s.transB }) {
                merged[i].count += s.count
            } else { merged.append(s) }
        }
        return merged
    }

    /// Times every shape with our kernel and, when OpenBLAS can be opened, with `cblas_sgemm`
    /// (using `threads` threads, like ours). Our dY·Wᵀ is timed as the training step runs it:
    /// a transpose of W into scratch, then a row-major product.
    public static func run(config: GPTConfig, batchSize: Int, runs: Int = 7, threads: Int = kernelThreads) -> [MatmulBenchRow] {
        let blas = OpenBLAS.load()
        blas?.setThreads(threads)
        var rng = SplitMix64(seed: 7)
        return shapes(config: config, batchSize: batchSize).map { s in
            let a = (0..<(s.M * s.K)).map { _ in Float(rng.nextUniform() - 0.5) }
            let b = (0..<(s.K * s.N)).map { _ in Float(rng.nextUniform() - 0.5) }
            var c = [Float](repeating: 0, count: s.M * s.N)
            var scratch = [Float](repeating: 0, count: s.K * s.N)
            let ours = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in scratch.withUnsafeMutableBufferPointer { t in
                    Stopwatch.median(Stopwatch.samples(warmup: 2, runs: runs) {
                        for _ in 0..<s.count {
                            if s.transB {
                                // B is stored N×K; the step transposes it once, then multiplies.
                                transpose(b.baseAddress!, rows: s.N, cols: s.K, into: t.baseAddress!)
                                gemm(M: s.M, N: s.N, K: s.K, a: a.baseAddress!, sam: s.K, sak: 1,
                                     b: t.baseAddress!, ldb: s.N, c: c.baseAddress!, ldc: s.N, accumulate: true)
                            } else {
                                gemm(M: s.M, N: s.N, K: s.K, a: a.baseAddress!, sam: s.transA ? 1 : s.K, sak: s.transA ? s.M : 1,
                                     b: b.baseAddress!, ldb: s.N, c: c.baseAddress!, ldc: s.N, accumulate: true)
                            }
                        }
                    })
                } } } }
            let theirs = blas.map { blas in
                a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
                    Stopwatch.median(Stopwatch.samples(warmup: 2, runs: runs) {
                        for _ in 0..<s.count {
                            blas.sgemm(transA: s.transA, transB: s.transB, M: s.M, N: s.N, K: s.K,
                                       a: a.baseAddress!, lda: s.transA ? s.M : s.K,
                                       b: b.baseAddress!, ldb: s.transB ? s.K : s.N,
                                       c: c.baseAddress!, ldc: s.N)
                        }
                    })
                } } }
            }
            return MatmulBenchRow(shape: s, ours: ours, openBLAS: theirs)
        }
    }
}

/// `cblas_sgemm` from a run-time opened OpenBLAS (row-major, C = A·B + C).
struct OpenBLAS {
    private typealias SGEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float,
                                              UnsafePointer<Float>, Int32, UnsafePointer<Float>, Int32,
                                              Float, UnsafeMutablePointer<Float>, Int32) -> Void
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private let sgemmFunction: SGEMM
    private let setThreadsFunction: SetThreads?

    /// Nil when no OpenBLAS library can be opened.
    static func load() -> OpenBLAS? {
        for name in ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL), let sgemm = dlsym(handle, "cblas_sgemm") else { continue }
            let threads = dlsym(handle, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreads.self) }
            return OpenBLAS(sgemmFunction: unsafeBitCast(sgemm, to: SGEMM.self), setThreadsFunction: threads)
        }
        return nil
    }

    func setThreads(_ n: Int) { setThreadsFunction?(Int32(n)) }

    func sgemm(transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
               c: UnsafeMutablePointer<Float>, ldc: Int) {
        let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112
        sgemmFunction(rowMajor, transA ? trans : noTrans, transB ? trans : noTrans, Int32(M), Int32(N), Int32(K),
                      1, a, Int32(lda), b, Int32(ldb), 1, c, Int32(ldc))
    }
}
