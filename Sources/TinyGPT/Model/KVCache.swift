import Kernels
extension GPT: LanguageModel {
    public var vocabSize: Int { config.vocabSize }
    public var contextLength: Int { config.contextLength }

    /// Next-token logits after `ids` from the full forward pass (no cache).
    public func nextTokenLogits(_ ids: [Int]) -> [Float] {
        Array(forward(ids).logits.row(ids.count - 1))
    }

    public func makeCache() -> any DecodingCache { KVCache(model: self) }
}

/// Incremental decoding: the keys and values of every layer for the tokens consumed so far, so a
/// new token costs one row through each kernel instead of a pass over the whole prefix.
///
/// A value type: copying it (beam search) copies the cache, and the arrays are shared until one
/// side appends. Each step calls the same kernels as `GPT.forward` on one row, so its logits
/// equal the full pass's last row bit for bit.
///
///     var cache = KVCache(model: model)
///     for id in prompt { logits = cache.append(id) }
public struct KVCache: DecodingCache {
    public let model: GPT
    /// Per layer, (T, C): the rotated keys and the values of positions 0..<count.
    private var keys: [[Float]]
    private var values: [[Float]]
    /// wteᵀ (C, V) for the unembedding, the model's shared table.
    private let wteT: [Float]
    public private(set) var count = 0
    /// One row of every activation, reused by every step (and shared by copies, which step one at a time).
    private let scratch: FloatBuffer

    public init(model: GPT) {
        self.model = model
        let c = model.config
        keys = Array(repeating: [Float](repeating: 0, count: c.contextLength * c.width), count: c.layers)
        values = keys
        wteT = model.unembeddingTable()
        scratch = FloatBuffer(count: 13 * c.width + 8 * c.width + 2 * c.contextLength + 2 * c.vocabSize + 2)
    }

    public func copy() -> any DecodingCache { self }

    public mutating func append(_ token: Int) -> [Float] {
        var none: Trace? = nil
        return step(token, trace: &none)
    }

    /// Like `append`, and also returns this position's tensors under the trace names, with
    /// `pos` = 1 and `key_pos` = the tokens seen so far (e.g. the pattern is [head, 1, count]).
    public mutating func appendTraced(_ token: Int) -> (logits: [Float], trace: Trace) {
        var trace: Trace? = Trace(ids: [token])
        let logits = step(token, trace: &trace)
        return (logits, trace!)
    }

    private mutating func step(_ token: Int, trace: inout Trace?) -> [Float] {
        let c = model.config, C = c.width, NH = c.heads, HS = c.headSize, V = c.vocabSize
        let t = count
        precondition(t < c.contextLength, "the cache is full: \(c.contextLength) tokens")
        precondition(token >= 0 && token < V, "token id outside 0..<\(V)")
        let p = model.params.pointer
        // One row of every activation: x, ln, qkv, z, proj, mid, ln2, fch, gelu, mlp, lnf.
        let x = scratch.pointer, ln = x + C, qkv = ln + C, z = qkv + 3 * C, proj = z + C, mid = proj + C
        let ln2 = mid + C, fch = ln2 + C, gelu = fch + 4 * C, mlp = gelu + 4 * C, lnf = mlp + C
        let preatt = lnf + C, att = preatt + c.contextLength, logits = att + c.contextLength, stats = logits + V
        let probs = stats + 2
        var tok = Int32(token)
        model.withPositionTable { pos in
            embeddingForward(x, &tok, p + model.layout.tokenEmbedding, pos, B: 1, T: 1, C: C, positionOffset: t)
            if trace != nil {
                trace![TraceName.embed] = Tensor(shape: [1, C], data: Array(UnsafeBufferPointer(start: p + model.layout.tokenEmbedding + token * C, count: C)))
                if let pos { trace![TraceName.posEmbed] = Tensor(shape: [1, C], data: Array(UnsafeBufferPointer(start: pos + t * C, count: C))) }
            }
        }
        func row(_ ptr: UnsafePointer<Float>, _ shape: [Int]) -> Tensor {
            Tensor(shape: shape, data: Array(UnsafeBufferPointer(start: ptr, count: shape.reduce(1, *))))
        }
        let scale = 1 / Float(HS).squareRoot()
        for l in 0..<c.layers {
            let w = model.layout.layers[l]
            trace?[TraceName.residPre(layer: l)] = row(x, [1, C])
            layerNormForward(ln, stats, stats + 1, x, p + w.ln1Weight, p + w.ln1Bias, N: 1, C: C)
            matmulForward(qkv, ln, p + w.qkvWeight, p + w.qkvBias, N: 1, IN: C, OUT: 3 * C)
            if let rotary = model.rotary { ropeForward(qkv, rotary, B: 1, T: 1, C: C, NH: NH, positionOffset: t) }
            keys[l].withUnsafeMutableBufferPointer { k in
                values[l].withUnsafeMutableBufferPointer { v in
                    let kb = k.baseAddress!, vb = v.baseAddress!
                    (kb + t * C).update(from: qkv + C, count: C)
                    (vb + t * C).update(from: qkv + 2 * C, count: C)
                    var pattern = trace == nil ? nil : Tensor(shape: [NH, 1, t + 1])
                    var scores = pattern
                    for h in 0..<NH {
                        attentionRow(z + h * HS, preatt, att, qkv + h * HS, kb + h * HS, kStride: C,
                                     vb + h * HS, vStride: C, n: t + 1, HS: HS, scale: scale)
                        for j in 0...t {
                            pattern?.data[h * (t + 1) + j] = att[j]
                            scores?.data[h * (t + 1) + j] = preatt[j]
                        }
                    }
                    if trace != nil {
                        trace![TraceName.q(layer: l)] = row(qkv, [1, NH, HS])
                        trace![TraceName.k(layer: l)] = row(qkv + C, [1, NH, HS])
                        trace![TraceName.v(layer: l)] = row(qkv + 2 * C, [1, NH, HS])
                        trace![TraceName.scores(layer: l)] = scores
                        trace![TraceName.pattern(layer: l)] = pattern
                        trace![TraceName.z(layer: l)] = row(z, [1, NH, HS])
                    }
                }
            }
            matmulForward(proj, z, p + w.attnProjWeight, p + w.attnProjBias, N: 1, IN: C, OUT: C)
            residualForward(mid, x, proj, C)
            layerNormForward(ln2, stats, stats + 1, mid, p + w.ln2Weight, p + w.ln2Bias, N: 1, C: C)
            matmulForward(fch, ln2, p + w.fcWeight, p + w.fcBias, N: 1, IN: C, OUT: 4 * C)
            geluForward(gelu, fch, 4 * C)
            matmulForward(mlp, gelu, p + w.fcProjWeight, p + w.fcProjBias, N: 1, IN: 4 * C, OUT: C)
            if trace != nil {
                trace![TraceName.attnOut(layer: l)] = row(proj, [1, C])
                trace![TraceName.residMid(layer: l)] = row(mid, [1, C])
                trace![TraceName.mlpPre(layer: l)] = row(fch, [1, 4 * C])
                trace![TraceName.mlpPost(layer: l)] = row(gelu, [1, 4 * C])
                trace![TraceName.mlpOut(layer: l)] = row(mlp, [1, C])
            }
            residualForward(x, mid, mlp, C)
            trace?[TraceName.residPost(layer: l)] = row(x, [1, C])
        }
        layerNormForward(lnf, stats, stats + 1, x, p + model.layout.lnfWeight, p + model.layout.lnfBias, N: 1, C: C)
        wteT.withUnsafeBufferPointer {
            gemm(M: 1, N: V, K: C, a: lnf, sam: C, sak: 1, b: $0.baseAddress!, ldb: V, c: logits, ldc: V)
        }
        count += 1
        let out = Array(UnsafeBufferPointer(start: logits, count: V))
        if trace != nil {
            trace![TraceName.lnFinalNormalized] = row(lnf, [1, C])
            trace![TraceName.logits] = Tensor(shape: [1, V], data: out)
            softmaxForward(probs, logits, N: 1, V: V)
            trace![TraceName.probs] = row(probs, [1, V])
        }
        return out
    }
}
