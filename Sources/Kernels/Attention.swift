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
    var maxval = -Float.greatestFiniteMagnitude
    for j in 0..<n where preatt[j] > maxval { maxval = preatt[j] }
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
    for j in 0..<n { att[j] *= inv }
    out.update(repeating: 0, count: HS)
    accumulateRows(out, att, v, stride: vStride, n: n, HS: HS)
}

/// y (HS) += Σⱼ w[j]·rowⱼ for j = 0..<n in order, each step `axpy`'s y + w·x (a product, then a
/// sum, both rounded), so the bits are those of n `axpy` calls; for HS a multiple of 8 up to 32
/// y stays in registers instead of going through memory at every j.
@inline(__always)
func accumulateRows(_ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ rows: UnsafePointer<Float>,
                    stride: Int, n: Int, HS: Int) {
    guard HS % 8 == 0, HS <= 32 else {
        for j in 0..<n { axpy(w[j], rows + j * stride, y, HS) }
        return
    }
    let lanes = HS / 8
    var y0 = load8(y), y1 = lanes > 1 ? load8(y + 8) : .zero
    var y2 = lanes > 2 ? load8(y + 16) : .zero, y3 = lanes > 3 ? load8(y + 24) : .zero
    var r = rows
    for j in 0..<n {
        let a = F8(repeating: w[j])
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

/// qkv (B, T, 3C) → out (B, T, C); preatt, att (B, NH, T, T), entries j > i of att are 0
/// and of preatt are left as they are (the trace writes −∞ there).
public func attentionForward(_ out: UnsafeMutablePointer<Float>, _ preatt: UnsafeMutablePointer<Float>,
                      _ att: UnsafeMutablePointer<Float>, _ qkv: UnsafePointer<Float>,
                      B: Int, T: Int, C: Int, NH: Int) {
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Float(HS).squareRoot()
    // One head's keys transposed (D × ld), then the query padded to D floats.
    let D = (HS + 7) / 8 * 8, ld = T + 7
    // Each (sequence, head) pair writes its own rows and columns: split them between threads.
    parallelChunks(B * NH, work: B * NH * T * T * HS * 4) { pairs in
      withUnsafeTemporaryAllocation(of: Float.self, capacity: D * ld + D) { buffer in
        let kt = buffer.baseAddress!, q = kt + D * ld
        (q + HS).update(repeating: 0, count: D - HS)
        for pair in pairs {
            let b = pair / NH, h = pair % NH
            let seq = qkv + b * T * C3
            let v = seq + 2 * C + h * HS
            transposeHead(seq + C + h * HS, stride: C3, T: T, HS: HS, into: kt, D: D, ld: ld)
            for t in 0..<T {
                let row = ((b * NH + h) * T + t) * T
                q.update(from: seq + t * C3 + h * HS, count: HS)
                columnDots(q, kt, D: D, ld: ld, 0..<(t + 1), scale: scale, preatt + row)
                softmaxAndMix(out + (b * T + t) * C + h * HS, preatt + row, att + row, v, vStride: C3, n: t + 1, HS: HS)
                (att + row + t + 1).update(repeating: 0, count: T - t - 1)
            }
        }
      }
    }
}

/// The trace's scores of one sequence: unmasked (NH, T, T) = qᵢ·kⱼ/√HS for every pair, and masked
/// (NH, T, T) the same with −∞ at j > i. Entries j ≤ i are copied from `preatt` (the forward's own
/// scores, (NH, T, T)), so only the future half is computed here, eight keys at a time: each lane
/// does exactly `dot`'s operations (partial sums of lanes l, l+8, … over a zero-padded row, then
/// those eight added in order), so an entry is `dot(q, k, HS) * scale` to the bit.
public func attentionScoresForTrace(_ unmasked: UnsafeMutablePointer<Float>, _ masked: UnsafeMutablePointer<Float>,
                                    _ preatt: UnsafePointer<Float>, _ qkv: UnsafePointer<Float>, T: Int, C: Int, NH: Int) {
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Float(HS).squareRoot()
    // One head's keys transposed, kt[d, j] (d < D, j < T + 7), zero past HS and T; then q, D floats.
    let D = (HS + 7) / 8 * 8, ld = T + 7
    withUnsafeTemporaryAllocation(of: Float.self, capacity: D * ld + D) { buffer in
        let kt = buffer.baseAddress!, q = kt + D * ld
        (q + HS).update(repeating: 0, count: D - HS)
        for h in 0..<NH {
            transposeHead(qkv + C + h * HS, stride: C3, T: T, HS: HS, into: kt, D: D, ld: ld)
            for i in 0..<T {
                let row = (h * T + i) * T
                (unmasked + row).update(from: preatt + row, count: i + 1)
                (masked + row).update(from: preatt + row, count: i + 1)
                (masked + row + i + 1).update(repeating: -.infinity, count: T - i - 1)
                q.update(from: qkv + i * C3 + h * HS, count: HS)
                columnDots(q, kt, D: D, ld: ld, (i + 1)..<T, scale: scale, unmasked + row)
            }
        }
    }
}

/// Accumulates dqkv (B, T, 3C) from dout (B, T, C). `scratch` holds B·T floats.
public func attentionBackward(_ dqkv: UnsafeMutablePointer<Float>, _ dout: UnsafePointer<Float>,
                       _ qkv: UnsafePointer<Float>, _ att: UnsafePointer<Float>,
                       B: Int, T: Int, C: Int, NH: Int, scratch: UnsafeMutablePointer<Float>) {
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Float(HS).squareRoot()
    // Sequences touch disjoint rows of dqkv: split them between threads, each with its own
    // T floats of scratch (chunk i starts at sequence i·chunk, so scratch + first·T is private).
    // One head's values transposed (D × ld) for the daⱼ = d·vⱼ dots, then d padded to D floats.
    let D = (HS + 7) / 8 * 8, ld = T + 7
    parallelChunks(B, work: B * NH * T * T * HS * 8) { seqs in
    let datt = scratch + seqs.lowerBound * T
    withUnsafeTemporaryAllocation(of: Float.self, capacity: D * ld + D) { buffer in
    let vt = buffer.baseAddress!, dpad = vt + D * ld
    (dpad + HS).update(repeating: 0, count: D - HS)
    for b in seqs {
        let seq = qkv + b * T * C3, dseq = dqkv + b * T * C3
        for h in 0..<NH {
            transposeHead(seq + 2 * C + h * HS, stride: C3, T: T, HS: HS, into: vt, D: D, ld: ld)
            for t in 0..<T {
                let a = att + ((b * NH + h) * T + t) * T
                let d = dout + (b * T + t) * C + h * HS
                let q = seq + t * C3 + h * HS, dq = dseq + t * C3 + h * HS
                // out = Σⱼ aⱼvⱼ  ⇒  daⱼ = d·vⱼ, dvⱼ += aⱼ·d
                dpad.update(from: d, count: HS)
                columnDots(dpad, vt, D: D, ld: ld, 0..<(t + 1), scale: 1, datt)
                var weighted: Float = 0
                for j in 0...t {
                    weighted += a[j] * datt[j]
                    axpy(a[j], d, dseq + j * C3 + 2 * C + h * HS, HS)
                }
                // softmax: dsⱼ = aⱼ(daⱼ − Σₖ aₖdaₖ) (kept in datt); s = q·k·scale
                for j in 0...t { datt[j] = a[j] * (datt[j] - weighted) * scale }
                accumulateRows(dq, datt, seq + C + h * HS, stride: C3, n: t + 1, HS: HS)
                for j in 0...t { axpy(datt[j], q, dseq + j * C3 + C + h * HS, HS) }
            }
        }
    }
    }
    }
}
