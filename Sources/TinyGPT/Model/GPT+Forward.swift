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
        let wteT = FloatBuffer(count: V * C)
        let inputs = ids.map(Int32.init)
        var unrotated: [Int: [Float]] = [:]
        inputs.withUnsafeBufferPointer { inp in
            forwardPass(acts, a, inp.baseAddress!, wteT: wteT, beforeRotation: trace ? { l, qkv in
                unrotated[l] = Array(UnsafeBufferPointer(start: qkv, count: T * 3 * C))
            } : nil)
        }
        let logits = Tensor(shape: [T, V], data: Array(UnsafeBufferPointer(start: acts[a.logits], count: T * V)))
        guard trace else { return ForwardResult(logits: logits, trace: nil) }
        return ForwardResult(logits: logits, trace: capture(ids, acts, a, unrotated: unrotated))
    }

    /// Reads the activations of a B = 1 pass into named tensors (TransformerLens shapes).
    private func capture(_ ids: [Int], _ acts: FloatBuffer, _ a: ActivationLayout, unrotated: [Int: [Float]]) -> Trace {
        let T = a.T, C = config.width, NH = config.heads, HS = config.headSize, V = config.vocabSize
        let x = acts.pointer, p = params.pointer
        func grab(_ offset: Int, _ shape: [Int]) -> Tensor {
            Tensor(shape: shape, data: Array(UnsafeBufferPointer(start: x + offset, count: shape.reduce(1, *))))
        }
        var trace = Trace(ids: ids)
        var embed = [Float]()
        embed.reserveCapacity(T * C)
        for id in ids { embed += UnsafeBufferPointer(start: p + layout.tokenEmbedding + id * C, count: C) }
        trace[TraceName.embed] = Tensor(shape: [T, C], data: embed)
        withPositionTable { pos in
            if let pos { trace[TraceName.posEmbed] = Tensor(shape: [T, C], data: Array(UnsafeBufferPointer(start: pos, count: T * C))) }
        }
        /// Splits (T, 3C) rows into one of q, k, v as [pos, head, d_head] (the same memory order).
        func part(_ qkv: UnsafePointer<Float>, _ which: Int) -> Tensor {
            var data = [Float]()
            data.reserveCapacity(T * C)
            for t in 0..<T { data += UnsafeBufferPointer(start: qkv + t * 3 * C + which * C, count: C) }
            return Tensor(shape: [T, NH, HS], data: data)
        }
        for l in 0..<config.layers {
            let o = a.layers[l], w = layout.layers[l]
            trace[TraceName.residPre(layer: l)] = grab(a.residualIn(l), [T, C])
            trace[TraceName.lnMean(layer: l, 1)] = grab(o.ln1Mean, [T])
            trace[TraceName.lnScale(layer: l, 1)] = Tensor(shape: [T, 1], data: (0..<T).map { 1 / x[o.ln1Rstd + $0] })
            trace[TraceName.lnNormalized(layer: l, 1)] = grab(o.ln1, [T, C])
            if let raw = unrotated[l] {
                raw.withUnsafeBufferPointer {
                    trace[TraceName.q(layer: l)] = part($0.baseAddress!, 0)
                    trace[TraceName.k(layer: l)] = part($0.baseAddress!, 1)
                }
                trace[TraceName.rotQ(layer: l)] = part(x + o.qkv, 0)
                trace[TraceName.rotK(layer: l)] = part(x + o.qkv, 1)
            } else {
                trace[TraceName.q(layer: l)] = part(x + o.qkv, 0)
                trace[TraceName.k(layer: l)] = part(x + o.qkv, 1)
            }
            trace[TraceName.v(layer: l)] = part(x + o.qkv, 2)
            // Scores for every (query, key) pair, the future included: what the mask then hides.
            var unmasked = Tensor(shape: [NH, T, T]), masked = Tensor(shape: [NH, T, T])
            unmasked.data.withUnsafeMutableBufferPointer { u in
                masked.data.withUnsafeMutableBufferPointer { m in
                    attentionScoresForTrace(u.baseAddress!, m.baseAddress!, x + o.preatt, x + o.qkv, T: T, C: C, NH: NH)
                }
            }
            trace[TraceName.scoresUnmasked(layer: l)] = unmasked
            trace[TraceName.scores(layer: l)] = masked
            trace[TraceName.pattern(layer: l)] = grab(o.att, [NH, T, T])
            trace[TraceName.z(layer: l)] = grab(o.atty, [T, NH, HS])
            // Head h's share of the output projection: z_h · W_O[h·HS..<(h+1)·HS, :], all T rows
            // in one product (row t lands at [t, h, :]).
            var result = Tensor(shape: [T, NH, C])
            result.data.withUnsafeMutableBufferPointer { r in
                for h in 0..<NH {
                    gemm(M: T, N: C, K: HS, a: x + o.atty + h * HS, sam: C, sak: 1,
                         b: p + w.attnProjWeight + h * HS * C, ldb: C, c: r.baseAddress! + h * C, ldc: NH * C)
                }
            }
            trace[TraceName.result(layer: l)] = result
            trace[TraceName.attnOut(layer: l)] = grab(o.attproj, [T, C])
            trace[TraceName.residMid(layer: l)] = grab(o.residual2, [T, C])
            trace[TraceName.lnMean(layer: l, 2)] = grab(o.ln2Mean, [T])
            trace[TraceName.lnScale(layer: l, 2)] = Tensor(shape: [T, 1], data: (0..<T).map { 1 / x[o.ln2Rstd + $0] })
            trace[TraceName.lnNormalized(layer: l, 2)] = grab(o.ln2, [T, C])
            trace[TraceName.mlpPre(layer: l)] = grab(o.fch, [T, 4 * C])
            trace[TraceName.mlpPost(layer: l)] = grab(o.fchGelu, [T, 4 * C])
            trace[TraceName.mlpOut(layer: l)] = grab(o.fcproj, [T, C])
            trace[TraceName.residPost(layer: l)] = grab(o.residual3, [T, C])
        }
        trace[TraceName.lnFinalMean] = grab(a.lnfMean, [T])
        trace[TraceName.lnFinalScale] = Tensor(shape: [T, 1], data: (0..<T).map { 1 / x[a.lnfRstd + $0] })
        trace[TraceName.lnFinalNormalized] = grab(a.lnf, [T, C])
        trace[TraceName.logits] = grab(a.logits, [T, V])
        trace[TraceName.probs] = grab(a.probs, [T, V])
        return trace
    }
}
