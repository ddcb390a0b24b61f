import Kernels
/// What one forward pass over a prompt returns.
public struct ForwardResult: Sendable {
    /// Logits (T, V): row t scores the token after position t.
    public var logits: Tensor
    /// Every intermediate tensor, when the pass ran with `trace: true`.
    public var trace: Trace?
}

extension GPT {
    /// One forward pass over a sequence of at most `contextLength` token ids.
    ///
    /// With `trace: false` this runs exactly the training kernels and copies out only the logits;
    /// with `trace: true` it also captures every tensor named in `TraceName`.
    ///
    ///     let result = model.forward([5, 17, 3], trace: true)
    ///     result.trace![TraceName.pattern(layer: 0)]!.shape   // [heads, 3, 3]
    public func forward(_ ids: [Int], trace: Bool = false) -> ForwardResult {
        let T = ids.count, C = config.width, V = config.vocabSize
        precondition(T >= 1 && T <= config.contextLength, "sequence length \(T) outside 1...\(config.contextLength)")
        precondition(ids.allSatisfy { $0 >= 0 && $0 < V }, "token id outside 0..<\(V)")
        let a = ActivationLayout(config, B: 1, T: T)
        let acts = FloatBuffer(count: a.count)
        let inputs = ids.map(Int32.init)
        var unrotated: [Int: [Float]] = [:]
        inputs.withUnsafeBufferPointer { inp in
            withUnembedding { wteT in
                forwardPass(acts, a, inp.baseAddress!, wteT: wteT, beforeRotation: trace ? { l, qkv in
                    unrotated[l] = Array(UnsafeBufferPointer(start: qkv, count: T * 3 * C))
                } : nil)
            }
        }
        let logits = Tensor(shape: [T, V], data: Array(UnsafeBufferPointer(start: acts[a.logits], count: T * V)))
        guard trace else { return ForwardResult(logits: logits, trace: nil) }
        return ForwardResult(logits: logits, trace: capture(ids, acts, a, logits: logits, unrotated: unrotated))
    }

    /// Reads the activations of a B = 1 pass into named tensors (TransformerLens shapes).
    /// `logits` is the result's own copy of them, shared rather than copied again.
    private func capture(_ ids: [Int], _ acts: FloatBuffer, _ a: ActivationLayout, logits: Tensor,
                         unrotated: [Int: [Float]]) -> Trace {
        let T = a.T, C = config.width, NH = config.heads, HS = config.headSize, V = config.vocabSize
        let x = acts.pointer, p = params.pointer
        // The shapes, built once and shared by every tensor that has them.
        let rows = [T, C], wide = [T, 4 * C], heads = [T, NH, HS], square = [NH, T, T], stat = [T], column = [T, 1]
        func grab(_ offset: Int, _ shape: [Int]) -> Tensor {
            Tensor(shape: shape) { $0.update(from: x + offset, count: shape.reduce(1, *)) }
        }
        // Sized once, so no insertion rehashes the names already in.
        var trace = Trace(ids: ids, tensors: Dictionary(minimumCapacity: TraceName.count(layers: config.layers)))
        func put(_ name: String, _ tensor: Tensor) { trace.tensors[name] = tensor }
        put(TraceName.embed, Tensor(shape: rows) { e in
            for (t, id) in ids.enumerated() { (e + t * C).update(from: p + layout.tokenEmbedding + id * C, count: C) }
        })
        withPositionTable { pos in
            if let pos { put(TraceName.posEmbed, Tensor(shape: rows, data: Array(UnsafeBufferPointer(start: pos, count: T * C)))) }
        }
        /// Splits (T, 3C) rows into one of q, k, v as [pos, head, d_head] (the same memory order).
        func part(_ qkv: UnsafePointer<Float>, _ which: Int) -> Tensor {
            Tensor(shape: heads) { d in
                for t in 0..<T { (d + t * C).update(from: qkv + t * 3 * C + which * C, count: C) }
            }
        }
        // Each layer's tensors are copies and small products of its own activations: build the
        // layers side by side, then name them in order. `work` is a rough flop count (the per-head
        // products' T·C·C, weighted for the copies beside them); for the shipped model (width 64)
        // it passes the pool's threshold at every length, and a 32-token trace is ~1 MB of tensors.
        var perLayer = [[(String, Tensor)]](repeating: [], count: config.layers)
        perLayer.withUnsafeMutableBufferPointer { out in
            parallelRanges(config.layers, work: T * C * C * 64) { layers in
                for l in layers {
                    var named: [(String, Tensor)] = []
                    named.reserveCapacity(23)
                    func put(_ name: String, _ tensor: Tensor) { named.append((name, tensor)) }
                    let o = a.layers[l], w = layout.layers[l]
                    put(TraceName.residPre(layer: l), grab(a.residualIn(l), rows))
                    put(TraceName.lnMean(layer: l, 1), grab(o.ln1Mean, stat))
                    put(TraceName.lnScale(layer: l, 1), Tensor(shape: column, data: (0..<T).map { 1 / x[o.ln1Rstd + $0] }))
                    put(TraceName.lnNormalized(layer: l, 1), grab(o.ln1, rows))
                    if let raw = unrotated[l] {
                        raw.withUnsafeBufferPointer {
                            put(TraceName.q(layer: l), part($0.baseAddress!, 0))
                            put(TraceName.k(layer: l), part($0.baseAddress!, 1))
                        }
                        put(TraceName.rotQ(layer: l), part(x + o.qkv, 0))
                        put(TraceName.rotK(layer: l), part(x + o.qkv, 1))
                    } else {
                        put(TraceName.q(layer: l), part(x + o.qkv, 0))
                        put(TraceName.k(layer: l), part(x + o.qkv, 1))
                    }
                    put(TraceName.v(layer: l), part(x + o.qkv, 2))
                    // Scores for every (query, key) pair, the future included: what the mask then hides.
                    var masked: Tensor?
                    let unmasked = Tensor(shape: square) { u in
                        masked = Tensor(shape: square) { m in
                            attentionScoresForTrace(u, m, x + o.preatt, x + o.qkv, T: T, C: C, NH: NH)
                        }
                    }
                    put(TraceName.scoresUnmasked(layer: l), unmasked)
                    put(TraceName.scores(layer: l), masked!)
                    put(TraceName.pattern(layer: l), grab(o.att, square))
                    put(TraceName.z(layer: l), grab(o.atty, heads))
                    // Head h's share of the output projection: z_h · W_O[h·HS..<(h+1)·HS, :], all T rows
                    // in one product (row t lands at [t, h, :]).
                    let result = Tensor(shape: [T, NH, C]) { r in
                        for h in 0..<NH {
                            gemm(M: T, N: C, K: HS, a: x + o.atty + h * HS, sam: C, sak: 1,
                                 b: p + w.attnProjWeight + h * HS * C, ldb: C, c: r + h * C, ldc: NH * C)
                        }
                    }
                    put(TraceName.result(layer: l), result)
                    put(TraceName.attnOut(layer: l), grab(o.attproj, rows))
                    put(TraceName.residMid(layer: l), grab(o.residual2, rows))
                    put(TraceName.lnMean(layer: l, 2), grab(o.ln2Mean, stat))
                    put(TraceName.lnScale(layer: l, 2), Tensor(shape: column, data: (0..<T).map { 1 / x[o.ln2Rstd + $0] }))
                    put(TraceName.lnNormalized(layer: l, 2), grab(o.ln2, rows))
                    put(TraceName.mlpPre(layer: l), grab(o.fch, wide))
                    put(TraceName.mlpPost(layer: l), grab(o.fchGelu, wide))
                    put(TraceName.mlpOut(layer: l), grab(o.fcproj, rows))
                    put(TraceName.residPost(layer: l), grab(o.residual3, rows))
                    out[l] = named
                }
            }
        }
        for named in perLayer { for (name, tensor) in named { put(name, tensor) } }
        put(TraceName.lnFinalMean, grab(a.lnfMean, stat))
        put(TraceName.lnFinalScale, Tensor(shape: column, data: (0..<T).map { 1 / x[a.lnfRstd + $0] }))
        put(TraceName.lnFinalNormalized, grab(a.lnf, rows))
        put(TraceName.logits, logits)
        put(TraceName.probs, grab(a.probs, [T, V]))
        return trace
    }
}
