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
    /// With `trace: false` this runs exactly the training kernels and keeps only the logits;
    /// with `trace: true` it also captures every tensor named in `TraceName`.
    ///
    ///     let result = model.forward([5, 17, 3], trace: true)
    ///     result.trace![TraceName.pattern(layer: 0)]!.shape   // [heads, 3, 3]
    public func forward(_ ids: [Int], trace: Bool = false) -> ForwardResult {
        let T = ids.count, V = config.vocabSize
        precondition(T >= 1 && T <= config.contextLength, "sequence length \(T) outside 1...\(config.contextLength)")
        precondition(ids.allSatisfy { $0 >= 0 && $0 < V }, "token id outside 0..<\(V)")
        let inputs = ids.map(Int32.init)
        if trace { return tracedForward(ids, inputs) }
        // The pass writes every activation it reads (the kernels' own outputs), so nothing is zeroed
        // first; the logits go straight into the result's array.
        let a = ActivationLayout(config, B: 1, T: T)
        let acts = FloatBuffer(count: a.count, zeroed: false)
        let logits = uninitializedArrays([T * V]) { out in
            var x = ActivationPointers(acts.pointer, a)
            x.logits = out[0]
            inputs.withUnsafeBufferPointer { inp in withUnembedding { forwardPass(x, B: 1, T: T, inp.baseAddress!, wteT: $0) } }
        }[0]
        return ForwardResult(logits: Tensor(shape: [T, V], data: logits), trace: nil)
    }

    /// The traced pass. Every activation that is a trace tensor as it stands (TransformerLens's
    /// shape is its memory order) is written by the kernels straight into that tensor's own array,
    /// so the trace copies only what it reshapes or adds: q, k and v split out of the fused rows,
    /// the masked scores, each head's result, the LayerNorm scales and the embeddings. `poison`
    /// (for tests) fills those arrays before the pass, to show that the pass writes all of them.
    func tracedForward(_ ids: [Int], _ inputs: [Int32], poison: Float? = nil) -> ForwardResult {
        let T = ids.count, C = config.width, NH = config.heads, HS = config.headSize, V = config.vocabSize, L = config.layers
        let rows = [T, C], wide = [T, 4 * C], heads = [T, NH, HS], square = [NH, T, T], stat = [T]
        // The arrays, in this order: the embedding's output, 13 per block, then 4 after the blocks.
        let block: [[Int]] = [rows, stat, heads, square, square, rows, rows, rows, stat, wide, wide, rows, rows]
        let shapes = [rows] + (0..<L).flatMap { _ in block } + [rows, stat, [T, V], [T, V]]
        // What is not a tensor as it stands: each block's qkv (T, 3C) and 1/σ of its two LayerNorms,
        // then the final LayerNorm's.
        let perBlock = 3 * T * C + 2 * T
        let scratch = FloatBuffer(count: L * perBlock + T, zeroed: false)
        func qkv(_ l: Int) -> UnsafeMutablePointer<Float> { scratch[l * perBlock] }
        func rstd(_ l: Int, _ n: Int) -> UnsafeMutablePointer<Float> { scratch[l * perBlock + 3 * T * C + (n - 1) * T] }
        var unrotated: [Int: [Float]] = [:]
        let arrays = uninitializedArrays(shapes.map { $0.reduce(1, *) }, poison: poison) { p in
            let x = ActivationPointers(encoded: p[0], layers: (0..<L).map { l in
                let b = 1 + 13 * l
                return .init(ln1: p[b], ln1Mean: p[b + 1], ln1Rstd: rstd(l, 1), qkv: qkv(l), atty: p[b + 2],
                             preatt: p[b + 3], att: p[b + 4], attproj: p[b + 5], residual2: p[b + 6],
                             ln2: p[b + 7], ln2Mean: p[b + 8], ln2Rstd: rstd(l, 2), fch: p[b + 9], fchGelu: p[b + 10],
                             fcproj: p[b + 11], residual3: p[b + 12])
            }, lnf: p[1 + 13 * L], lnfMean: p[2 + 13 * L], lnfRstd: scratch[L * perBlock],
               logits: p[3 + 13 * L], probs: p[4 + 13 * L])
            inputs.withUnsafeBufferPointer { inp in
                withUnembedding { wteT in
                    forwardPass(x, B: 1, T: T, inp.baseAddress!, wteT: wteT, beforeRotation: config.positional == .rope ? { l, qkv in
                        unrotated[l] = Array(UnsafeBufferPointer(start: qkv, count: T * 3 * C))
                    } : nil, futureScores: true)
                }
            }
        }
        let tensors = zip(shapes, arrays).map { Tensor(shape: $0, data: $1) }
        let logits = tensors[3 + 13 * L]
        return withExtendedLifetime(scratch) {
            ForwardResult(logits: logits, trace: capture(ids, tensors, qkv: qkv, rstd: rstd, lnfRstd: scratch[L * perBlock], unrotated: unrotated))
        }
    }

    /// Names the traced pass's tensors (TransformerLens shapes) and adds the ones it does not
    /// write as they stand.
    private func capture(_ ids: [Int], _ tensors: [Tensor], qkv: (Int) -> UnsafeMutablePointer<Float>,
                         rstd: (Int, Int) -> UnsafeMutablePointer<Float>, lnfRstd: UnsafeMutablePointer<Float>,
                         unrotated: [Int: [Float]]) -> Trace {
        let T = ids.count, C = config.width, NH = config.heads, HS = config.headSize, L = config.layers
        let p = params.pointer
        let rows = [T, C], heads = [T, NH, HS], column = [T, 1]
        // Sized once, so no insertion rehashes the names already in.
        var trace = Trace(ids: ids, tensors: Dictionary(minimumCapacity: TraceName.count(layers: L)))
        func put(_ name: String, _ tensor: Tensor) { trace.tensors[name] = tensor }
        func scale(_ rstd: UnsafeMutablePointer<Float>) -> Tensor { Tensor(shape: column, data: (0..<T).map { 1 / rstd[$0] }) }
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
        // Each layer's tensors are views, copies and small products of its own activations: build
        // the layers side by side, then name them in order. `work` is a rough flop count (the
        // per-head products' T·C·C, weighted for the copies beside them).
        var perLayer = [[(String, Tensor)]](repeating: [], count: L)
        perLayer.withUnsafeMutableBufferPointer { out in
            parallelRanges(L, work: T * C * C * 64) { layers in
                for l in layers {
                    var named: [(String, Tensor)] = []
                    named.reserveCapacity(23)
                    func put(_ name: String, _ tensor: Tensor) { named.append((name, tensor)) }
                    let b = 1 + 13 * l, w = layout.layers[l]
                    put(TraceName.residPre(layer: l), tensors[l == 0 ? 0 : b - 1])
                    put(TraceName.lnMean(layer: l, 1), tensors[b + 1])
                    put(TraceName.lnScale(layer: l, 1), scale(rstd(l, 1)))
                    put(TraceName.lnNormalized(layer: l, 1), tensors[b])
                    if let raw = unrotated[l] {
                        raw.withUnsafeBufferPointer {
                            put(TraceName.q(layer: l), part($0.baseAddress!, 0))
                            put(TraceName.k(layer: l), part($0.baseAddress!, 1))
                        }
                        put(TraceName.rotQ(layer: l), part(qkv(l), 0))
                        put(TraceName.rotK(layer: l), part(qkv(l), 1))
                    } else {
                        put(TraceName.q(layer: l), part(qkv(l), 0))
                        put(TraceName.k(layer: l), part(qkv(l), 1))
                    }
                    put(TraceName.v(layer: l), part(qkv(l), 2))
                    // The pass computed the scores for every (query, key) pair, the future included: the
                    // mask then hides j > i.
                    let unmasked = tensors[b + 3]
                    put(TraceName.scoresUnmasked(layer: l), unmasked)
                    var masked = unmasked
                    masked.data.withUnsafeMutableBufferPointer { m in
                        for row in 0..<(NH * T) { let i = row % T; (m.baseAddress! + row * T + i + 1).update(repeating: -.infinity, count: T - i - 1) }
                    }
                    put(TraceName.scores(layer: l), masked)
                    put(TraceName.pattern(layer: l), tensors[b + 4])
                    let z = tensors[b + 2]
                    put(TraceName.z(layer: l), z)
                    // Head h's share of the output projection: z_h · W_O[h·HS..<(h+1)·HS, :], all T rows
                    // in one product (row t lands at [t, h, :]).
                    put(TraceName.result(layer: l), Tensor(shape: [T, NH, C]) { r in
                        z.data.withUnsafeBufferPointer { z in
                            for h in 0..<NH {
                                gemm(M: T, N: C, K: HS, a: z.baseAddress! + h * HS, sam: C, sak: 1,
                                     b: p + w.attnProjWeight + h * HS * C, ldb: C, c: r + h * C, ldc: NH * C)
                            }
                        }
                    })
                    put(TraceName.attnOut(layer: l), tensors[b + 5])
                    put(TraceName.residMid(layer: l), tensors[b + 6])
                    put(TraceName.lnMean(layer: l, 2), tensors[b + 8])
                    put(TraceName.lnScale(layer: l, 2), scale(rstd(l, 2)))
                    put(TraceName.lnNormalized(layer: l, 2), tensors[b + 7])
                    put(TraceName.mlpPre(layer: l), tensors[b + 9])
                    put(TraceName.mlpPost(layer: l), tensors[b + 10])
                    put(TraceName.mlpOut(layer: l), tensors[b + 11])
                    put(TraceName.residPost(layer: l), tensors[b + 12])
                    out[l] = named
                }
            }
        }
        for named in perLayer { for (name, tensor) in named { put(name, tensor) } }
        put(TraceName.lnFinalMean, tensors[2 + 13 * L])
        put(TraceName.lnFinalScale, scale(lnfRstd))
        put(TraceName.lnFinalNormalized, tensors[1 + 13 * L])
        put(TraceName.logits, tensors[3 + 13 * L])
        put(TraceName.probs, tensors[4 + 13 * L])
        return trace
    }
}

/// Arrays of `counts[k]` floats (each > 0), uninitialised (or all `poison`) until `fill`, called
/// once with every array's first element, writes every element of every one.
/// `Array(unsafeUninitializedCapacity:)` lends its pointer only inside its closure, so each array
/// is made inside the closure of the one before, and `fill` runs in the innermost, where all the
/// pointers are valid.
func uninitializedArrays(_ counts: [Int], poison: Float? = nil, fill: ([UnsafeMutablePointer<Float>]) -> Void) -> [[Float]] {
    var arrays = [[Float]](repeating: [], count: counts.count)
    var pointers: [UnsafeMutablePointer<Float>] = []
    pointers.reserveCapacity(counts.count)
    func make(_ k: Int) {
        guard k < counts.count else { return fill(pointers) }
        precondition(counts[k] > 0, "uninitializedArrays: an empty array")
        let made = [Float](unsafeUninitializedCapacity: counts[k]) { buffer, count in
            pointers.append(buffer.baseAddress!)
            if let poison { buffer.baseAddress!.initialize(repeating: poison, count: counts[k]) }
            make(k + 1)
            count = counts[k]
        }
        arrays[k] = made
    }
    make(0)
    return arrays
}
