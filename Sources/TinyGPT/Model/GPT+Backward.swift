import Kernels
import Synchronization
/// Buffers for training on (B, T) batches, allocated once (a step allocates only small bookkeeping,
/// such as each shard's queue of parameter-gradient additions): activations, their gradients, the
/// parameter gradients and the transposed weights.
///
/// The batch's rows are cut into shards, one per kernel thread (at most B). Each shard has its own
/// activations and activation gradients, and runs its forward and backward pass on one
/// thread, without the hand-off between threads that every kernel would otherwise pay (a step
/// makes about a hundred kernel calls of tens of microseconds). The parameter gradients sum over
/// every row: each shard adds its rows to a tensor's sum soon after computing them (its data still
/// in its core's cache), but only once the shard before it has added its own (until then the
/// addition waits in a queue and the shard goes on), so every tensor gets its rows in batch order. Those sums are running sums over the rows (`gemm`'s FMA
/// chain, `columnSums`, the LayerNorm and embedding sums): rows 0..<n then n..<N give the bits of
/// one pass over all N, so the shard count changes no bits.
public final class TrainingWorkspace {
    /// Rows `rows` of the batch with their own buffers; `inputs` and `targets` point into the
    /// workspace's.
    final class Shard {
        let rows: Range<Int>
        let layout: ActivationLayout
        let acts: FloatBuffer
        let dacts: FloatBuffer
        let inputs: UnsafeMutablePointer<Int32>
        let targets: UnsafeMutablePointer<Int32>
        /// Activation-gradient ranges to clear before each backward pass (the ones kernels add into).
        let zeroedGradients: [(Int, Int)]
        /// How many of its additions to the parameter gradients this shard has made in the current
        /// backward pass; the next shard waits on it.
        let added = Atomic<Int>(0)

        init(_ c: GPTConfig, rows: Range<Int>, T: Int, inputs: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>) {
            self.rows = rows
            layout = ActivationLayout(c, B: rows.count, T: T)
            acts = FloatBuffer(count: layout.count)
            dacts = FloatBuffer(count: layout.count)
            zeroedGradients = layout.accumulatedGradients
            self.inputs = inputs + rows.lowerBound * T
            self.targets = targets + rows.lowerBound * T
        }
    }

    let shards: [Shard]
    /// Parameter gradients, in the same layout as the parameter slab.
    let grads: FloatBuffer
    let wteT: FloatBuffer
    /// Each block's weight matrices transposed (at the weight's own offset in the parameter
    /// layout) for the backward pass's input gradients: once per step, read by every shard.
    let weightsT: FloatBuffer
    let inputs: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    public let batchSize: Int
    public let sequenceLength: Int

    /// `shards` defaults to one per kernel thread; whatever it is, the results are the same bits.
    public init(model: GPT, batchSize B: Int, sequenceLength T: Int, shards count: Int? = nil) {
        let c = model.config
        precondition(T <= c.contextLength, "sequence length \(T) exceeds the context \(c.contextLength)")
        precondition(B >= 1, "batch size must be at least 1")
        batchSize = B
        sequenceLength = T
        grads = FloatBuffer(count: model.layout.count)
        wteT = FloatBuffer(count: c.vocabSize * c.width)
        weightsT = FloatBuffer(count: model.layout.count)
        inputs = .allocate(capacity: B * T)
        inputs.initialize(repeating: 0, count: B * T)
        targets = .allocate(capacity: B * T)
        targets.initialize(repeating: 0, count: B * T)
        let n = min(B, max(1, count ?? kernelThreads))
        shards = (0..<n).map { [inputs, targets] i in
            Shard(c, rows: (i * B / n)..<((i + 1) * B / n), T: T, inputs: inputs, targets: targets)
        }
    }

    deinit {
        inputs.deallocate()
        targets.deallocate()
    }

    /// Copies a batch in: `inputs` and `targets` are B·T token ids, row-major (B, T).
    public func load(inputs ids: [Int], targets next: [Int]) {
        precondition(ids.count == batchSize * sequenceLength && next.count == ids.count, "batch must hold B·T ids")
        for i in 0..<ids.count {
            inputs[i] = Int32(ids[i])
            targets[i] = Int32(next[i])
        }
    }

    /// A copy of the parameter gradients after `backward`.
    public var gradients: [Float] { grads.array }

    /// Runs `body` for every shard, the shards side by side on the kernel threads (each shard's
    /// kernels then run on its thread alone).
    func eachShard(_ body: (Shard) -> Void) {
        if shards.count == 1 { body(shards[0]); return }
        parallelRanges(shards.count, work: .max) { r in for i in r { body(shards[i]) } }
    }
}

extension TrainingWorkspace {
    /// The mean next-token loss of the last forward pass over the batch's first `rows` rows, summed
    /// in the order `GPT.forward` sums (all rows: the same Float it returned).
    public func meanLoss(rows: Int) -> Float {
        precondition(rows >= 1 && rows <= batchSize, "rows out of range")
        var sum: Float = 0
        for s in shards where s.rows.lowerBound < rows {
            let losses = s.acts[s.layout.losses]
            for i in 0..<((min(rows, s.rows.upperBound) - s.rows.lowerBound) * sequenceLength) { sum += losses[i] }
        }
        return sum / Float(rows * sequenceLength)
    }
}

extension GPT {
    /// Forward pass over the workspace's batch; returns the mean next-token cross-entropy.
    @discardableResult
    public func forward(_ ws: TrainingWorkspace) -> Float {
        // The parameters change every step: transpose into the workspace's own table.
        transpose(params[layout.tokenEmbedding], rows: config.vocabSize, cols: config.width, into: ws.wteT.pointer)
        ws.eachShard { s in
            let a = s.layout
            forwardPass(s.acts, a, s.inputs, wteT: ws.wteT.pointer)
            crossEntropyForward(s.acts[a.losses], s.acts[a.probs], s.targets, N: a.B * a.T, V: config.vocabSize)
        }
        return ws.meanLoss(rows: ws.batchSize)
    }

    /// Backward pass after `forward(ws)`: parameter gradients of the mean loss into `ws.grads`
    /// (overwritten, not accumulated across calls).
    public func backward(_ ws: TrainingWorkspace) {
        ws.grads.zero()
        // Wᵀ of every block matrix for the input gradients, once for all the shards.
        let C = config.width
        let matrices = layout.layers.flatMap { w in
            [(w.qkvWeight, C, 3 * C), (w.attnProjWeight, C, C), (w.fcWeight, C, 4 * C), (w.fcProjWeight, 4 * C, C)]
        }
        parallelRanges(matrices.count, work: matrices.count * 3 * C * C * 4) { range in
            for (offset, IN, OUT) in matrices[range] { transpose(params[offset], rows: IN, cols: OUT, into: ws.weightsT[offset]) }
        }
        for s in ws.shards { s.added.store(0, ordering: .relaxed) }
        let rows = ws.batchSize * ws.sequenceLength
        ws.eachShard { backward(ws, shard: $0, meanOver: rows) }
        // The embedding's scatter-add comes last for every row (the unembedding's product added
        // into the same table first, for every shard).
        let dwpe = layout.positionEmbedding.map { ws.grads.pointer + $0 }
        for s in ws.shards {
            embeddingBackward(ws.grads.pointer + layout.tokenEmbedding, dwpe, s.dacts.pointer + s.layout.encoded, s.inputs,
                              B: s.rows.count, T: ws.sequenceLength, C: config.width)
        }
    }

    /// Shard `s`'s part of the backward pass: the gradient of the mean loss over `meanOver` rows
    /// with respect to each of its activations, output to input, and its rows' share of each
    /// parameter gradient, added in turn after the previous shard's (`inTurn`).
    private func backward(_ ws: TrainingWorkspace, shard s: TrainingWorkspace.Shard, meanOver: Int) {
        let a = s.layout, B = a.B, T = a.T, BT = B * T
        let C = config.width, NH = config.heads, V = config.vocabSize
        let p = params.pointer, x = s.acts.pointer, d = s.dacts.pointer, g = ws.grads.pointer, wT = ws.weightsT.pointer
        let layout = self.layout
        let previous = ws.shards.firstIndex { $0 === s }.flatMap { $0 > 0 ? ws.shards[$0 - 1] : nil }
        var added = 0
        /// This shard's additions not made yet, in order: each waits for the previous shard to make
        /// the same addition first. Every shard makes its additions in the same order, and shards
        /// start in order on the threads (the pool hands out chunks in order), so the shard waited
        /// for is always running or done.
        var pending: [() -> Void] = []
        pending.reserveCapacity(2 + 6 * config.layers)
        /// Makes the pending additions whose turn has come; with `all`, waits for the turn of each.
        /// What an addition reads is final once it is queued (the pass writes each activation
        /// gradient before reading it, and never after), so making it later changes nothing.
        func addPending(all: Bool) {
            while added < pending.count {
                if let previous, previous.added.load(ordering: .acquiring) <= added {
                    guard all else { return }
                    while previous.added.load(ordering: .acquiring) <= added {}
                }
                pending[added]()
                added += 1
                s.added.store(added, ordering: .releasing)
            }
        }
        /// Queues `body`, this shard's addition to one parameter gradient, and makes it (and any
        /// others queued) as soon as the previous shard has made its own: a shard that is ahead
        /// goes on with its activation gradients instead of waiting.
        func inTurn(_ body: @escaping () -> Void) {
            pending.append(body)
            addPending(all: false)
        }
        defer { addPending(all: true) }
        for (offset, count) in s.zeroedGradients { (d + offset).update(repeating: 0, count: count) }

        crossEntropySoftmaxBackward(d + a.logits, x + a.probs, s.targets, N: BT, V: V, meanOver: meanOver)
        // logits = lnf · wteᵀ, so dlnf = dlogits · wte and dwte += dlogitsᵀ · lnf.
        gemm(M: BT, N: C, K: V, a: d + a.logits, sam: V, sak: 1, b: p + layout.tokenEmbedding, ldb: C,
             c: d + a.lnf, ldc: C)
        inTurn {
            gemm(M: V, N: C, K: BT, a: d + a.logits, sam: 1, sak: V, b: x + a.lnf, ldb: C,
                 c: g + layout.tokenEmbedding, ldc: C, accumulate: true)
        }
        let last = a.residualIn(config.layers)
        layerNormBackwardInput(d + last, d + a.lnf, x + last, p + layout.lnfWeight, x + a.lnfMean, x + a.lnfRstd, N: BT, C: C)
        inTurn {
            layerNormBackwardParameters(g + layout.lnfWeight, g + layout.lnfBias, d + a.lnf, x + last, x + a.lnfMean, x + a.lnfRstd, N: BT, C: C)
        }

        for l in (0..<config.layers).reversed() {
            let w = layout.layers[l], o = a.layers[l], r = a.residualIn(l)
            // residual3 = residual2 + fcproj: both get residual3's gradient as it is (the MLP's
            // output reads it in place; residual2's copy then gathers LayerNorm 2's share too).
            (d + o.residual2).update(from: d + o.residual3, count: BT * C)
            matmulBackwardInput(d + o.fchGelu, d + o.residual3, weightT: wT + w.fcProjWeight, N: BT, IN: 4 * C, OUT: C)
            inTurn { matmulBackwardWeights(g + w.fcProjWeight, g + w.fcProjBias, d + o.residual3, x + o.fchGelu, N: BT, IN: 4 * C, OUT: C) }
            geluBackward(d + o.fch, x + o.fch, d + o.fchGelu, BT * 4 * C)
            matmulBackwardInput(d + o.ln2, d + o.fch, weightT: wT + w.fcWeight, N: BT, IN: C, OUT: 4 * C)
            inTurn { matmulBackwardWeights(g + w.fcWeight, g + w.fcBias, d + o.fch, x + o.ln2, N: BT, IN: C, OUT: 4 * C) }
            layerNormBackwardInput(d + o.residual2, d + o.ln2, x + o.residual2, p + w.ln2Weight, x + o.ln2Mean, x + o.ln2Rstd, N: BT, C: C)
            inTurn {
                layerNormBackwardParameters(g + w.ln2Weight, g + w.ln2Bias, d + o.ln2, x + o.residual2, x + o.ln2Mean, x + o.ln2Rstd, N: BT, C: C)
            }
            // residual2 = residualIn + attproj, the same way.
            (d + r).update(from: d + o.residual2, count: BT * C)
            matmulBackwardInput(d + o.atty, d + o.residual2, weightT: wT + w.attnProjWeight, N: BT, IN: C, OUT: C)
            inTurn { matmulBackwardWeights(g + w.attnProjWeight, g + w.attnProjBias, d + o.residual2, x + o.atty, N: BT, IN: C, OUT: C) }
            attentionBackward(d + o.qkv, d + o.atty, x + o.qkv, x + o.att, B: B, T: T, C: C, NH: NH)
            if let rotary { ropeBackward(d + o.qkv, rotary, B: B, T: T, C: C, NH: NH) }
            matmulBackwardInput(d + o.ln1, d + o.qkv, weightT: wT + w.qkvWeight, N: BT, IN: C, OUT: 3 * C)
            inTurn { matmulBackwardWeights(g + w.qkvWeight, g + w.qkvBias, d + o.qkv, x + o.ln1, N: BT, IN: C, OUT: 3 * C) }
            layerNormBackwardInput(d + r, d + o.ln1, x + r, p + w.ln1Weight, x + o.ln1Mean, x + o.ln1Rstd, N: BT, C: C)
            inTurn {
                layerNormBackwardParameters(g + w.ln1Weight, g + w.ln1Bias, d + o.ln1, x + r, x + o.ln1Mean, x + o.ln1Rstd, N: BT, C: C)
            }
        }
    }
}
