/// One block's MLP neurons on a prompt: the GELU outputs `blocks.{l}.mlp.hook_post` (T, 4C) of a
/// trace, and the neurons that fire hardest on it. One computation for chapter 3's numbers and
/// the `mlpActivations` figure.
///
///     let mlp = MLPActivations(trace: model.forward(ids, trace: true).trace!, layer: 1)
///     mlp.strongest(6)      // the 6 neurons with the largest activation anywhere in the prompt
///     mlp.positiveShare     // how many of the T·4C activations are above 0
public struct MLPActivations: Sendable {
    /// A neuron and its largest activation on the prompt, at `position`.
    public struct Peak: Sendable, Hashable {
        public var neuron: Int
        public var position: Int
        public var activation: Float
    }

    public let layer: Int
    /// Prompt length.
    public let positions: Int
    /// Hidden neurons per position (4C).
    public let neurons: Int
    /// (positions, neurons) GELU outputs, row-major.
    public let values: [Float]

    /// Reads block `layer`'s `mlp.hook_post` from `trace`.
    public init(trace: Trace, layer: Int) {
        let t = trace[TraceName.mlpPost(layer: layer)]!
        self.layer = layer
        positions = t.shape[0]
        neurons = t.shape[1]
        values = t.data
    }

    /// The activation of `neuron` at `position`.
    public func value(position: Int, neuron: Int) -> Float { values[position * neurons + neuron] }

    /// Each neuron's largest activation over the positions (the first position on ties).
    public var peaks: [Peak] {
        (0..<neurons).map { n in
            var best = Peak(neuron: n, position: 0, activation: value(position: 0, neuron: n))
            for t in 1..<positions where value(position: t, neuron: n) > best.activation {
                best = Peak(neuron: n, position: t, activation: value(position: t, neuron: n))
            }
            return best
        }
    }

    /// The `k` neurons whose peak is highest, highest first (lower index on ties).
    public func strongest(_ k: Int) -> [Peak] {
        Array(peaks.sorted { ($0.activation, -$0.neuron) > ($1.activation, -$1.neuron) }.prefix(k))
    }

    /// The share of activations above 0 (GELU passes positive inputs almost unchanged).
    public var positiveShare: Double { Double(values.filter { $0 > 0 }.count) / Double(max(1, values.count)) }

    /// The smallest and largest activation.
    public var range: ClosedRange<Float> { (values.min() ?? 0)...(values.max() ?? 0) }
}
