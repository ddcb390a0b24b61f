import Foundation
import TinyGPT

/// An independent GPT-2 forward pass in Double, written as plainly as possible (nested loops,
/// no shared code with the kernels), used to check the model's forward and, through central
/// differences, its hand-written backward.
struct ReferenceGPT {
    let config: GPTConfig
    let layout: ParameterLayout

    init(_ config: GPTConfig) {
        self.config = config
        layout = ParameterLayout(config)
    }

    /// Logits (T, V) for one sequence.
    func logits(_ p: [Double], _ ids: [Int]) -> [[Double]] {
        let C = config.width, NH = config.heads, HS = C / NH, T = ids.count, V = config.vocabSize
        func vec(_ off: Int, _ n: Int) -> [Double] { Array(p[off..<(off + n)]) }
        func linear(_ x: [Double], _ w: Int, _ b: Int, _ inDim: Int, _ outDim: Int) -> [Double] {
            (0..<outDim).map { o in
                var s = p[b + o]
                for i in 0..<inDim { s += x[i] * p[w + i * outDim + o] }
                return s
            }
        }
        func layerNorm(_ x: [Double], _ w: Int, _ b: Int) -> [Double] {
            let m = x.reduce(0, +) / Double(C)
            let v = x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(C)
            let s = (v + 1e-5).squareRoot()
            return (0..<C).map { (x[$0] - m) / s * p[w + $0] + p[b + $0] }
        }
        func gelu(_ x: Double) -> Double { 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x))) }
        func rotate(_ x: [Double], _ pos: Int) -> [Double] {
            var y = x
            for h in 0..<NH {
                for i in 0..<(HS / 2) {
                    let theta = Double(pos) * pow(10000, -2 * Double(i) / Double(HS))
                    let a = x[h * HS + 2 * i], b = x[h * HS + 2 * i + 1]
                    y[h * HS + 2 * i] = a * cos(theta) - b * sin(theta)
                    y[h * HS + 2 * i + 1] = a * sin(theta) + b * cos(theta)
                }
            }
            return y
        }

        var x: [[Double]] = ids.enumerated().map { t, id in
            var e = vec(layout.tokenEmbedding + id * C, C)
            switch config.positional {
            case .learned: for c in 0..<C { e[c] += p[layout.positionEmbedding! + t * C + c] }
            case .sinusoidal:
                for c in 0..<C {
                    let angle = Double(t) / pow(10000, Double(c - c % 2) / Double(C))
                    e[c] += c % 2 == 0 ? sin(angle) : cos(angle)
                }
            case .rope: break
            }
            return e
        }
        for blk in layout.layers {
            let h1 = x.map { layerNorm($0, blk.ln1Weight, blk.ln1Bias) }
            let qkv = h1.map { linear($0, blk.qkvWeight, blk.qkvBias, C, 3 * C) }
            var q = qkv.map { Array($0[0..<C]) }, k = qkv.map { Array($0[C..<(2 * C)]) }
            let v = qkv.map { Array($0[(2 * C)..<(3 * C)]) }
            if config.positional == .rope {
                q = q.enumerated().map { rotate($1, $0) }
                k = k.enumerated().map { rotate($1, $0) }
            }
            var z = [[Double]](repeating: [Double](repeating: 0, count: C), count: T)
            for h in 0..<NH {
                for i in 0..<T {
                    var s = [Double](repeating: -.infinity, count: T)
                    for j in 0...i {
                        var d = 0.0
                        for c in 0..<HS { d += q[i][h * HS + c] * k[j][h * HS + c] }
                        s[j] = d / Double(HS).squareRoot()
                    }
                    let m = s.max()!
                    let e = s.map { exp($0 - m) }
                    let sum = e.reduce(0, +)
                    for j in 0...i { for c in 0..<HS { z[i][h * HS + c] += e[j] / sum * v[j][h * HS + c] } }
                }
            }
            let attn = z.map { linear($0, blk.attnProjWeight, blk.attnProjBias, C, C) }
            x = (0..<T).map { t in (0..<C).map { x[t][$0] + attn[t][$0] } }
            let h2 = x.map { layerNorm($0, blk.ln2Weight, blk.ln2Bias) }
            let mlp = h2.map { linear(linear($0, blk.fcWeight, blk.fcBias, C, 4 * C).map(gelu), blk.fcProjWeight, blk.fcProjBias, 4 * C, C) }
            x = (0..<T).map { t in (0..<C).map { x[t][$0] + mlp[t][$0] } }
        }
        let f = x.map { layerNorm($0, layout.lnfWeight, layout.lnfBias) }
        return f.map { row in
            (0..<V).map { vv in
                var s = 0.0
                for c in 0..<C { s += row[c] * p[layout.tokenEmbedding + vv * C + c] }
                return s
            }
        }
    }

    /// Mean next-token cross-entropy over a batch of sequences.
    func loss(_ p: [Double], inputs: [[Int]], targets: [[Int]]) -> Double {
        var total = 0.0, n = 0
        for (ids, next) in zip(inputs, targets) {
            for (row, target) in zip(logits(p, ids), next) {
                let m = row.max()!
                let lse = m + log(row.map { exp($0 - m) }.reduce(0, +))
                total += lse - row[target]
                n += 1
            }
        }
        return total / Double(n)
    }
}
