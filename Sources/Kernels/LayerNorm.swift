// LayerNorm over the channel axis: y = (x − μ)/σ · w + b, σ = √(var + 1e-5).

let layerNormEpsilon: Float = 1e-5

/// inp, out (N, C); mean, rstd (N) are saved for the backward pass (rstd = 1/σ).
public func layerNormForward(_ out: UnsafeMutablePointer<Float>, _ mean: UnsafeMutablePointer<Float>,
                      _ rstd: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>,
                      _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, N: Int, C: Int) {
    // Row by row: any split of the rows between threads gives the same bits.
    parallelChunks(N, work: N * C * 8) { rows in
    for n in rows {
        let x = inp + n * C
        var m: Float = 0
        for i in 0..<C { m += x[i] }
        m /= Float(C)
        var v: Float = 0
        for i in 0..<C { let d = x[i] - m; v += d * d }
        v /= Float(C)
        let s = 1 / (v + layerNormEpsilon).squareRoot()
        let o = out + n * C
        for i in 0..<C { o[i] = (x[i] - m) * s * weight[i] + bias[i] }
        mean[n] = m
        rstd[n] = s
    }
    }
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
    for n in rows {
        let x = inp + n * C, d = dout + n * C, dx = dinp + n * C
        let m = mean[n], s = rstd[n]
        // Two reductions of the projected gradient: its mean, and its mean along the normalised input.
        var dnormMean: Float = 0, dnormNormMean: Float = 0
        for i in 0..<C {
            let norm = (x[i] - m) * s
            let dnorm = weight[i] * d[i]
            dnormMean += dnorm
            dnormNormMean += dnorm * norm
        }
        dnormMean /= Float(C)
        dnormNormMean /= Float(C)
        for i in 0..<C {
            let norm = (x[i] - m) * s
            let dnorm = weight[i] * d[i]
            dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
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
