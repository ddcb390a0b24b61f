// Causal self-attention, per head: scores sᵢⱼ = qᵢ·kⱼ/√HS for j ≤ i (the mask M puts −∞ at j > i),
// pattern = softmax(s + M) row by row, zᵢ = Σⱼ patternᵢⱼ vⱼ.
//
// `attentionRow` is the whole computation for one query of one head; the full-sequence forward
// and the key/value-cache decode step both call it, so they agree to the bit.

/// One query against keys 0..<n: preatt (n) = scores, att (n) = softmax, out (HS) = att·V.
/// k and v rows are `kStride` / `vStride` floats apart.
@inline(__always)
public func attentionRow(_ out: UnsafeMutablePointer<Float>, _ preatt: UnsafeMutablePointer<Float>,
                  _ att: UnsafeMutablePointer<Float>, _ q: UnsafePointer<Float>,
                  _ k: UnsafePointer<Float>, kStride: Int, _ v: UnsafePointer<Float>, vStride: Int,
                  n: Int, HS: Int, scale: Float) {
    for j in 0..<n { preatt[j] = dot(q, k + j * kStride, HS) * scale }
    softmaxAndMix(out, preatt, att, v, vStride: vStride, n: n, HS: HS)
}

/// att (n) = softmax(preatt (n)), out (HS) = Σⱼ attⱼ vⱼ: the rest of `attentionRow` once the scores are in.
@inline(__always)
func softmaxAndMix(_ out: UnsafeMutablePointer<Float>, _ preatt: UnsafePointer<Float>, _ att: UnsafeMutablePointer<Float>,
                   _ v: UnsafePointer<Float>, vStride: Int, n: Int, HS: Int) {
    softmaxRow(preatt, att, n: n)
    out.update(repeating: 0, count: HS)
    accumulateRows(out, att, v, stride: vStride, n: n, HS: HS)
}

/// att (n) = softmax(preatt (n)).
@inline(__always)
func softmaxRow(_ preatt: UnsafePointer<Float>, _ att: UnsafeMutablePointer<Float>, n: Int) {
    let maxval = rowMax(preatt, n)
    // Softmax with the row maximum subtracted: e^(s−max) ≤ 1, so nothing overflows.
    var sum8 = F8.zero
    var j = 0
    while j + 8 <= n {
        let e = exp8(load8(preatt + j) - maxval)
        store8(e, att + j); sum8 += e; j += 8
    }
    if j < n {
        let e = exp8(loadPartial8(preatt + j, n - j) - maxval)
        let kept = e.replacing(with: F8(repeating: 0), where: SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .>= SIMD8<Int32>(repeating: Int32(n - j)))
        storePartial8(kept, att + j, n - j); sum8 += kept
    }
    let inv = 1 / sum8.sum()
    j = 0
    while j + 8 <= n { store8(load8(att + j) * inv, att + j); j += 8 }
    while j < n { att[j] *= inv; j += 1 }
}

/// y (HS) += Σⱼ w[j·wStride]·rowⱼ for j = 0..<n in order, each step `axpy`'s y + w·x (a product,
/// then a sum, both rounded), so the bits are those of n `axpy` calls; for HS a multiple of 8 up
/// to 32 y stays in registers instead of going through memory at every j.
@inline(__always)
func accumulateRows(_ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, wStride: Int = 1,
                    _ rows: UnsafePointer<Float>, stride: Int, n: Int, HS: Int) {
    guard HS % 8 == 0, HS <= 32 else {
        for j in 0..<n { axpy(w[j * wStride], rows + j * stride, y, HS) }
        return
    }
    let lanes = HS / 8
    var y0 = load8(y), y1 = lanes > 1 ? load8(y + 8) : .zero
    var y2 = lanes > 2 ? load8(y + 16) : .zero, y3 = lanes > 3 ? load8(y + 24) : .zero
    var r = rows
    var pw = w
    for _ in 0..<n {
        let a = F8(repeating: pw[0])
        pw += wStride
        y0 = y0 + a * load8(r)
        if lanes > 1 { y1 = y1 + a * load8(r + 8) }
        if lanes > 2 { y2 = y2 + a * load8(r + 16) }
        if lanes > 3 { y3 = y3 + a * load8(r + 24) }
        r += stride
    }
    store8(y0, y)
    if lanes > 1 { store8(y1, y + 8) }
    if lanes > 2 { store8(y2, y + 16) }
    if lanes > 3 { store8(y3, y + 24) }
}

/// How many outputs `accumulateRowsGrouped` sums at once (G) and how many F8 each row takes (lanes).
protocol GroupShape { static var lanes: Int { get }; static var G: Int { get } }
enum Rows8: GroupShape { static var lanes: Int { 1 }; static var G: Int { 8 } }
enum Rows16: GroupShape { static var lanes: Int { 2 }; static var G: Int { 4 } }
enum Rows24: GroupShape { static var lanes: Int { 3 }; static var G: Int { 2 } }
enum Rows32: GroupShape { static var lanes: Int { 4 }; static var G: Int { 2 } }
/// Any other head size: one output at a time through `accumulateRows`.
enum RowsAny: GroupShape { static var lanes: Int { 0 }; static var G: Int { 1 } }

/// `accumulateRows` for G outputs at once: yᵍ (HS = 8·lanes) += Σᵢ w[g·wGroup + i·wStride]·rowᵢ for
/// i = 0..<n in order, output g at y + g·yStride. Each output's additions are `accumulateRows`'s,
/// in the same order (so the same bits); G·lanes ≤ 8 chains of additions run side by side instead
/// of one waiting on the latency of the last. `Shape` fixes `lanes` and `G`, so each shape's copy
/// of this function has them as constants.
@inline(__always)
func accumulateRowsGrouped<Shape: GroupShape>(_: Shape.Type, _ y: UnsafeMutablePointer<Float>, yStride: Int,
                           _ w: UnsafePointer<Float>, wGroup: Int, wStride: Int,
                           _ rows: UnsafePointer<Float>, stride: Int, n: Int) {
    let lanes = Shape.lanes, S = Shape.G * lanes
    var a0 = 0 < S ? load8(y + (0 / lanes) * yStride + (0 % lanes) * 8) : .zero
    var a1 = 1 < S ? load8(y + (1 / lanes) * yStride + (1 % lanes) * 8) : .zero
    var a2 = 2 < S ? load8(y + (2 / lanes) * yStride + (2 % lanes) * 8) : .zero
    var a3 = 3 < S ? load8(y + (3 / lanes) * yStride + (3 % lanes) * 8) : .zero
    var a4 = 4 < S ? load8(y + (4 / lanes) * yStride + (4 % lanes) * 8) : .zero
    var a5 = 5 < S ? load8(y + (5 / lanes) * yStride + (5 % lanes) * 8) : .zero
    var a6 = 6 < S ? load8(y + (6 / lanes) * yStride + (6 % lanes) * 8) : .zero
    var a7 = 7 < S ? load8(y + (7 / lanes) * yStride + (7 % lanes) * 8) : .zero
    var r = rows, iw = 0
    for _ in 0..<n {
        if 0 < S { a0 = a0 + F8(repeating: w[(0 / lanes) * wGroup + iw]) * load8(r + (0 % lanes) * 8) }
        if 1 < S { a1 = a1 + F8(repeating: w[(1 / lanes) * wGroup + iw]) * load8(r + (1 % lanes) * 8) }
        if 2 < S { a2 = a2 + F8(repeating: w[(2 / lanes) * wGroup + iw]) * load8(r + (2 % lanes) * 8) }
        if 3 < S { a3 = a3 + F8(repeating: w[(3 / lanes) * wGroup + iw]) * load8(r + (3 % lanes) * 8) }
        if 4 < S { a4 = a4 + F8(repeating: w[(4 / lanes) * wGroup + iw]) * load8(r + (4 % lanes) * 8) }
        if 5 < S { a5 = a5 + F8(repeating: w[(5 / lanes) * wGroup + iw]) * load8(r + (5 % lanes) * 8) }
        if 6 < S { a6 = a6 + F8(repeating: w[(6 / lanes) * wGroup + iw]) * load8(r + (6 % lanes) * 8) }
        if 7 < S { a7 = a7 + F8(repeating: w[(7 / lanes) * wGroup + iw]) * load8(r + (7 % lanes) * 8) }
        r += stride
        iw += wStride
    }
    if 0 < S { store8(a0, y + (0 / lanes) * yStride + (0 % lanes) * 8) }
    if 1 < S { store8(a1, y + (1 / lanes) * yStride + (1 % lanes) * 8) }
    if 2 < S { store8(a2, y + (2 / lanes) * yStride + (2 % lanes) * 8) }
    if 3 < S { store8(a3, y + (3 / lanes) * yStride + (3 % lanes) * 8) }
    if 4 < S { store8(a4, y + (4 / lanes) * yStride + (4 % lanes) * 8) }
    if 5 < S { store8(a5, y + (5 / lanes) * yStride + (5 % lanes) * 8) }
    if 6 < S { store8(a6, y + (6 / lanes) * yStride + (6 % lanes) * 8) }
    if 7 < S { store8(a7, y + (7 / lanes) * yStride + (7 % lanes) * 8) }
}

/// One head's rows (a key or value of HS floats per position, `stride` apart) laid out transposed
/// for `columnDots`: cols[d·ld + j] = row j's component d, zero for d ≥ HS. `ld` ≥ T + 7.
@inline(__always)
func transposeHead(_ rows: UnsafePointer<Float>, stride: Int, T: Int, HS: Int,
                   into cols: UnsafeMutablePointer<Float>, D: Int, ld: Int) {
    cols.update(repeating: 0, count: D * ld)
    for j in 0..<T {
        let r = rows + j * stride
        for d in 0..<HS { cols[d * ld + j] = r[d] }
    }
}

/// out[j] = dot(x, row j) · scale for j in `range`, eight rows at a time from their transposed
/// layout (`transposeHead`); x holds D floats, zero past HS. Each lane does exactly `dot`'s
/// operations (lane l sums the products of components l, l+8, …; then the eight partial sums are
/// added in order), so out[j] equals `dot(x, row j, HS) * scale` to the bit. Writes only `range`.
@inline(__always)
func columnDots(_ x: UnsafePointer<Float>, _ cols: UnsafePointer<Float>, D: Int, ld: Int,
                _ range: Range<Int>, scale: Float, _ out: UnsafeMutablePointer<Float>) {
    var j = range.lowerBound
    while j < range.upperBound {
        var s0 = F8.zero, s1 = F8.zero, s2 = F8.zero, s3 = F8.zero
        var s4 = F8.zero, s5 = F8.zero, s6 = F8.zero, s7 = F8.zero
        var d = 0
        while d < D {
            let c = cols + d * ld + j
            s0 += F8(repeating: x[d]) * load8(c)
            s1 += F8(repeating: x[d + 1]) * load8(c + ld)
            s2 += F8(repeating: x[d + 2]) * load8(c + 2 * ld)
            s3 += F8(repeating: x[d + 3]) * load8(c + 3 * ld)
            s4 += F8(repeating: x[d + 4]) * load8(c + 4 * ld)
            s5 += F8(repeating: x[d + 5]) * load8(c + 5 * ld)
            s6 += F8(repeating: x[d + 6]) * load8(c + 6 * ld)
            s7 += F8(repeating: x[d + 7]) * load8(c + 7 * ld)
            d += 8
        }
        let dots = (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7) * scale
        if j + 8 <= range.upperBound { store8(dots, out + j) } else { storePartial8(dots, out + j, range.upperBound - j) }
        j += 8
    }
}

/// yₜ (HS, `yStride` apart) += Σ_{j ≤ t} w[t·T + j]·rowⱼ for every query t < T, j ascending: the
/// attention output (w = pattern, rows = v) and dq (w = ds, rows = k). G queries at a time share
/// keys 0...t, then query t+g adds its keys t+1...t+g: each output's order is `accumulateRows`'s.
@inline(__always)
private func mixCausalRows<Shape: GroupShape>(_ shape: Shape.Type, _ y: UnsafeMutablePointer<Float>, yStride: Int,
                                              _ w: UnsafePointer<Float>, rows: UnsafePointer<Float>, stride: Int, T: Int, HS: Int) {
    let G = Shape.G
    var t = 0
    if G > 1 {
        while t + G <= T {
            accumulateRowsGrouped(shape, y + t * yStride, yStride: yStride, w + t * T, wGroup: T, wStride: 1, rows, stride: stride, n: t + 1)
            for g in 1..<G {
                accumulateRows(y + (t + g) * yStride, w + (t + g) * T + t + 1, rows + (t + 1) * stride, stride: stride, n: g, HS: HS)
            }
            t += G
        }
    }
    for t in t..<T { accumulateRows(y + t * yStride, w + t * T, rows, stride: stride, n: t + 1, HS: HS) }
}

/// qkv (B, T, 3C) → out (B, T, C); preatt, att (B, NH, T, T), entries j > i of att are 0.
/// Entries j > i of preatt are left as they are, or with `futureScores` hold qᵢ·kⱼ/√HS too (the
/// trace's scores before the mask), each computed exactly as the kept ones are.
///
/// Each query's row is `attentionRow`'s arithmetic (the key/value cache's decode step): scores,
/// softmax, then out = Σⱼ attⱼ vⱼ in ascending j — here for G queries at a time
/// (`accumulateRowsGrouped`), which changes no bits.
public func attentionForward(_ out: UnsafeMutablePointer<Float>, _ preatt: UnsafeMutablePointer<Float>,
                      _ att: UnsafeMutablePointer<Float>, _ qkv: UnsafePointer<Float>,
                      B: Int, T: Int, C: Int, NH: Int, futureScores: Bool = false) {
    let HS = C / NH
    // Each (sequence, head) pair writes its own rows and columns: split them between threads.
    parallelChunks(B * NH, work: B * NH * T * T * HS * 4) { pairs in
        switch HS {
        case 8: headsForward(Rows8.self, pairs, out, preatt, att, qkv, T: T, C: C, NH: NH, future: futureScores)
        case 16: headsForward(Rows16.self, pairs, out, preatt, att, qkv, T: T, C: C, NH: NH, future: futureScores)
        case 24: headsForward(Rows24.self, pairs, out, preatt, att, qkv, T: T, C: C, NH: NH, future: futureScores)
        case 32: headsForward(Rows32.self, pairs, out, preatt, att, qkv, T: T, C: C, NH: NH, future: futureScores)
        default: headsForward(RowsAny.self, pairs, out, preatt, att, qkv, T: T, C: C, NH: NH, future: futureScores)
        }
    }
}

/// The (sequence, head) pairs `pairs` of `attentionForward`, G queries at a time.
private func headsForward<Shape: GroupShape>(_ shape: Shape.Type, _ pairs: Range<Int>, _ out: UnsafeMutablePointer<Float>,
                          _ preatt: UnsafeMutablePointer<Float>, _ att: UnsafeMutablePointer<Float>,
                          _ qkv: UnsafePointer<Float>, T: Int, C: Int, NH: Int, future: Bool) {
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Float(HS).squareRoot()
    // One head's keys transposed (D × ld), then the query padded to D floats.
    let D = (HS + 7) / 8 * 8, ld = T + 7
    withUnsafeTemporaryAllocation(of: Float.self, capacity: D * ld + D) { buffer in
        let kt = buffer.baseAddress!, q = kt + D * ld
        (q + HS).update(repeating: 0, count: D - HS)
        for pair in pairs {
            let b = pair / NH, h = pair % NH
            let seq = qkv + b * T * C3
            let v = seq + 2 * C + h * HS
            let pattern = att + (b * NH + h) * T * T, scores = preatt + (b * NH + h) * T * T
            let y = out + b * T * C + h * HS
            transposeHead(seq + C + h * HS, stride: C3, T: T, HS: HS, into: kt, D: D, ld: ld)
            for t in 0..<T {
                q.update(from: seq + t * C3 + h * HS, count: HS)
                columnDots(q, kt, D: D, ld: ld, 0..<(future ? T : t + 1), scale: scale, scores + t * T)
                softmaxRow(scores + t * T, pattern + t * T, n: t + 1)
                (pattern + t * T + t + 1).update(repeating: 0, count: T - t - 1)
                (y + t * C).update(repeating: 0, count: HS)
            }
            mixCausalRows(shape, y, yStride: C, pattern, rows: v, stride: C3, T: T, HS: HS)
        }
    }
}

/// Σⱼ a[r·T + j]·da[r·T + j] over j ≤ first + r for rows r < `rows` (≤ 4) of two T × T blocks
/// whose row 0 is query `first`: each sum's additions in ascending j, exactly one query's scalar
/// loop, but four chains side by side instead of one waiting on the latency of the last.
@inline(__always)
private func weightedSums(_ a: UnsafePointer<Float>, _ da: UnsafePointer<Float>, T: Int, first: Int, rows: Int) -> SIMD4<Float> {
    var w = SIMD4<Float>.zero
    if rows == 4 {
        let a1 = a + T, a2 = a + 2 * T, a3 = a + 3 * T, d1 = da + T, d2 = da + 2 * T, d3 = da + 3 * T
        var w0: Float = 0, w1: Float = 0, w2: Float = 0, w3: Float = 0
        for j in 0...first {
            w0 += a[j] * da[j]; w1 += a1[j] * d1[j]; w2 += a2[j] * d2[j]; w3 += a3[j] * d3[j]
        }
        w1 += a1[first + 1] * d1[first + 1]
        w2 += a2[first + 1] * d2[first + 1]; w2 += a2[first + 2] * d2[first + 2]
        w3 += a3[first + 1] * d3[first + 1]; w3 += a3[first + 2] * d3[first + 2]; w3 += a3[first + 3] * d3[first + 3]
        w = SIMD4(w0, w1, w2, w3)
    } else {
        for r in 0..<rows {
            var sum: Float = 0
            for j in 0...(first + r) { sum += a[r * T + j] * da[r * T + j] }
            w[r] = sum
        }
    }
    return w
}

/// dqkv (B, T, 3C) from dout (B, T, C), written (not added to: nothing else feeds qkv).
///
/// Per (sequence, head), first query by query (four at a time): daⱼ = d·vⱼ and the softmax's
/// dsⱼ = aⱼ(daⱼ − Σₖ aₖdaₖ)·scale, kept in a T × T block. Then dq_t = Σ_{j ≤ t} ds_tⱼ kⱼ,
/// dvⱼ = Σ_{t ≥ j} a_tⱼ d_t and dkⱼ = Σ_{t ≥ j} ds_tⱼ q_t, each summed in registers in ascending
/// order of j or t — the order in which a query-by-query loop adds into them, so the bits are the
/// same — several queries or keys at a time (`accumulateRowsGrouped`), without a read-modify-write
/// of dk and dv rows for every (query, key) pair.
public func attentionBackward(_ dqkv: UnsafeMutablePointer<Float>, _ dout: UnsafePointer<Float>,
                       _ qkv: UnsafePointer<Float>, _ att: UnsafePointer<Float>,
                       B: Int, T: Int, C: Int, NH: Int) {
    let HS = C / NH
    // Each (sequence, head) pair writes its own rows and columns of dqkv: split them between threads.
    parallelChunks(B * NH, work: B * NH * T * T * HS * 8) { pairs in
        // Groups of G queries or keys with `lanes` F8 per row: 8 chains of additions.
        switch HS {
        case 8: headsBackward(Rows8.self, pairs, dqkv, dout, qkv, att, T: T, C: C, NH: NH)
        case 16: headsBackward(Rows16.self, pairs, dqkv, dout, qkv, att, T: T, C: C, NH: NH)
        case 24: headsBackward(Rows24.self, pairs, dqkv, dout, qkv, att, T: T, C: C, NH: NH)
        case 32: headsBackward(Rows32.self, pairs, dqkv, dout, qkv, att, T: T, C: C, NH: NH)
        default: headsBackward(RowsAny.self, pairs, dqkv, dout, qkv, att, T: T, C: C, NH: NH)
        }
    }
}

/// The (sequence, head) pairs `pairs` of `attentionBackward`, G queries or keys at a time.
private func headsBackward<Shape: GroupShape>(_ shape: Shape.Type, _ pairs: Range<Int>, _ dqkv: UnsafeMutablePointer<Float>,
                           _ dout: UnsafePointer<Float>, _ qkv: UnsafePointer<Float>, _ att: UnsafePointer<Float>,
                           T: Int, C: Int, NH: Int) {
    let HS = C / NH, C3 = 3 * C, G = Shape.G
    let scale = 1 / Float(HS).squareRoot()
    // One head's values transposed (D × ld) for the daⱼ = d·vⱼ dots, d padded to D floats, then ds.
    let D = (HS + 7) / 8 * 8, ld = T + 7
    withUnsafeTemporaryAllocation(of: Float.self, capacity: D * ld + D + T * T) { buffer in
    let vt = buffer.baseAddress!, dpad = vt + D * ld, ds = dpad + D
    (dpad + HS).update(repeating: 0, count: D - HS)
    for pair in pairs {
        let b = pair / NH, h = pair % NH
        let seq = qkv + b * T * C3, dseq = dqkv + b * T * C3
        let pattern = att + (b * NH + h) * T * T
        let q = seq + h * HS, k = seq + C + h * HS, d = dout + b * T * C + h * HS
        let dq = dseq + h * HS, dk = dseq + C + h * HS, dv = dseq + 2 * C + h * HS
        transposeHead(seq + 2 * C + h * HS, stride: C3, T: T, HS: HS, into: vt, D: D, ld: ld)
        // This head's dq, dk and dv start at zero here, just before the sums below read them back:
        // zeroed with the rest of the gradients at the start of the backward pass, they would be
        // read back from memory by now.
        for t in 0..<T {
            for i in 0..<HS { dq[t * C3 + i] = 0; dk[t * C3 + i] = 0; dv[t * C3 + i] = 0 }
        }
        // Four queries at a time: their da rows, then their four sums Σₖ aₖdaₖ side by side (each
        // in ascending k, as one query's loop adds them), then their ds rows.
        var t = 0
        while t < T {
            let rows = min(4, T - t)
            for r in t..<(t + rows) {
                dpad.update(from: d + r * C, count: HS)
                // out = Σⱼ aⱼvⱼ  ⇒  daⱼ = d·vⱼ
                columnDots(dpad, vt, D: D, ld: ld, 0..<(r + 1), scale: 1, ds + r * T)
            }
            let weighted = weightedSums(pattern + t * T, ds + t * T, T: T, first: t, rows: rows)
            for r in 0..<rows {
                let a = pattern + (t + r) * T, row = ds + (t + r) * T, w = weighted[r]
                // softmax: dsⱼ = aⱼ(daⱼ − Σₖ aₖdaₖ); s = q·k·scale
                for j in 0...(t + r) { row[j] = a[j] * (row[j] - w) * scale }
            }
            t += rows
        }
        mixCausalRows(shape, dq, yStride: C3, ds, rows: k, stride: C3, T: T, HS: HS)
        var j = 0
        if G > 1 {
            // Keys j..<j+G: key j+g's queries j+g..<j+G−1 first, then queries j+G−1..<T for all.
            while j + G <= T {
                for g in 0..<(G - 1) {
                    let n = G - 1 - g, first = j + g
                    accumulateRows(dv + first * C3, pattern + first * T + first, wStride: T, d + first * C, stride: C, n: n, HS: HS)
                    accumulateRows(dk + first * C3, ds + first * T + first, wStride: T, q + first * C3, stride: C3, n: n, HS: HS)
                }
                let t0 = j + G - 1
                accumulateRowsGrouped(shape, dv + j * C3, yStride: C3, pattern + t0 * T + j, wGroup: 1, wStride: T,
                                      d + t0 * C, stride: C, n: T - t0)
                accumulateRowsGrouped(shape, dk + j * C3, yStride: C3, ds + t0 * T + j, wGroup: 1, wStride: T,
                                      q + t0 * C3, stride: C3, n: T - t0)
                j += G
            }
        }
        for j in j..<T {
            accumulateRows(dv + j * C3, pattern + j * T + j, wStride: T, d + j * C, stride: C, n: T - j, HS: HS)
            accumulateRows(dk + j * C3, ds + j * T + j, wStride: T, q + j * C3, stride: C3, n: T - j, HS: HS)
        }
    }
    }
}
