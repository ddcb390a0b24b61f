// The one matrix product every linear layer, the tied unembedding and their gradients go through.
//
//     C[m, n] (+)= bias[n] + Σ_k A[m, k] · B[k, n]
//
// A is read through two strides (sam, sak), so a transposed operand (Aᵀ in dW = Xᵀ·dY) costs no
// copy; B and C are row-major. Each output element is always computed as init, then
// `c = fma(a, b, c)` for k = 0, 1, …, K−1 — the same sequence whatever tile it falls in, so a one-row
// product (a decode step) gives the same bits as that row inside a full-sequence product, and the
// AVX-512 tile (Sources/KernelsAVX512) the same bits as the AVX2 ones.

#if GPTX_AVX512_TILE
import KernelsAVX512
#endif

/// Whether `gemm` uses the 8×32 AVX-512 tile: on CPUs that have AVX-512 (`cpuHasAVX512`), in builds
/// that include it (not portable ones). Tests switch it off to compare the two paths bit for bit.
nonisolated(unsafe) public var gemmUsesAVX512: Bool = {
    #if GPTX_AVX512_TILE
    return cpuHasAVX512
    #else
    return false
    #endif
}()

/// Six rows, 16 columns: twelve ymm accumulators (of AVX2's sixteen registers), enough to cover
/// the FMA latency on both units.
@inline(__always)
private func tile6x16(_ K: Int, _ a: UnsafePointer<Float>, _ sam: Int, _ sak: Int,
                      _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                      _ bias: UnsafePointer<Float>?, _ accumulate: Bool) {
    var c0: F16, c1: F16, c2: F16, c3: F16, c4: F16, c5: F16
    if accumulate {
        c0 = load16(c); c1 = load16(c + ldc); c2 = load16(c + 2 * ldc)
        c3 = load16(c + 3 * ldc); c4 = load16(c + 4 * ldc); c5 = load16(c + 5 * ldc)
    } else {
        c0 = bias.map { load16($0) } ?? .zero
        c1 = c0; c2 = c0; c3 = c0; c4 = c0; c5 = c0
    }
    var pa = a, pb = b
    for _ in 0..<K {
        let bv = load16(pb)
        c0 = c0.addingProduct(F16(repeating: pa[0]), bv)
        c1 = c1.addingProduct(F16(repeating: pa[sam]), bv)
        c2 = c2.addingProduct(F16(repeating: pa[2 * sam]), bv)
        c3 = c3.addingProduct(F16(repeating: pa[3 * sam]), bv)
        c4 = c4.addingProduct(F16(repeating: pa[4 * sam]), bv)
        c5 = c5.addingProduct(F16(repeating: pa[5 * sam]), bv)
        pa += sak
        pb += ldb
    }
    store16(c0, c); store16(c1, c + ldc); store16(c2, c + 2 * ldc)
    store16(c3, c + 3 * ldc); store16(c4, c + 4 * ldc); store16(c5, c + 5 * ldc)
}

/// One row, 64 columns: a decode step (and a row past the last multiple of 4) is a one-row
/// product, where a single accumulator would wait on each FMA's latency; eight independent ones
/// keep the FMA units busy. Same per-element sequence as the other tiles.
@inline(__always)
private func tile1x64(_ K: Int, _ a: UnsafePointer<Float>, _ sak: Int,
                      _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ c: UnsafeMutablePointer<Float>,
                      _ bias: UnsafePointer<Float>?, _ accumulate: Bool) {
    var c0: F16, c1: F16, c2: F16, c3: F16
    if accumulate {
        c0 = load16(c); c1 = load16(c + 16); c2 = load16(c + 32); c3 = load16(c + 48)
    } else if let bias {
        c0 = load16(bias); c1 = load16(bias + 16); c2 = load16(bias + 32); c3 = load16(bias + 48)
    } else {
        c0 = .zero; c1 = .zero; c2 = .zero; c3 = .zero
    }
    var pa = a, pb = b
    for _ in 0..<K {
        let av = F16(repeating: pa[0])
        c0 = c0.addingProduct(av, load16(pb))
        c1 = c1.addingProduct(av, load16(pb + 16))
        c2 = c2.addingProduct(av, load16(pb + 32))
        c3 = c3.addingProduct(av, load16(pb + 48))
        pa += sak
        pb += ldb
    }
    store16(c0, c); store16(c1, c + 16); store16(c2, c + 32); store16(c3, c + 48)
}

/// One row, up to 8 columns (`n` ≤ 8): remainders of the wider tilings.
@inline(__always)
private func tile1x8(_ K: Int, _ a: UnsafePointer<Float>, _ sak: Int,
                     _ b: UnsafePointer<Float>, _ ldb: Int, _ n: Int,
                     _ c: UnsafeMutablePointer<Float>,
                     _ bias: UnsafePointer<Float>?, _ accumulate: Bool) {
    var acc: F8
    if accumulate {
        acc = n == 8 ? load8(c) : loadPartial8(c, n)
    } else if let bias {
        acc = n == 8 ? load8(bias) : loadPartial8(bias, n)
    } else {
        acc = .zero
    }
    var pa = a, pb = b
    if n == 8 {
        for _ in 0..<K { acc = acc.addingProduct(F8(repeating: pa[0]), load8(pb)); pa += sak; pb += ldb }
        store8(acc, c)
    } else {
        for _ in 0..<K { acc = acc.addingProduct(F8(repeating: pa[0]), loadPartial8(pb, n)); pa += sak; pb += ldb }
        storePartial8(acc, c, n)
    }
}

/// C[M, N] (+)= bias + A·B with A[m, k] at `a[m*sam + k*sak]`, B[k, n] at `b[k*ldb + n]`,
/// C[m, n] at `c[m*ldc + n]`. `accumulate` adds to C (then `bias` must be nil).
public func gemm(M: Int, N: Int, K: Int,
          a: UnsafePointer<Float>, sam: Int, sak: Int,
          b: UnsafePointer<Float>, ldb: Int,
          c: UnsafeMutablePointer<Float>, ldc: Int,
          bias: UnsafePointer<Float>? = nil, accumulate: Bool = false) {
    precondition(!(accumulate && bias != nil), "gemm: bias with accumulate")
    #if GPTX_AVX512_TILE
    if gemmUsesAVX512 && M >= 8 && N >= 32 {
        gemmPacked(M: M, N: N, K: K, a: a, sam: sam, sak: sak, b: b, ldb: ldb, c: c, ldc: ldc, bias: bias, accumulate: accumulate)
        return
    }
    #endif
    // Rows are split between threads in blocks of the tile's height, so every row keeps its tile.
    parallelChunks(M, work: M * N * K, align: 6) { rows in
        gemmRows(rows, N: N, K: K, a: a, sam: sam, sak: sak, b: b, ldb: ldb, c: c, ldc: ldc, bias: bias, accumulate: accumulate)
    }
}

#if GPTX_AVX512_TILE
/// Rows of B the 8×32 tile takes from one packed panel: 256 × 32 floats = 32 KiB, which stays in
/// L1 (48 KiB here) while every 8-row block of the chunk runs over it.
let packedDepth = 256

/// The AVX-512 path: C is cut into 8-row blocks and 32-column panels. For each run of
/// `packedDepth` k's, a panel of B is copied into a contiguous buffer, then every row block of the
/// chunk multiplies it from L1. Unpacked, B's rows lie `ldb` floats apart and a panel's lines fall
/// into a few L1 sets (ldb = 1024 puts them all in one), so each row block refetched B from L2.
/// Splitting K changes no bits: an element is stored after k0..<k0+256 and loaded again to go on
/// with k0+256, the same FMA sequence as one pass. Rows past the last multiple of 8 and columns
/// past the last multiple of 32 go through the one-row tiles (over all of K) afterwards.
///
/// Threads take work items of (row chunk, run of panels); chunks are whole row blocks, so an
/// element's tile never depends on the thread count. A chunk is at most 256 rows, so its A block
/// (256 × 256 floats) stays in L2 while the item's panels pass over it; items aim at eight (four
/// at least, when the rows allow), so both threads stay busy to the end.
private func gemmPacked(M: Int, N: Int, K: Int,
                        a: UnsafePointer<Float>, sam: Int, sak: Int,
                        b: UnsafePointer<Float>, ldb: Int,
                        c: UnsafeMutablePointer<Float>, ldc: Int,
                        bias: UnsafePointer<Float>?, accumulate: Bool) {
    let blocks = M / 8, panels = N / 32
    var chunks = (blocks + 31) / 32
    let groups = min(panels, max(1, (8 + chunks - 1) / chunks))
    let panelsPerGroup = (panels + groups - 1) / groups, runs = (panels + panelsPerGroup - 1) / panelsPerGroup
    if chunks * runs < 4 { chunks = min(blocks, (4 + runs - 1) / runs) }
    let blocksPerChunk = (blocks + chunks - 1) / chunks
    chunks = (blocks + blocksPerChunk - 1) / blocksPerChunk
    // A chunk of fewer than 16 row blocks does not repay the copy (a 32-token forward pass, the
    // weight gradients of 64 inputs): its tiles read B where it lies.
    let pack = blocksPerChunk >= 16
    parallelChunks(chunks * runs, work: M * N * K) { items in
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: pack ? packedDepth * 32 : 0)
        defer { buffer.deallocate() }
        for item in items {
            let run = item % runs, chunk = item / runs
            let p0 = run * panelsPerGroup, p1 = min(panels, p0 + panelsPerGroup)
            let m0 = chunk * blocksPerChunk * 8, m1 = min(blocks, (chunk + 1) * blocksPerChunk) * 8
            var k0 = 0
            repeat {
                let depth = pack ? min(packedDepth, K - k0) : K
                for panel in p0..<p1 {
                    let n = panel * 32
                    if pack {
                        for k in 0..<depth {
                            let src = b + (k0 + k) * ldb + n, dst = buffer + k * 32
                            store16(load16(src), dst); store16(load16(src + 16), dst + 16)
                        }
                    }
                    let panelB = pack ? UnsafePointer(buffer) : b + n, panelLd = pack ? 32 : ldb
                    var m = m0
                    while m < m1 {
                        avx512Tile8x32(depth, a + m * sam + k0 * sak, sam, sak, panelB, panelLd, c + m * ldc + n, ldc,
                                       k0 == 0 ? bias.map { $0 + n } : nil, accumulate || k0 > 0)
                        m += 8
                    }
                }
                k0 += depth
            } while k0 < K
        }
    }
    let n32 = panels * 32, m8 = blocks * 8
    if n32 < N {
        parallelChunks(m8, work: m8 * (N - n32) * K) { rows in
            for r in rows {
                rowTail(from: n32, r, N: N, K: K, a: a, sam: sam, sak: sak, b: b, ldb: ldb, c: c, ldc: ldc, bias: bias, accumulate: accumulate)
            }
        }
    }
    if m8 < M {
        gemmRows(m8..<M, N: N, K: K, a: a, sam: sam, sak: sak, b: b, ldb: ldb, c: c, ldc: ldc, bias: bias, accumulate: accumulate)
    }
}
#endif

private func gemmRows(_ rows: Range<Int>, N: Int, K: Int,
                      a: UnsafePointer<Float>, sam: Int, sak: Int,
                      b: UnsafePointer<Float>, ldb: Int,
                      c: UnsafeMutablePointer<Float>, ldc: Int,
                      bias: UnsafePointer<Float>?, accumulate: Bool) {
    var m = rows.lowerBound
    let n16 = N / 16 * 16
    while m + 6 <= rows.upperBound && n16 > 0 {
        var n = 0
        while n < n16 {
            tile6x16(K, a + m * sam, sam, sak, b + n, ldb, c + m * ldc + n, ldc, bias.map { $0 + n }, accumulate)
            n += 16
        }
        if n < N {
            for r in m..<(m + 6) {
                rowTail(from: n, r, N: N, K: K, a: a, sam: sam, sak: sak, b: b, ldb: ldb, c: c, ldc: ldc, bias: bias, accumulate: accumulate)
            }
        }
        m += 6
    }
    while m < rows.upperBound {
        var n = 0
        while n + 64 <= N {
            tile1x64(K, a + m * sam, sak, b + n, ldb, c + m * ldc + n, bias.map { $0 + n }, accumulate)
            n += 64
        }
        rowTail(from: n, m, N: N, K: K, a: a, sam: sam, sak: sak, b: b, ldb: ldb, c: c, ldc: ldc, bias: bias, accumulate: accumulate)
        m += 1
    }
}

/// Row `m`, columns `from..<N`, in 1×8 tiles.
@inline(__always)
private func rowTail(from start: Int, _ m: Int, N: Int, K: Int,
                     a: UnsafePointer<Float>, sam: Int, sak: Int,
                     b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int,
                     bias: UnsafePointer<Float>?, accumulate: Bool) {
    var n = start
    while n < N {
        let w = min(8, N - n)
        tile1x8(K, a + m * sam, sak, b + n, ldb, w, c + m * ldc + n, bias.map { $0 + n }, accumulate)
        n += w
    }
}

// MARK: - Linear layer: out = inp · W + b, W input-major [IN, OUT] as GPT-2's Conv1D.

/// out (N, OUT) = inp (N, IN) · weight (IN, OUT) + bias (OUT)
public func matmulForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                   _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                   N: Int, IN: Int, OUT: Int) {
    gemm(M: N, N: OUT, K: IN, a: inp, sam: IN, sak: 1, b: weight, ldb: OUT, c: out, ldc: OUT, bias: bias)
}

/// The linear layer's backward pass in its two halves: `matmulBackwardInput` is row by row (each
/// shard of a training batch for its own rows), `matmulBackwardWeights` sums over the rows (the
/// shards add theirs in turn, in row order).

/// dinp (N, IN) = dout · Wᵀ (overwritten: each layer input has this one gradient).
/// `weightT` (OUT, IN) is Wᵀ (`transpose` of the weight), so the product runs along contiguous
/// rows; the caller transposes each weight once for all the shards of a step.
public func matmulBackwardInput(_ dinp: UnsafeMutablePointer<Float>, _ dout: UnsafePointer<Float>,
                                weightT: UnsafePointer<Float>, N: Int, IN: Int, OUT: Int) {
    gemm(M: N, N: IN, K: OUT, a: dout, sam: OUT, sak: 1, b: weightT, ldb: IN, c: dinp, ldc: IN)
}

/// dweight (IN, OUT) += inpᵀ · dout, dbias (OUT) += Σₙ dout, over the N rows in order. Both are
/// `gemm`'s and `columnSums`'s running sums, so rows 0..<n then n..<N in two calls give the bits
/// of one call over all N.
public func matmulBackwardWeights(_ dweight: UnsafeMutablePointer<Float>, _ dbias: UnsafeMutablePointer<Float>?,
                                  _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Float>, N: Int, IN: Int, OUT: Int) {
    gemm(M: IN, N: OUT, K: N, a: inp, sam: 1, sak: IN, b: dout, ldb: OUT, c: dweight, ldc: OUT, accumulate: true)
    if let dbias { columnSums(dout, rows: N, cols: OUT, into: dbias) }
}

/// sums (cols) += Σᵣ m[r, ·] over the rows in order (each column's additions as a plain loop's),
/// sixteen columns at a time, column blocks split between threads.
public func columnSums(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into sums: UnsafeMutablePointer<Float>) {
    parallelChunks(cols, work: rows * cols * 4, align: 16) { range in
        var c = range.lowerBound
        while c + 16 <= range.upperBound {
            var acc = load16(sums + c), p = m + c
            for _ in 0..<rows { acc += load16(p); p += cols }
            store16(acc, sums + c)
            c += 16
        }
        while c < range.upperBound {
            var acc = sums[c], p = m + c
            for _ in 0..<rows { acc += p[0]; p += cols }
            sums[c] = acc
            c += 1
        }
    }
}

/// dst (cols, rows) = srcᵀ for src (rows, cols), in 16×16 blocks so reads and writes both stay
/// within a few cache lines (a plain double loop strides the whole matrix on every write).
public func transpose(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>) {
    let block = 16
    var r0 = 0
    while r0 < rows {
        let r1 = min(rows, r0 + block)
        var c0 = 0
        while c0 < cols {
            let c1 = min(cols, c0 + block)
            for r in r0..<r1 {
                for c in c0..<c1 { dst[c * rows + r] = src[r * cols + c] }
            }
            c0 = c1
        }
        r0 = r1
    }
}
