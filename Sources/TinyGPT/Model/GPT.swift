import Kernels
import Synchronization
/// The GPT-2 decoder: token + position embedding, L pre-LayerNorm blocks (causal multi-head
/// self-attention with fused QKV and an output projection; a 4× MLP with tanh-GELU; residuals),
/// a final LayerNorm and the unembedding tied to the token embedding.
///
/// Parameters live in one Float32 slab laid out by `ParameterLayout` (HF GPT-2 names).
///
///     let model = GPT(config: config, seed: 1337)
///     let result = model.forward(tokenizer.encode("我今天很"), trace: true)
///     let next = result.logits.row(result.logits.shape[0] - 1)   // logits for the next token
public final class GPT: @unchecked Sendable {
    public let config: GPTConfig
    public let layout: ParameterLayout
    /// The parameter slab, `layout.count` floats.
    let params: FloatBuffer
    /// The fixed sinusoidal table (T, C) when `positional == .sinusoidal`.
    let sinusoids: [Float]?
    /// cos/sin tables when `positional == .rope`.
    let rotary: RotaryTable?
    /// Bumped by every write to `params` (AdamW's update), so derived tables know they are stale.
    let parametersVersion = Atomic<Int>(0)
    /// wteᵀ (C, V) for the unembedding and the version of the parameters it was made from.
    private let unembeddingCache = Mutex<(version: Int, table: [Float])?>(nil)

    /// A model with the given parameters (`layout.count` floats in `ParameterLayout` order).
    public init(config: GPTConfig, parameters: [Float]) {
        self.config = config
        let layout = ParameterLayout(config)
        self.layout = layout
        precondition(parameters.count == layout.count, "expected \(layout.count) parameters, got \(parameters.count)")
        let slab = FloatBuffer(count: layout.count)
        parameters.withUnsafeBufferPointer { slab.pointer.update(from: $0.baseAddress!, count: layout.count) }
        params = slab
        sinusoids = config.positional == .sinusoidal ? sinusoidalPositions(contextLength: config.contextLength, width: config.width) : nil
        rotary = config.positional == .rope ? RotaryTable(contextLength: config.contextLength, headSize: config.headSize) : nil
    }

    /// GPT-2's initialisation: weights 𝒩(0, 0.02), the two projections into the residual stream
    /// scaled by 1/√(2L), biases 0, LayerNorm gains 1.
    public convenience init(config: GPTConfig, seed: UInt64) {
        let layout = ParameterLayout(config)
        var rng = SplitMix64(seed: seed)
        var p = [Float](repeating: 0, count: layout.count)
        let projStd = 0.02 / (2 * Double(config.layers)).squareRoot()
        for t in layout.tensors {
            let name = t.name
            if name.hasSuffix("ln_1.weight") || name.hasSuffix("ln_2.weight") || name == "ln_f.weight" {
                for i in t.offset..<(t.offset + t.count) { p[i] = 1 }
            } else if t.isMatrix {
                let std = name.hasSuffix("c_proj.weight") ? projStd : 0.02
                for i in t.offset..<(t.offset + t.count) { p[i] = Float(rng.nextNormal() * std) }
            }
        }
        self.init(config: config, parameters: p)
    }

    /// A copy of the parameter slab.
    public var parameters: [Float] { params.array }

    /// Parameters in one named tensor, e.g. `"wte.weight"`.
    public func tensor(_ name: String) -> Tensor? {
        guard let t = layout.tensor(named: name) else { return nil }
        return Tensor(shape: t.shape, data: Array(UnsafeBufferPointer(start: params[t.offset], count: t.count)))
    }

    /// Calls `body` with wteᵀ (C, V), the tied unembedding laid out for `gemm`: transposed once per
    /// version of the parameters and shared by every forward pass, key/value cache and logit lens
    /// of this model (a 1024 × 64 transpose took a quarter of a 32-token forward pass).
    func withUnembedding<R>(_ body: (UnsafePointer<Float>) -> R) -> R {
        unembeddingTable().withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// wteᵀ (C, V) as an array (shared, not copied, until someone writes to it).
    func unembeddingTable() -> [Float] {
        let version = parametersVersion.load(ordering: .acquiring)
        return unembeddingCache.withLock { cache in
            if let cache, cache.version == version { return cache.table }
            let V = config.vocabSize, C = config.width
            var t = [Float](repeating: 0, count: V * C)
            t.withUnsafeMutableBufferPointer { transpose(params[layout.tokenEmbedding], rows: V, cols: C, into: $0.baseAddress!) }
            cache = (version, t)
            return t
        }
    }

    /// Runs every kernel of the forward pass over `inputs` (B, T) into `acts`, up to the
    /// probabilities. `wteT` (C, V) is the transposed token embedding for the unembedding.
    /// `beforeRotation`, when given, receives each layer's qkv before RoPE rotates it.
    /// `blocks`, when given, stops after that many blocks (no logits): `NeuronScan` reads one
    /// block's MLP over thousands of tokens and needs nothing after it.
    func forwardPass(_ acts: FloatBuffer, _ a: ActivationLayout, _ inputs: UnsafePointer<Int32>,
                     wteT: UnsafePointer<Float>, beforeRotation: ((Int, UnsafePointer<Float>) -> Void)? = nil, blocks: Int? = nil) {
        forwardPass(ActivationPointers(acts.pointer, a), B: a.B, T: a.T, inputs, wteT: wteT, beforeRotation: beforeRotation, blocks: blocks)
    }

    /// `forwardPass` into activations wherever `x` puts them. `futureScores` also fills each score
    /// row's masked part j > i (q·k/√HS for every pair, what the trace shows before the mask).
    func forwardPass(_ x: ActivationPointers, B: Int, T: Int, _ inputs: UnsafePointer<Int32>, wteT: UnsafePointer<Float>,
                     beforeRotation: ((Int, UnsafePointer<Float>) -> Void)? = nil, blocks: Int? = nil, futureScores: Bool = false) {
        let C = config.width, NH = config.heads, V = config.vocabSize, BT = B * T
        let p = params.pointer
        withPositionTable { pos in
            embeddingForward(x.encoded, inputs, p + layout.tokenEmbedding, pos, B: B, T: T, C: C)
        }
        for l in 0..<min(config.layers, blocks ?? config.layers) {
            let w = layout.layers[l], o = x.layers[l]
            let residual = x.residualIn(l)
            layerNormForward(o.ln1, o.ln1Mean, o.ln1Rstd, residual, p + w.ln1Weight, p + w.ln1Bias, N: BT, C: C)
            matmulForward(o.qkv, o.ln1, p + w.qkvWeight, p + w.qkvBias, N: BT, IN: C, OUT: 3 * C)
            if let rotary {
                beforeRotation?(l, o.qkv)
                ropeForward(o.qkv, rotary, B: B, T: T, C: C, NH: NH)
            }
            attentionForward(o.atty, o.preatt, o.att, o.qkv, B: B, T: T, C: C, NH: NH, futureScores: futureScores)
            matmulForward(o.attproj, o.atty, p + w.attnProjWeight, p + w.attnProjBias, N: BT, IN: C, OUT: C)
            residualForward(o.residual2, residual, o.attproj, BT * C)
            layerNormForward(o.ln2, o.ln2Mean, o.ln2Rstd, o.residual2, p + w.ln2Weight, p + w.ln2Bias, N: BT, C: C)
            matmulForward(o.fch, o.ln2, p + w.fcWeight, p + w.fcBias, N: BT, IN: C, OUT: 4 * C)
            geluForward(o.fchGelu, o.fch, BT * 4 * C)
            matmulForward(o.fcproj, o.fchGelu, p + w.fcProjWeight, p + w.fcProjBias, N: BT, IN: 4 * C, OUT: C)
            residualForward(o.residual3, o.residual2, o.fcproj, BT * C)
        }
        if let blocks, blocks < config.layers { return }
        layerNormForward(x.lnf, x.lnfMean, x.lnfRstd, x.residualIn(config.layers),
                         p + layout.lnfWeight, p + layout.lnfBias, N: BT, C: C)
        gemm(M: BT, N: V, K: C, a: x.lnf, sam: C, sak: 1, b: wteT, ldb: V, c: x.logits, ldc: V)
        softmaxForward(x.probs, x.logits, N: BT, V: V)
    }

    /// Calls `body` with the additive position table (or nil for RoPE), valid for the call.
    func withPositionTable<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        if let wpe = layout.positionEmbedding { return body(params[wpe]) }
        if let sinusoids { return sinusoids.withUnsafeBufferPointer { body($0.baseAddress!) } }
        return body(nil)
    }
}
