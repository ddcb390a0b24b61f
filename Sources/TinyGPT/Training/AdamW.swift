import Foundation
import Kernels

/// AdamW (Loshchilov & Hutter) with decoupled weight decay on matrices only (embeddings and
/// linear weights, as nanoGPT), and global-norm gradient clipping before the update.
public final class AdamW {
    public var beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    private let m: FloatBuffer, v: FloatBuffer
    /// 1 where weight decay applies, per parameter.
    private let decays: [Bool]
    private let tensors: [ParameterTensor]
    public private(set) var step = 0

    public init(layout: ParameterLayout, beta1: Float = 0.9, beta2: Float = 0.95, epsilon: Float = 1e-8, weightDecay: Float = 0.1) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        m = FloatBuffer(count: layout.count)
        v = FloatBuffer(count: layout.count)
        tensors = layout.tensors
        decays = layout.tensors.map(\.isMatrix)
    }

    /// The global L2 norm of all gradients (accumulated in Double, in slab order).
    static func globalNorm(_ g: UnsafePointer<Float>, _ n: Int) -> Float {
        var sum = 0.0
        for i in 0..<n { sum += Double(g[i]) * Double(g[i]) }
        return Float(sum.squareRoot())
    }

    /// One update of `model`'s parameters from `ws.grads` at learning rate `lr`.
    /// Gradients with a global norm above `clip` are scaled down to it first.
    /// Returns the norm before clipping and whether it clipped.
    @discardableResult
    public func update(_ model: GPT, _ ws: TrainingWorkspace, lr: Float, clip: Float) -> (norm: Float, clipped: Bool) {
        let n = model.layout.count
        let g = ws.grads.pointer, p = model.params.pointer
        let norm = Self.globalNorm(g, n)
        let clipped = clip > 0 && norm > clip
        let gscale: Float = clipped ? clip / norm : 1
        step += 1
        let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
        for (t, decay) in zip(tensors, decays) {
            let wd = decay ? weightDecay : 0
            adamwUpdate(p, g, m.pointer, v.pointer, range: t.offset..<(t.offset + t.count), gscale: gscale, lr: lr,
                        beta1: beta1, beta2: beta2, c1: c1, c2: c2, epsilon: epsilon, weightDecay: wd)
        }
        model.parametersVersion.add(1, ordering: .releasing)
        return (norm, clipped)
    }
}
