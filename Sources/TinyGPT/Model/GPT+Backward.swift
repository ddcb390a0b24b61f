import Kernels
/// Buffers for training on (B, T) batches, allocated once so a training step allocates nothing:
/// activations, their gradients, the parameter gradients and kernel scratch space.
public final class TrainingWorkspace {
    let layout: ActivationLayout
    let acts: FloatBuffer
    let dacts: FloatBuffer
    /// Parameter gradients, in the same layout as the parameter slab.
    let grads: FloatBuffer
    let wteT: FloatBuffer
    let scratch: FloatBuffer
    let inputs: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    /// Activation-gradient ranges to clear before each backward pass (the ones kernels add into).
    let zeroedGradients: [(Int, Int)]

    public init(model: GPT, batchSize B: Int, sequenceLength T: Int) {
        let c = model.config
        precondition(T <= c.contextLength, "sequence length \(T) exceeds the context \(c.contextLength)")
        layout = ActivationLayout(c, B: B, T: T)
        acts = FloatBuffer(count: layout.count)
        dacts = FloatBuffer(count: layout.count)
        zeroedGradients = layout.accumulatedGradients
        grads = FloatBuffer(count: model.layout.count)
        wteT = FloatBuffer(count: c.vocabSize * c.width)
        scratch = FloatBuffer(count: max(4 * c.width * c.width, c.vocabSize * c.width))
        inputs = .allocate(capacity: B * T)
        inputs.initialize(repeating: 0, count: B * T)
        targets = .allocate(capacity: B * T)
        targets.initialize(repeating: 0, count: B * T)
    }

    deinit {
        inputs.deallocate()
        targets.deallocate()
    }

    public var batchSize: Int { layout.B }
    public var sequenceLength: Int { layout.T }

    /// Copies a batch in: `inputs` and `targets` are B·T token ids, row-major (B, T).
    public func load(inputs ids: [Int], targets next: [Int]) {
        precondition(ids.count == layout.B * layout.T && next.count == ids.count, "batch must hold B·T ids")
        for i in 0..<ids.count {
            inputs[i] = Int32(ids[i])
            targets[i] = Int32(next[i])
        }
    }

    /// A copy of the parameter gradients after `backward`.
    public var gradients: [Float] { grads.array }
}

extension TrainingWorkspace {
    /// The mean next-token loss of the last forward pass over the batch's first `rows` rows, summed
    /// in the order `GPT.forward` sums (all rows: the same Float it returned).
    public func meanLoss(rows: Int) -> Float {
        let n = rows * layout.T
        precondition(rows >= 1 && rows <= layout.B, "rows out of range")
        let losses = acts[layout.losses]
        var sum: Float = 0
        for i in 0..<n { sum += losses[i] }
        return sum / Float(n)
    }
}

extension GPT {
    /// Forward pass over the workspace's batch; returns the mean next-token cross-entropy.
    @discardableResult
    public func forward(_ ws: TrainingWorkspace) -> Float {
        let a = ws.layout, BT = a.B * a.T
        // The parameters change every step: transpose into the workspace's own table.
        transpose(params[layout.tokenEmbedding], rows: config.vocabSize, cols: config.width, into: ws.wteT.pointer)
        forwardPass(ws.acts, a, ws.inputs, wteT: ws.wteT.pointer)
        let losses = ws.acts[a.losses]
        crossEntropyForward(losses, ws.acts[a.probs], ws.targets, N: BT, V: config.vocabSize)
        var sum: Float = 0
        for i in 0..<BT { sum += losses[i] }
        return sum / Float(BT)
    }

    /// Backward pass after `forward(ws)`: parameter gradients of the mean loss into `ws.grads`
    /// (overwritten, not accumulated across calls).
    public func backward(_ ws: TrainingWorkspace) {
        let a = ws.layout, B = a.B, T = a.T, BT = B * T
        let C = config.width, NH = config.heads, V = config.vocabSize
        let p = params.pointer, x = ws.acts.pointer, g = ws.grads.pointer, d = ws.dacts.pointer
        let scratch = ws.scratch.pointer
        ws.grads.zero()
        for (offset, count) in ws.zeroedGradients { (d + offset).update(repeating: 0, count: count) }

        crossEntropySoftmaxBackward(d + a.logits, x + a.probs, ws.targets, N: BT, V: V)
        // logits = lnf · wteᵀ, so dlnf += dlogits · wte and dwte += dlogitsᵀ · lnf.
        gemm(M: BT, N: C, K: V, a: d + a.logits, sam: V, sak: 1, b: p + layout.tokenEmbedding, ldb: C,
             c: d + a.lnf, ldc: C)
        gemm(M: V, N: C, K: BT, a: d + a.logits, sam: 1, sak: V, b: x + a.lnf, ldb: C,
             c: g + layout.tokenEmbedding, ldc: C, accumulate: true)
        let last = a.residualIn(config.layers)
        layerNormBackward(d + last, g + layout.lnfWeight, g + layout.lnfBias, d + a.lnf, x + last,
                          p + layout.lnfWeight, x + a.lnfMean, x + a.lnfRstd, N: BT, C: C)

        for l in (0..<config.layers).reversed() {
            let w = layout.layers[l], o = a.layers[l], r = a.residualIn(l)
            // residual3 = residual2 + fcproj: both get residual3's gradient as it is (the MLP's
            // output reads it in place; residual2's copy then gathers LayerNorm 2's share too).
            (d + o.residual2).update(from: d + o.residual3, count: BT * C)
            matmulBackward(d + o.fchGelu, g + w.fcProjWeight, g + w.fcProjBias, d + o.residual3, x + o.fchGelu,
                           p + w.fcProjWeight, N: BT, IN: 4 * C, OUT: C, scratch: scratch)
            geluBackward(d + o.fch, x + o.fch, d + o.fchGelu, BT * 4 * C)
            matmulBackward(d + o.ln2, g + w.fcWeight, g + w.fcBias, d + o.fch, x + o.ln2,
                           p + w.fcWeight, N: BT, IN: C, OUT: 4 * C, scratch: scratch)
            layerNormBackward(d + o.residual2, g + w.ln2Weight, g + w.ln2Bias, d + o.ln2, x + o.residual2,
                              p + w.ln2Weight, x + o.ln2Mean, x + o.ln2Rstd, N: BT, C: C)
            // residual2 = residualIn + attproj, the same way.
            (d + r).update(from: d + o.residual2, count: BT * C)
            matmulBackward(d + o.atty, g + w.attnProjWeight, g + w.attnProjBias, d + o.residual2, x + o.atty,
                           p + w.attnProjWeight, N: BT, IN: C, OUT: C, scratch: scratch)
            attentionBackward(d + o.qkv, d + o.atty, x + o.qkv, x + o.att, B: B, T: T, C: C, NH: NH)
            if let rotary { ropeBackward(d + o.qkv, rotary, B: B, T: T, C: C, NH: NH) }
            matmulBackward(d + o.ln1, g + w.qkvWeight, g + w.qkvBias, d + o.qkv, x + o.ln1,
                           p + w.qkvWeight, N: BT, IN: C, OUT: 3 * C, scratch: scratch)
            layerNormBackward(d + r, g + w.ln1Weight, g + w.ln1Bias, d + o.ln1, x + r,
                              p + w.ln1Weight, x + o.ln1Mean, x + o.ln1Rstd, N: BT, C: C)
        }
        let dwpe = layout.positionEmbedding.map { g + $0 }
        embeddingBackward(g + layout.tokenEmbedding, dwpe, d + a.encoded, ws.inputs, B: B, T: T, C: C)
    }
}
