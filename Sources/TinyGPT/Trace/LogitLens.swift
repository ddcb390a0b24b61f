import Kernels
/// The logit lens: what the model would predict if it stopped early. The residual stream after
/// the embedding and after each block goes through the final LayerNorm and the (tied)
/// unembedding, exactly as the last block's output does in `GPT.forwardPass`, so the last row
/// of the lens is the model's own logits.
///
/// One computation for chapter 3's table and the `logitLens` figure.
///
///     let lens = LogitLens(model: model, trace: model.forward(ids, trace: true).trace!)
///     lens.top(3, depth: lens.depths - 1, position: ids.count - 1)   // the model's own top 3
public struct LogitLens: Sendable {
    /// Depth 0 is the embedding (token + position), depth l + 1 the stream after block l.
    public let depths: Int
    /// Prompt length.
    public let positions: Int
    public let vocabSize: Int
    /// (depths, positions, V) logits, row-major.
    public let logits: [Float]

    /// Runs ln_f and the unembedding over `blocks.{l}.hook_resid_pre` of block 0 and every
    /// `blocks.{l}.hook_resid_post` of `trace`.
    public init(model: GPT, trace: Trace) {
        let c = model.config, C = c.width, V = c.vocabSize, L = c.layers
        let T = trace.ids.count
        depths = L + 1
        positions = T
        vocabSize = V
        let names = [TraceName.residPre(layer: 0)] + (0..<L).map { TraceName.residPost(layer: $0) }
        var residual = [Float]()
        residual.reserveCapacity(depths * T * C)
        for name in names { residual += trace[name]!.data }   // (depths·T, C)
        let N = depths * T
        var out = [Float](repeating: 0, count: N * V)
        let p = model.params.pointer
        let scratch = FloatBuffer(count: N * C + 2 * N)
        let ln = scratch.pointer, mean = ln + N * C, rstd = mean + N
        residual.withUnsafeBufferPointer { x in
            layerNormForward(ln, mean, rstd, x.baseAddress!, p + model.layout.lnfWeight, p + model.layout.lnfBias, N: N, C: C)
        }
        out.withUnsafeMutableBufferPointer { o in
            model.withUnembedding { wteT in gemm(M: N, N: V, K: C, a: ln, sam: C, sak: 1, b: wteT, ldb: V, c: o.baseAddress!, ldc: V) }
        }
        logits = out
    }

    /// The V logits at `depth` and `position`.
    public func logits(depth: Int, position: Int) -> [Float] {
        let start = (depth * positions + position) * vocabSize
        return Array(logits[start..<(start + vocabSize)])
    }

    /// The `k` most probable tokens there (softmax of the lens logits; order as `Sampler.order`).
    public func top(_ k: Int, depth: Int, position: Int) -> [(id: Int, probability: Double)] {
        let row = logits(depth: depth, position: position)
        let p = Sampler.softmax(row)
        return Sampler.order(row).prefix(k).map { ($0, p[$0]) }
    }

    /// The first depth whose top token is already the last depth's top token and stays so at
    /// every depth after it.
    public func settledDepth(position: Int) -> Int {
        let final = top(1, depth: depths - 1, position: position)[0].id
        var d = depths - 1
        while d > 0, top(1, depth: d - 1, position: position)[0].id == final { d -= 1 }
        return d
    }
}
