import Foundation

// The unembedding's softmax and the next-token cross-entropy loss.

/// probs (N, V) = softmax(logits) per row.
public func softmaxForward(_ probs: UnsafeMutablePointer<Float>, _ logits: UnsafePointer<Float>, N: Int, V: Int) {
    // Row by row: any split of the rows between threads gives the same bits.
    parallelChunks(N, work: N * V * 16) { rows in
    for n in rows {
        let x = logits + n * V, p = probs + n * V
        let maxval = rowMax(x, V)
        var sum8 = F8.zero
        var i = 0
        while i + 8 <= V { let e = exp8(load8(x + i) - maxval); store8(e, p + i); sum8 += e; i += 8 }
        var tail: Float = 0
        while i < V { let e = expScalar(x[i] - maxval); p[i] = e; tail += e; i += 1 }
        let inv = 1 / (sum8.sum() + tail)
        for i in 0..<V { p[i] *= inv }
    }
    }
}

/// losses (N) = −log probs[n, targets[n]].
public func crossEntropyForward(_ losses: UnsafeMutablePointer<Float>, _ probs: UnsafePointer<Float>,
                         _ targets: UnsafePointer<Int32>, N: Int, V: Int) {
    for n in 0..<N {
        let p = max(probs[n * V + Int(targets[n])], Float.leastNormalMagnitude)
        losses[n] = -logf(p)
    }
}

/// dlogits (N, V) = (probs − onehot(target)) · dloss, for the mean loss over `meanOver` rows (N, or
/// the whole batch when these N rows are one shard of it): dloss = 1/meanOver. Overwrites.
public func crossEntropySoftmaxBackward(_ dlogits: UnsafeMutablePointer<Float>, _ probs: UnsafePointer<Float>,
                                 _ targets: UnsafePointer<Int32>, N: Int, V: Int, meanOver: Int? = nil) {
    let dloss = 1 / Float(meanOver ?? N)
    parallelChunks(N, work: N * V * 2) { rows in
        for n in rows {
            let d = dlogits + n * V, p = probs + n * V
            var i = 0
            while i + 16 <= V { store16(load16(p + i) * dloss, d + i); i += 16 }
            while i < V { d[i] = p[i] * dloss; i += 1 }
            d[Int(targets[n])] -= dloss
        }
    }
}
