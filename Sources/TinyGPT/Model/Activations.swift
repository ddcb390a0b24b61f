/// Every activation of a forward pass over (B, T) tokens, carved out of one allocation
/// (llm.c's `malloc_and_point_activations`). Offsets are in floats.
struct ActivationLayout {
    struct Block {
        var ln1 = 0, ln1Mean = 0, ln1Rstd = 0    // (B,T,C), (B,T), (B,T)
        var qkv = 0                              // (B,T,3C)
        var atty = 0                             // (B,T,C)   z: heads side by side
        var preatt = 0, att = 0                  // (B,NH,T,T)
        var attproj = 0                          // (B,T,C)
        var residual2 = 0                        // (B,T,C)
        var ln2 = 0, ln2Mean = 0, ln2Rstd = 0
        var fch = 0, fchGelu = 0                 // (B,T,4C)
        var fcproj = 0                           // (B,T,C)
        var residual3 = 0                        // (B,T,C)
    }

    let B: Int, T: Int, width: Int
    private(set) var count = 0
    private(set) var encoded = 0                 // (B,T,C)
    private(set) var layers: [Block] = []
    private(set) var lnf = 0, lnfMean = 0, lnfRstd = 0
    private(set) var logits = 0, probs = 0       // (B,T,V)
    private(set) var losses = 0                  // (B,T)

    init(_ config: GPTConfig, B: Int, T: Int) {
        self.B = B
        self.T = T
        width = config.width
        let C = config.width, NH = config.heads, V = config.vocabSize, BT = B * T
        encoded = take(BT * C)
        for _ in 0..<config.layers {
            var b = Block()
            b.ln1 = take(BT * C); b.ln1Mean = take(BT); b.ln1Rstd = take(BT)
            b.qkv = take(BT * 3 * C)
            b.atty = take(BT * C)
            b.preatt = take(B * NH * T * T); b.att = take(B * NH * T * T)
            b.attproj = take(BT * C)
            b.residual2 = take(BT * C)
            b.ln2 = take(BT * C); b.ln2Mean = take(BT); b.ln2Rstd = take(BT)
            b.fch = take(BT * 4 * C); b.fchGelu = take(BT * 4 * C)
            b.fcproj = take(BT * C)
            b.residual3 = take(BT * C)
            layers.append(b)
        }
        lnf = take(BT * C); lnfMean = take(BT); lnfRstd = take(BT)
        logits = take(BT * V); probs = take(BT * V)
        losses = take(BT)
    }

    private mutating func take(_ n: Int) -> Int {
        defer { count += n }
        return count
    }

    /// The (offset, count) ranges whose gradients the backward pass accumulates with `+=` and so
    /// must start at zero. Scores, pattern, statistics and logits are overwritten or unused.
    var accumulatedGradients: [(Int, Int)] {
        // Most gradients are written whole by one kernel (matmulBackwardInput's dinp, geluBackward,
        // attentionBackward, the residual copies). The final LayerNorm adds into the last residual
        // stream, which nothing wrote before it.
        [(residualIn(layers.count), count(ofRows: 1))]
    }

    private func count(ofRows n: Int) -> Int { B * T * width * n }

    /// The residual stream entering block l.
    func residualIn(_ l: Int) -> Int { l == 0 ? encoded : layers[l - 1].residual3 }
}

/// Where each activation of a forward pass lives, as pointers: carved out of one allocation by an
/// `ActivationLayout` (training, the untraced pass), or each in an array of its own that a traced
/// pass then hands out as a tensor without copying it. Field names and shapes are the layout's.
struct ActivationPointers {
    typealias P = UnsafeMutablePointer<Float>
    struct Block {
        var ln1, ln1Mean, ln1Rstd, qkv, atty, preatt, att, attproj, residual2: P
        var ln2, ln2Mean, ln2Rstd, fch, fchGelu, fcproj, residual3: P
    }

    var encoded: P
    var layers: [Block]
    var lnf, lnfMean, lnfRstd, logits, probs: P

    init(encoded: P, layers: [Block], lnf: P, lnfMean: P, lnfRstd: P, logits: P, probs: P) {
        self.encoded = encoded; self.layers = layers
        self.lnf = lnf; self.lnfMean = lnfMean; self.lnfRstd = lnfRstd; self.logits = logits; self.probs = probs
    }

    /// The layout's offsets from `base`.
    init(_ x: P, _ a: ActivationLayout) {
        self.init(encoded: x + a.encoded, layers: a.layers.map { o in
            Block(ln1: x + o.ln1, ln1Mean: x + o.ln1Mean, ln1Rstd: x + o.ln1Rstd, qkv: x + o.qkv, atty: x + o.atty,
                  preatt: x + o.preatt, att: x + o.att, attproj: x + o.attproj, residual2: x + o.residual2,
                  ln2: x + o.ln2, ln2Mean: x + o.ln2Mean, ln2Rstd: x + o.ln2Rstd, fch: x + o.fch, fchGelu: x + o.fchGelu,
                  fcproj: x + o.fcproj, residual3: x + o.residual3)
        }, lnf: x + a.lnf, lnfMean: x + a.lnfMean, lnfRstd: x + a.lnfRstd, logits: x + a.logits, probs: x + a.probs)
    }

    /// The residual stream entering block l.
    func residualIn(_ l: Int) -> P { l == 0 ? encoded : layers[l - 1].residual3 }
}

/// An owned Float32 buffer that frees itself, zero-initialised unless the caller writes every
/// element it reads (`zeroed: false`).
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int, zeroed: Bool = true) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        if zeroed { pointer.initialize(repeating: 0, count: max(count, 1)) }
    }

    deinit { pointer.deallocate() }

    func zero() { pointer.update(repeating: 0, count: count) }
    subscript(offset: Int) -> UnsafeMutablePointer<Float> { pointer + offset }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
