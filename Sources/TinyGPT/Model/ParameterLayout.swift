/// One named tensor inside the parameter slab.
public struct ParameterTensor: Equatable, Sendable {
    /// Hugging Face GPT-2 name, e.g. `h.0.attn.c_attn.weight`.
    public let name: String
    /// Row-major shape; linear weights are input-major [in, out] like GPT-2's Conv1D.
    public let shape: [Int]
    /// Offset of the first element in the slab.
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
    /// Weight decay applies to matrices (embeddings and linear weights), not to biases or LayerNorm.
    public var isMatrix: Bool { shape.count == 2 }
}

/// The table of parameter sizes (llm.c's `fill_in_parameter_sizes`): every tensor of the model,
/// in checkpoint order, carved out of one Float32 slab.
///
///     let layout = ParameterLayout(config)
///     let qkv = layout.layers[0].qkvWeight   // offset of h.0.attn.c_attn.weight, [C, 3C]
public struct ParameterLayout: Sendable {
    /// Offsets of one block's tensors in the slab.
    public struct Block: Sendable {
        public var ln1Weight = 0, ln1Bias = 0        // (C), (C)
        public var qkvWeight = 0, qkvBias = 0        // (C, 3C), (3C)
        public var attnProjWeight = 0, attnProjBias = 0  // (C, C), (C)
        public var ln2Weight = 0, ln2Bias = 0        // (C), (C)
        public var fcWeight = 0, fcBias = 0          // (C, 4C), (4C)
        public var fcProjWeight = 0, fcProjBias = 0  // (4C, C), (C)
    }

    public let config: GPTConfig
    public private(set) var tensors: [ParameterTensor] = []
    /// Total number of Float32 parameters.
    public private(set) var count = 0
    public private(set) var tokenEmbedding = 0     // wte (V, C); also the tied unembedding
    /// wpe (T, C), only for `.learned` positions.
    public private(set) var positionEmbedding: Int? = nil
    public private(set) var layers: [Block] = []
    public private(set) var lnfWeight = 0, lnfBias = 0  // (C), (C)

    public init(_ config: GPTConfig) {
        self.config = config
        let V = config.vocabSize, T = config.contextLength, C = config.width
        tokenEmbedding = add("wte.weight", [V, C])
        if config.positional == .learned { positionEmbedding = add("wpe.weight", [T, C]) }
        for l in 0..<config.layers {
            let p = "h.\(l)."
            var b = Block()
            b.ln1Weight = add(p + "ln_1.weight", [C])
            b.ln1Bias = add(p + "ln_1.bias", [C])
            b.qkvWeight = add(p + "attn.c_attn.weight", [C, 3 * C])
            b.qkvBias = add(p + "attn.c_attn.bias", [3 * C])
            b.attnProjWeight = add(p + "attn.c_proj.weight", [C, C])
            b.attnProjBias = add(p + "attn.c_proj.bias", [C])
            b.ln2Weight = add(p + "ln_2.weight", [C])
            b.ln2Bias = add(p + "ln_2.bias", [C])
            b.fcWeight = add(p + "mlp.c_fc.weight", [C, 4 * C])
            b.fcBias = add(p + "mlp.c_fc.bias", [4 * C])
            b.fcProjWeight = add(p + "mlp.c_proj.weight", [4 * C, C])
            b.fcProjBias = add(p + "mlp.c_proj.bias", [C])
            layers.append(b)
        }
        lnfWeight = add("ln_f.weight", [C])
        lnfBias = add("ln_f.bias", [C])
    }

    private mutating func add(_ name: String, _ shape: [Int]) -> Int {
        let t = ParameterTensor(name: name, shape: shape, offset: count)
        tensors.append(t)
        count += t.count
        return t.offset
    }

    public func tensor(named name: String) -> ParameterTensor? { tensors.first { $0.name == name } }
}
