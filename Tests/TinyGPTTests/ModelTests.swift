import Foundation
import Testing
@testable import TinyGPT
@testable import Kernels

@Suite struct ModelTests {
    /// With every block weight and bias zero, each block adds nothing to the residual stream, so
    /// logits = LayerNorm(wte[x] + wpe[t]) · wteᵀ, small enough to work out by hand.
    /// C = 2, V = 3: wte rows (1, 0), (0, 1), (1, 1); wpe rows (0, 0), (2, 0).
    /// Token 0 at position 0: x = (1, 0), μ = ½, σ = √(¼ + 1e-5), LN(x) = (½, −½)/σ ≈ (0.99998, −0.99998).
    ///   logits = (LN·(1,0), LN·(0,1), LN·(1,1)) ≈ (0.99998, −0.99998, 0).
    /// Token 1 at position 1: x = (0, 1) + (2, 0) = (2, 1) → LN(x) ≈ (0.99998, −0.99998) too.
    @Test func handComputedIdentityBlocks() {
        let config = GPTConfig(vocabSize: 3, contextLength: 2, layers: 1, heads: 1, width: 2)
        let layout = ParameterLayout(config)
        var p = [Float](repeating: 0, count: layout.count)
        let wte: [Float] = [1, 0, 0, 1, 1, 1]
        for (i, v) in wte.enumerated() { p[layout.tokenEmbedding + i] = v }
        p[layout.positionEmbedding! + 2] = 2
        for c in 0..<2 {
            p[layout.lnfWeight + c] = 1
            p[layout.layers[0].ln1Weight + c] = 1
            p[layout.layers[0].ln2Weight + c] = 1
        }
        let logits = GPT(config: config, parameters: p).forward([0, 1]).logits
        let s = Float(0.5) / (Float(0.25) + 1e-5).squareRoot()
        let expected: [Float] = [s, -s, 0, s, -s, 0]
        for i in 0..<6 { #expect(abs(logits.data[i] - expected[i]) < 1e-6, "logit \(i): \(logits.data[i]) vs \(expected[i])") }
    }

    /// One head, two positions, hand-picked q, k, v (qkv weights chosen so q = k = v = input):
    /// the first row can only see itself; the second mixes both with softmax weights.
    @Test func attentionRowByHand() {
        // q = (1, 0), keys (1, 0) and (0, 2), values (1, 0) and (0, 2); HS = 2, scale 1/√2.
        let q: [Float] = [1, 0], k: [Float] = [1, 0, 0, 2], v: [Float] = [1, 0, 0, 2]
        var out = [Float](repeating: 0, count: 2), pre = out, att = out
        attentionRow(&out, &pre, &att, q, k, kStride: 2, v, vStride: 2, n: 2, HS: 2, scale: 1 / Float(2).squareRoot())
        // scores (1/√2, 0); weights e^{1/√2}/(e^{1/√2}+1) ≈ 0.66976 and 0.33024
        let w0 = Float(exp(1 / 2.0.squareRoot()) / (exp(1 / 2.0.squareRoot()) + 1))
        #expect(abs(pre[0] - 0.70710678) < 1e-6 && pre[1] == 0)
        #expect(abs(att[0] - w0) < 1e-6 && abs(att[1] - (1 - w0)) < 1e-6)
        #expect(abs(out[0] - w0) < 1e-6 && abs(out[1] - 2 * (1 - w0)) < 1e-6)
    }

    /// With `futureScores` the attention forward also fills the masked half of the scores, each
    /// entry `dot(q, k) · scale` to the bit, for head sizes that are and are not multiples of 8;
    /// the kept scores, the pattern and the output keep their bits.
    @Test(arguments: [(5, 20), (12, 48), (16, 64), (20, 80)])
    func futureScoresEqualDotToTheBit(T: Int, C: Int) {
        let NH = 4, HS = C / NH, C3 = 3 * C, B = 2
        var rng = SplitMix64(seed: UInt64(T * 1000 + C))
        let qkv = (0..<(B * T * C3)).map { _ in Float(rng.nextNormal()) }
        func run(future: Bool) -> (out: [Float], preatt: [Float], att: [Float]) {
            var out = [Float](repeating: .nan, count: B * T * C)
            var preatt = [Float](repeating: .nan, count: B * NH * T * T), att = preatt
            attentionForward(&out, &preatt, &att, qkv, B: B, T: T, C: C, NH: NH, futureScores: future)
            return (out, preatt, att)
        }
        let kept = run(future: false), all = run(future: true)
        #expect(kept.out.map(\.bitPattern) == all.out.map(\.bitPattern) && kept.att.map(\.bitPattern) == all.att.map(\.bitPattern))
        let scale = 1 / Float(HS).squareRoot()
        for b in 0..<B {
            for h in 0..<NH {
                for i in 0..<T {
                    for j in 0..<T {
                        let at = ((b * NH + h) * T + i) * T + j
                        if j <= i {
                            #expect(all.preatt[at].bitPattern == kept.preatt[at].bitPattern)
                        } else {
                            let expected = qkv.withUnsafeBufferPointer {
                                dot($0.baseAddress! + (b * T + i) * C3 + h * HS, $0.baseAddress! + (b * T + j) * C3 + C + h * HS, HS)
                            } * scale
                            #expect(all.preatt[at].bitPattern == expected.bitPattern, "b \(b) h \(h) i \(i) j \(j)")
                            #expect(kept.preatt[at].isNaN, "without futureScores the masked half is left as it was")
                        }
                    }
                }
            }
        }
    }

    @Test func traceNameCountMatchesTheTable() {
        for layers in [0, 1, 4, 12] { #expect(TraceName.count(layers: layers) == TraceName.all(layers: layers).count) }
    }

    @Test func fastExpAndTanhMatchLibm() {
        var worstExp: Float = 0, worstTanh: Float = 0
        var x: Float = -20
        while x <= 20 {
            let e = exp8(F8(repeating: x))[0], ref = Float(Foundation.exp(Double(x)))
            worstExp = max(worstExp, abs(e - ref) / ref)
            worstTanh = max(worstTanh, abs(tanh8(F8(repeating: x))[0] - Float(Foundation.tanh(Double(x)))))
            x += 0.01
        }
        #expect(worstExp < 5e-7, "exp relative error \(worstExp)")
        #expect(worstTanh < 5e-7, "tanh absolute error \(worstTanh)")
        #expect(exp8(F8(repeating: -.infinity))[0] == 0)
    }

    /// `rowMax`'s four chains find the plain loop's maximum for every length and position of the
    /// maximum, with NaNs (skipped) and −∞ (the mask) among the values.
    @Test func rowMaxIsThePlainLoopsMaximum() {
        var rng = SplitMix64(seed: 11)
        for n in 1...40 {
            for trial in 0..<6 {
                var x = (0..<n).map { _ in Float(rng.nextNormal()) * 10 }
                if trial == 1 { x[rng.nextInt(below: n)] = .nan }
                if trial == 2 { x[rng.nextInt(below: n)] = .infinity }
                if trial == 3 { for i in x.indices where i % 2 == 0 { x[i] = -.infinity } }
                if trial == 4 { x[n - 1] = 1000 }
                var plain = -Float.greatestFiniteMagnitude
                for v in x where v > plain { plain = v }
                #expect(x.withUnsafeBufferPointer { rowMax($0.baseAddress!, n) }.bitPattern == plain.bitPattern, "n \(n) trial \(trial): \(x)")
            }
        }
    }

    static func model(_ positional: PositionalEncoding) -> GPT {
        let config = GPTConfig(vocabSize: 37, contextLength: 12, layers: 2, heads: 3, width: 24, positional: positional)
        return GPT(config: config, parameters: GradientTests.randomParameters(config, seed: 5))
    }

    /// The key/value cache runs the same kernels one row at a time: its logits must equal the
    /// full pass's last row exactly, at every position.
    @Test(arguments: PositionalEncoding.allCases)
    func cachedLogitsEqualFullForward(_ positional: PositionalEncoding) {
        let model = Self.model(positional)
        let ids = [3, 14, 15, 9, 26, 5, 35, 8, 9, 7, 9, 3]
        var cache = KVCache(model: model)
        for t in 0..<ids.count {
            let cached = cache.append(ids[t])
            let full = model.nextTokenLogits(Array(ids[0...t]))
            #expect(cached == full, "position \(t): max diff \(zip(cached, full).map { abs($0 - $1) }.max()!)")
        }
    }

    @Test(arguments: PositionalEncoding.allCases)
    func tracedStepMatchesFullTrace(_ positional: PositionalEncoding) {
        let model = Self.model(positional)
        let ids = [4, 8, 15, 16, 23]
        let full = model.forward(ids, trace: true).trace!
        var cache = KVCache(model: model)
        for id in ids.dropLast() { _ = cache.append(id) }
        let (_, step) = cache.appendTraced(ids.last!)
        let T = ids.count
        let pattern = full[TraceName.pattern(layer: 1)]!, stepPattern = step[TraceName.pattern(layer: 1)]!
        #expect(stepPattern.shape == [3, 1, T])
        for h in 0..<3 { for j in 0..<T { #expect(stepPattern[h, 0, j] == pattern[h, T - 1, j]) } }
        #expect(Array(step[TraceName.residPost(layer: 1)]!.data) == Array(full[TraceName.residPost(layer: 1)]!.row(T - 1)))
        #expect(step[TraceName.probs]!.data == Array(full[TraceName.probs]!.row(T - 1)))
    }

    /// The trace's layers are captured side by side: with one kernel thread or two, every
    /// named tensor has the same bits (and the names are the same).
    @Test(arguments: PositionalEncoding.allCases)
    func traceIsTheSameWithOneThreadOrTwo(_ positional: PositionalEncoding) {
        let model = Self.model(positional)
        let ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
        let saved = kernelThreads
        defer { kernelThreads = saved }
        kernelThreads = 1
        let one = model.forward(ids, trace: true).trace!
        kernelThreads = 2
        let two = model.forward(ids, trace: true).trace!
        #expect(one.orderedNames == two.orderedNames)
        for name in one.orderedNames {
            let a = one[name]!, b = two[name]!
            #expect(a.shape == b.shape && zip(a.data, b.data).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(name)")
        }
    }

    /// The traced pass writes its activations into uninitialised arrays that become the trace's
    /// tensors: filled with NaN first, every one of them comes back overwritten, with the bits of
    /// an ordinary traced pass.
    @Test(arguments: PositionalEncoding.allCases)
    func tracedPassWritesEveryElement(_ positional: PositionalEncoding) {
        let model = Self.model(positional)
        let ids = [2, 7, 1, 8, 2, 8, 1]
        let plain = model.forward(ids, trace: true).trace!
        let poisoned = model.tracedForward(ids, ids.map(Int32.init), poison: .nan).trace!
        #expect(plain.orderedNames == poisoned.orderedNames)
        for name in plain.orderedNames {
            let a = plain[name]!, b = poisoned[name]!
            #expect(!b.data.contains { $0.isNaN }, "\(name) holds an element the pass did not write")
            #expect(a.shape == b.shape && a.data.map(\.bitPattern) == b.data.map(\.bitPattern), "\(name)")
        }
    }

    @Test(arguments: PositionalEncoding.allCases)
    func traceHasEveryNamedTensorWithConsistentValues(_ positional: PositionalEncoding) {
        let model = Self.model(positional)
        let ids = [1, 2, 3, 4, 5, 6]
        let untraced = model.forward(ids)
        let result = model.forward(ids, trace: true)
        #expect(result.logits == untraced.logits, "tracing must not change the computation")
        let trace = result.trace!
        let T = ids.count, C = 24, NH = 3, HS = 8
        var expected = TraceName.all(layers: 2)
        if positional != .rope { expected.removeAll { $0.contains("rot_") } }
        if positional == .rope { expected.removeAll { $0 == TraceName.posEmbed } }
        #expect(Set(trace.tensors.keys) == Set(expected))
        #expect(trace[TraceName.q(layer: 0)]!.shape == [T, NH, HS])
        #expect(trace[TraceName.pattern(layer: 1)]!.shape == [NH, T, T])
        #expect(trace[TraceName.result(layer: 0)]!.shape == [T, NH, C])
        for l in 0..<2 {
            let pattern = trace[TraceName.pattern(layer: l)]!, masked = trace[TraceName.scores(layer: l)]!
            let unmasked = trace[TraceName.scoresUnmasked(layer: l)]!
            for h in 0..<NH {
                for i in 0..<T {
                    var sum: Float = 0
                    for j in 0..<T {
                        sum += pattern[h, i, j]
                        if j > i {
                            #expect(pattern[h, i, j] == 0 && masked[h, i, j] == -.infinity)
                        } else {
                            #expect(masked[h, i, j] == unmasked[h, i, j])
                        }
                    }
                    #expect(abs(sum - 1) < 1e-5)
                }
            }
            // resid_mid = resid_pre + attn_out; attn_out = Σ_h result + b_O.
            let pre = trace[TraceName.residPre(layer: l)]!, out = trace[TraceName.attnOut(layer: l)]!
            let mid = trace[TraceName.residMid(layer: l)]!, res = trace[TraceName.result(layer: l)]!
            let bias = model.tensor("h.\(l).attn.c_proj.bias")!
            for t in 0..<T {
                for c in 0..<C {
                    #expect(mid[t, c] == pre[t, c] + out[t, c])
                    var s = bias.data[c]
                    for h in 0..<NH { s += res[t, h, c] }
                    #expect(abs(s - out[t, c]) < 1e-5)
                }
            }
        }
        if positional != .learned {
            // Token and position embeddings are captured separately; their sum enters block 0.
            let e = trace[TraceName.embed]!, r = trace[TraceName.residPre(layer: 0)]!
            let pos = trace[TraceName.posEmbed]
            for i in 0..<(T * C) { #expect(r.data[i] == e.data[i] + (pos?.data[i] ?? 0)) }
        }
    }
}
