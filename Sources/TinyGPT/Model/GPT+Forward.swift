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
        let slots = TraceSlots(layers: L)
        func shape(_ s: TraceSlots.Block) -> [Int] {
            switch s {
            case .ln1Mean, .ln2Mean: stat
            case .z: heads
            case .scores, .pattern: square
            case .mlpPre, .mlpPost: wide
            case .ln1, .attnOut, .residMid, .ln2, .mlpOut, .residPost: rows
            }
        }
        let shapes = [rows] + (0..<L).flatMap { _ in TraceSlots.Block.allCases.map(shape) } + [rows, stat, [T, V], [T, V]]
        // What is not a tensor as it stands: each block's qkv (T, 3C) and 1/σ of its two LayerNorms,
        // then the final LayerNorm's.
        let perBlock = 3 * T * C + 2 * T
        let scratch = FloatBuffer(count: L * perBlock + T, zeroed: false)
        func qkv(_ l: Int) -> UnsafeMutablePointer<Float> { scratch[l * perBlock] }
        func rstd(_ l: Int, _ n: Int) -> UnsafeMutablePointer<Float> { scratch[l * perBlock + 3 * T * C + (n - 1) * T] }
        var unrotated: [Int: [Float]] = [:]
        let arrays = uninitializedArrays(shapes.map { $0.reduce(1, *) }, poison: poison) { p in
            let x = ActivationPointers(encoded: p[TraceSlots.embedded], layers: (0..<L).map { l in
                func at(_ s: TraceSlots.Block) -> UnsafeMutablePointer<Float> { p[slots.at(l, s)] }
                return .init(ln1: at(.ln1), ln1Mean: at(.ln1Mean), ln1Rstd: rstd(l, 1), qkv: qkv(l), atty: at(.z),
                             preatt: at(.scores), att: at(.pattern), attproj: at(.attnOut), residual2: at(.residMid),
                             ln2: at(.ln2), ln2Mean: at(.ln2Mean), ln2Rstd: rstd(l, 2), fch: at(.mlpPre), fchGelu: at(.mlpPost),
                             fcproj: at(.mlpOut), residual3: at(.residPost))
            }, lnf: p[slots.at(.lnf)], lnfMean: p[slots.at(.lnfMean)], lnfRstd: scratch[L * perBlock],
               logits: p[slots.at(.logits)], probs: p[slots.at(.probs)])
            inputs.withUnsafeBufferPointer { inp in
                withUnembedding { wteT in
                    forwardPass(x, B: 1, T: T, inp.baseAddress!, wteT: wteT, beforeRotation: config.positional == .rope ? { l, qkv in
                        unrotated[l] = Array(UnsafeBufferPointer(start: qkv, count: T * 3 * C))
                    } : nil, futureScores: true)
                }
            }
        }
        let tensors = zip(shapes, arrays).map { Tensor(shape: $0, data: $1) }
        let logits = tensors[slots.at(.logits)]
        return withExtendedLifetime(scratch) {
            ForwardResult(logits: logits, trace: capture(ids, tensors, slots, qkv: qkv, rstd: rstd, lnfRstd: scratch[L * perBlock],
                                                         unrotated: unrotated))
        }
    }

    /// Names the traced pass's tensors (TransformerLens shapes) and adds the ones it does not
    /// write as they stand.
    private func capture(_ ids: [Int], _ tensors: [Tensor], _ slots: TraceSlots, qkv: (Int) -> UnsafeMutablePointer<Float>,
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
                    let w = layout.layers[l]
                    func at(_ s: TraceSlots.Block) -> Tensor { tensors[slots.at(l, s)] }
                    put(TraceName.residPre(layer: l), l == 0 ? tensors[TraceSlots.embedded] : tensors[slots.at(l - 1, .residPost)])
                    put(TraceName.lnMean(layer: l, 1), at(.ln1Mean))
                    put(TraceName.lnScale(layer: l, 1), scale(rstd(l, 1)))
                    put(TraceName.lnNormalized(layer: l, 1), at(.ln1))
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
                    let unmasked = at(.scores)
                    put(TraceName.scoresUnmasked(layer: l), unmasked)
                    var masked = unmasked
                    masked.data.withUnsafeMutableBufferPointer { m in
                        for row in 0..<(NH * T) { let i = row % T; (m.baseAddress! + row * T + i + 1).update(repeating: -.infinity, count: T - i - 1) }
                    }
                    put(TraceName.scores(layer: l), masked)
                    put(TraceName.pattern(layer: l), at(.pattern))
                    let z = at(.z)
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
                    put(TraceName.attnOut(layer: l), at(.attnOut))
                    put(TraceName.residMid(layer: l), at(.residMid))
                    put(TraceName.lnMean(layer: l, 2), at(.ln2Mean))
                    put(TraceName.lnScale(layer: l, 2), scale(rstd(l, 2)))
                    put(TraceName.lnNormalized(layer: l, 2), at(.ln2))
                    put(TraceName.mlpPre(layer: l), at(.mlpPre))
                    put(TraceName.mlpPost(layer: l), at(.mlpPost))
                    put(TraceName.mlpOut(layer: l), at(.mlpOut))
                    put(TraceName.residPost(layer: l), at(.residPost))
                    out[l] = named
                }
            }
        }
        for named in perLayer { for (name, tensor) in named { put(name, tensor) } }
        put(TraceName.lnFinalMean, tensors[slots.at(.lnfMean)])
        put(TraceName.lnFinalScale, scale(lnfRstd))
        put(TraceName.lnFinalNormalized, tensors[slots.at(.lnf)])
        put(TraceName.logits, tensors[slots.at(.logits)])
        put(TraceName.probs, tensors[slots.at(.probs)])
        return trace
    }
}

/// Where each of the traced pass's own arrays sits in its list: the embedding's output, then each
/// block's `Block` arrays, then the `Final` ones. Each is the trace tensor named like its case.
struct TraceSlots {
    enum Block: Int, CaseIterable {
        case ln1, ln1Mean, z, scores, pattern, attnOut, residMid, ln2, ln2Mean, mlpPre, mlpPost, mlpOut, residPost
    }
    enum Final: Int { case lnf, lnfMean, logits, probs }
    static let embedded = 0
    let layers: Int

    func at(_ l: Int, _ s: Block) -> Int { 1 + Block.allCases.count * l + s.rawValue }
    func at(_ f: Final) -> Int { 1 + Block.allCases.count * layers + f.rawValue }
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
