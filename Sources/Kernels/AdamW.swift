// AdamW's update of one parameter tensor, in one pass over p, g, m and v (the optimizer's state
// and hyper-parameters live in TinyGPT's `AdamW`). Same arithmetic, in the same order, as the
// textbook form: m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), p −= lr·(m̂/(√v̂+ε) + wd·p).

/// Updates p[i], m[i], v[i] for i in `range` from the gradient g[i]·gscale.
/// c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ are the bias corrections of step t.
public func adamwUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                        _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, range: Range<Int>,
                        gscale: Float, lr: Float, beta1: Float, beta2: Float, c1: Float, c2: Float,
                        epsilon: Float, weightDecay wd: Float) {
    // Element by element, eight lanes at a time (each lane the scalar formula's operations, in its
    // order): any split between threads gives the same bits.
    parallelChunks(range.count, work: range.count * 16, align: 8) { part in
        var i = range.lowerBound + part.lowerBound
        let end = range.lowerBound + part.upperBound
        while i + 8 <= end {
            let grad = load8(g + i) * gscale
            let mi = beta1 * load8(m + i) + (1 - beta1) * grad
            let vi = beta2 * load8(v + i) + (1 - beta2) * grad * grad
            store8(mi, m + i)
            store8(vi, v + i)
            let mhat = mi / c1, vhat = vi / c2
            let pi = load8(p + i)
            store8(pi - lr * (mhat / (vhat.squareRoot() + epsilon) + wd * pi), p + i)
            i += 8
        }
        while i < end {
            let grad = g[i] * gscale
            let mi = beta1 * m[i] + (1 - beta1) * grad
            let vi = beta2 * v[i] + (1 - beta2) * grad * grad
            m[i] = mi
            v[i] = vi
            let mhat = mi / c1, vhat = vi / c2
            p[i] -= lr * (mhat / (vhat.squareRoot() + epsilon) + wd * p[i])
            i += 1
        }
    }
}
