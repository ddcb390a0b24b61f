import Foundation
import Testing
@testable import TinyGPT

/// The model's Float32 forward against the Double reference, and every parameter tensor's
/// hand-written gradient against central differences of the reference loss.
@Suite struct GradientTests {
    static func tinyConfig(_ positional: PositionalEncoding) -> GPTConfig {
        GPTConfig(vocabSize: 11, contextLength: 6, layers: 2, heads: 2, width: 8, positional: positional)
    }

    /// Random parameters with non-trivial LayerNorm gains and biases, so every tensor matters.
    static func randomParameters(_ config: GPTConfig, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        let layout = ParameterLayout(config)
        var p = [Float](repeating: 0, count: layout.count)
        for t in layout.tensors {
            let gain = t.name.contains("ln_") && t.name.hasSuffix("weight")
            for i in t.offset..<(t.offset + t.count) {
                p[i] = Float(rng.nextNormal() * 0.3 + (gain ? 1 : 0))
            }
        }
        return p
    }

    static let inputs = [[1, 4, 2, 9, 0, 3], [7, 7, 5, 10, 6, 2]]
    static let targets = [[4, 2, 9, 0, 3, 8], [7, 5, 10, 6, 2, 1]]

    @Test(arguments: PositionalEncoding.allCases)
    func forwardMatchesReference(_ positional: PositionalEncoding) {
        let config = Self.tinyConfig(positional)
        let params = Self.randomParameters(config, seed: 7)
        let model = GPT(config: config, parameters: params)
        let reference = ReferenceGPT(config)
        for ids in Self.inputs {
            let ours = model.forward(ids).logits
            let theirs = reference.logits(params.map(Double.init), ids)
            var worst = 0.0
            for t in 0..<ids.count {
                for v in 0..<config.vocabSize { worst = max(worst, abs(Double(ours[t, v]) - theirs[t][v])) }
            }
            #expect(worst < 1e-5, "max |logit difference| = \(worst)")
        }
    }

    /// Tolerance: for each tensor, ‖g − g_fd‖ / max(‖g‖, ‖g_fd‖, 1e-6) < 2e-3 over the checked
    /// elements (all of a small tensor, 24 sampled otherwise), with g_fd the central difference
    /// (h = 1e-4) of the Double reference loss. Float32 rounding in our pass is ~1e-6 relative.
    @Test(arguments: PositionalEncoding.allCases)
    func everyTensorMatchesCentralDifferences(_ positional: PositionalEncoding) {
        let config = Self.tinyConfig(positional)
        let params = Self.randomParameters(config, seed: 11)
        let model = GPT(config: config, parameters: params)
        let ws = TrainingWorkspace(model: model, batchSize: 2, sequenceLength: 6)
        ws.load(inputs: Self.inputs.flatMap { $0 }, targets: Self.targets.flatMap { $0 })
        let loss = model.forward(ws)
        model.backward(ws)
        let grads = ws.gradients

        let reference = ReferenceGPT(config)
        let base = params.map(Double.init)
        let refLoss = reference.loss(base, inputs: Self.inputs, targets: Self.targets)
        #expect(abs(Double(loss) - refLoss) < 1e-5, "loss \(loss) vs reference \(refLoss)")

        var rng = SplitMix64(seed: 3)
        let h = 1e-4
        for tensor in model.layout.tensors {
            let indices = tensor.count <= 24 ? Array(0..<tensor.count) : (0..<24).map { _ in rng.nextInt(below: tensor.count) }
            var diff = 0.0, normOurs = 0.0, normFD = 0.0
            for i in indices {
                var plus = base, minus = base
                plus[tensor.offset + i] += h
                minus[tensor.offset + i] -= h
                let fd = (reference.loss(plus, inputs: Self.inputs, targets: Self.targets)
                          - reference.loss(minus, inputs: Self.inputs, targets: Self.targets)) / (2 * h)
                let ours = Double(grads[tensor.offset + i])
                diff += (ours - fd) * (ours - fd)
                normOurs += ours * ours
                normFD += fd * fd
            }
            let rel = diff.squareRoot() / max(normOurs.squareRoot(), normFD.squareRoot(), 1e-6)
            #expect(rel < 2e-3, "\(tensor.name): relative gradient error \(rel)")
            #expect(normFD > 0, "\(tensor.name): the loss does not depend on this tensor")
        }
    }
}
