// LayerNorm over the channel axis: y = (x − μ)/σ · w + b, σ = √(var + 1e-5).

let layerNormEpsilon: Float = 1e-5

/// inp, out (N, C); mean, rstd (N) are saved for the backward pass (rstd = 1/σ).
public func layerNormForward(_ out: UnsafeMutablePointer<Float>, _ mean: UnsafeMutablePointer<Float>,
                      _ rstd: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                      _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, N: Int, C: Int) {
    // Row by row: any split of the rows between threads gives the same bits.
    parallelChunks(N, work: N * C * 8) { rows in
    eachFourRows(rows) { n, k in
        // Four rows' sums side by side, one per lane: each lane's additions are one row's loop.
        let x = fourRows(inp, n, k, C)
        var m = SIMD4<Float>.zero
        for i in 0..<C { m += SIMD4(x.0[i], x.1[i], x.2[i], x.3[i]) }
        m /= Float(C)
        var v = SIMD4<Float>.zero
        for i in 0..<C { let d = SIMD4(x.0[i], x.1[i], x.2[i], x.3[i]) - m; v += d * d }
        v /= Float(C)
        let s = 1 / (v + layerNormEpsilon).squareRoot()
        for r in 0..<k {
            let x = inp + (n + r) * C, o = out + (n + r) * C, m = m[r], s = s[r]
            for i in 0..<C { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
            mean[n + r] = m
            rstd[n + r] = s
        }
    }
    }
}

/// Calls `body(n, k)` for rows n..<n+k, k = 4 but at the end of `rows`.
@inline(__always)
private func eachFourRows(_ rows: Range<Int>, _ body: (Int, Int) -> Void) {
    var n = rows.lowerBound
    while n < rows.upperBound { let k = min(4, rows.upperBound - n); body(n, k); n += k }
}

/// Rows n..<n+k (k ≤ 4) of an (N, C) matrix, the last repeated to make four.
@inline(__always)
private func fourRows(_ m: UnsafePointer<Float>, _ n: Int, _ k: Int, _ C: Int)
    -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) {
    (m + n * C, m + (n + min(1, k - 1)) * C, m + (n + min(2, k - 1)) * C, m + (n + min(3, k - 1)) * C)
}

/// Elements n..<n+k (k ≤ 4) of a vector, the last repeated to make four (`fourRows` of width 1).
@inline(__always)
private func fourValues(_ v: UnsafePointer<Float>, _ n: Int, _ k: Int) -> SIMD4<Float> {
    let r = fourRows(v, n, k, 1)
    return SIMD4(r.0[0], r.1[0], r.2[0], r.3[0])
}

/// LayerNorm's backward pass in its two halves: the input gradient row by row (each shard of a
/// training batch for its own rows), the parameter gradients summed over the rows (the shards add
/// theirs in turn, in row order).

/// Accumulates dinp (N, C) from dout (N, C), row by row, using the saved mean and rstd.
public func layerNormBackwardInput(_ dinp: UnsafeMutablePointer<Float>, _ dout: UnsafePointer<Float>,
                                   _ inp: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
                                   _ mean: UnsafePointer<Float>, _ rstd: UnsafePointer<Float>, N: Int, C: Int) {
    // Row by row: any split of the rows between threads gives the same bits.
    parallelChunks(N, work: N * C * 12) { rows in
    eachFourRows(rows) { n, k in
        // Two reductions of the projected gradient: its mean, and its mean along the normalised
        // input; four rows side by side, one per lane, each lane's additions one row's loop.
        let x = fourRows(inp, n, k, C), d = fourRows(dout, n, k, C)
        let m = fourValues(mean, n, k), s = fourValues(rstd, n, k)
        var dnormMean = SIMD4<Float>.zero, dnormNormMean = SIMD4<Float>.zero
        for i in 0..<C {
            let norm = (SIMD4(x.0[i], x.1[i], x.2[i], x.3[i]) - m) * s
            let dnorm = weight[i] * SIMD4(d.0[i], d.1[i], d.2[i], d.3[i])
            dnormMean += dnorm
            dnormNormMean += dnorm * norm
        }
        dnormMean /= Float(C)
        dnormNormMean /= Float(C)
        for r in 0..<k {
            let x = inp + (n + r) * C, d = dout + (n + r) * C, dx = dinp + (n + r) * C
            let m = m[r], s = s[r], dnormMean = dnormMean[r], dnormNormMean = dnormNormMean[r]
            for i in 0..<C {
                let norm = (x[i] - m) * s
                let dnorm = weight[i] * d[i]
                dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
            }
        }
    }
    }
}

/// Accumulates dweight (C) and dbias (C) from dout (N, C) over the rows in order: running sums, so
/// rows 0..<n then n..<N in two calls give the bits of one call over all N.
public func layerNormBackwardParameters(_ dweight: UnsafeMutablePointer<Float>, _ dbias: UnsafeMutablePointer<Float>,
                                        _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Float>,
                                        _ mean: UnsafePointer<Float>, _ rstd: UnsafePointer<Float>, N: Int, C: Int) {
    // dweight and dbias: each channel sums over the rows in order, sixteen channels at a time
    // (lanes do the scalar loop's operations), channel blocks split between threads.
    parallelChunks(C, work: N * C * 4, align: 16) { channels in
        var i = channels.lowerBound
        while i + 16 <= channels.upperBound {
            var db = load16(dbias + i), dw = load16(dweight + i)
            for n in 0..<N {
                let x = load16(inp + n * C + i), d = load16(dout + n * C + i)
                let norm = (x - mean[n]) * rstd[n]
                db = db + d
                dw = dw + norm * d
            }
            store16(db, dbias + i); store16(dw, dweight + i)
            i += 16
        }
        for i in i..<channels.upperBound {
            for n in 0..<N {
                let norm = (inp[n * C + i] - mean[n]) * rstd[n], d = dout[n * C + i]
                dbias[i] += d
                dweight[i] += norm * d
            }
        }
    }
}
