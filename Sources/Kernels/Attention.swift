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
    var maxval = -Float.greatestFiniteMagnitude
    for j in 0..<n {
        let s = dot(q, k + j * kStride, HS) * scale
        preatt[j] = s
        if s > maxval { maxval = s }
    }
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
    for j in 0..<n { axpy(att[j], v + j * vStride, out, HS) }
}

/// qkv (B, T, 3C) → out (B, T, C); preatt, att (B, NH, T, T), entries j > i of att are 0
/// and of preatt are left as they are (the trace writes −∞ there).
public func attentionForward(_ out: UnsafeMutablePointer<Float>, _ preatt: UnsafeMutablePointer<Float>,
                      _ att: UnsafeMutablePointer<Float>, _ qkv: UnsafePointer<Float>,
                      B: Int, T: Int, C: Int, NH: Int) {
    let HS = C / NH, C3 = 3 * C
    let scale = 1 / Float(HS).squareRoot()
    // Each (sequence, head) pair writes its own rows and columns: split them between threads.
    parallelChunks(B * NH, work: B * NH * T * T * HS * 4) { pairs in
      for pair in pairs {
        let b = pair / NH, h = pair % NH
        let seq = qkv + b * T * C3
        do {
            let k = seq + C + h * HS, v = seq + 2 * C + h * HS
            for t in 0..<T {
                let row = ((b * NH + h) * T + t) * T
                attentionRow(out + (b * T + t) * C + h * HS, preatt + row, att + row,
                             seq + t * C3 + h * HS, k, kStride: C3, v, vStride: C3,
                             n: t + 1, HS: HS, scale: scale)
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
        for h in 0..<NH {
            kt.update(repeating: 0, count: D * ld)
            for j in 0..<T {
                for d in 0..<HS { kt[d * ld + j] = qkv[j * C3 + C + h * HS + d] }
            }
            for i in 0..<T {
                let row = (h * T + i) * T
                (unmasked + row).update(from: preatt + row, count: i + 1)
                (masked + row).update(from: preatt + row, count: i + 1)
                (masked + row + i + 1).update(repeating: -.infinity, count: T - i - 1)
                q.update(from: qkv + i * C3 + h * HS, count: HS)
                (q + HS).update(repeating: 0, count: D - HS)
                var j = i + 1
                while j < T {
                    var s0 = F8.zero, s1 = F8.zero, s2 = F8.zero, s3 = F8.zero
                    var s4 = F8.zero, s5 = F8.zero, s6 = F8.zero, s7 = F8.zero
                    var d = 0
                    while d < D {
                        let k = kt + d * ld + j
                        s0 += F8(repeating: q[d]) * load8(k)
                        s1 += F8(repeating: q[d + 1]) * load8(k + ld)
                        s2 += F8(repeating: q[d + 2]) * load8(k + 2 * ld)
                        s3 += F8(repeating: q[d + 3]) * load8(k + 3 * ld)
                        s4 += F8(repeating: q[d + 4]) * load8(k + 4 * ld)
                        s5 += F8(repeating: q[d + 5]) * load8(k + 5 * ld)
                        s6 += F8(repeating: q[d + 6]) * load8(k + 6 * ld)
                        s7 += F8(repeating: q[d + 7]) * load8(k + 7 * ld)
                        d += 8
                    }
                    let scores = (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7) * scale
                    if j + 8 <= T { store8(scores, unmasked + row + j) } else { storePartial8(scores, unmasked + row + j, T - j) }
                    j += 8
                }
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
    parallelChunks(B, work: B * NH * T * T * HS * 8) { seqs in
    let datt = scratch + seqs.lowerBound * T
    for b in seqs {
        let seq = qkv + b * T * C3, dseq = dqkv + b * T * C3
        for h in 0..<NH {
            for t in 0..<T {
                let a = att + ((b * NH + h) * T + t) * T
                let d = dout + (b * T + t) * C + h * HS
                let q = seq + t * C3 + h * HS, dq = dseq + t * C3 + h * HS
                // out = Σⱼ aⱼvⱼ  ⇒  daⱼ = d·vⱼ, dvⱼ += aⱼ·d
                var weighted: Float = 0
                for j in 0...t {
                    let v = seq + j * C3 + 2 * C + h * HS
                    datt[j] = dot(d, v, HS)
                    weighted += a[j] * datt[j]
                    axpy(a[j], d, dseq + j * C3 + 2 * C + h * HS, HS)
                }
                // softmax: dsⱼ = aⱼ(daⱼ − Σₖ aₖdaₖ); s = q·k·scale
                for j in 0...t {
                    let ds = a[j] * (datt[j] - weighted) * scale
                    let k = seq + j * C3 + C + h * HS
                    axpy(ds, k, dq, HS)
                    axpy(ds, q, dseq + j * C3 + C + h * HS, HS)
                }
            }
        }
    }
    }
}
