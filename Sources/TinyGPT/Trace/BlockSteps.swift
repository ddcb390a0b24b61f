/// One token's vector after each step of block `layer` (`GPT.forwardPass`): the stream entering,
/// LN₁(x), the attention output, x + attention, LN₂, the MLP output, the stream leaving, each with
/// its length. One computation for chapter 3's numbers and the `blockSteps` figure.
///
///     let steps = BlockSteps(trace: trace, layer: 0, position: ids.count - 1)
///     steps.norm(.ln1)       // ‖LN₁(x)‖, close to √C
public struct BlockSteps: Sendable {
    /// The steps in the order the block runs them.
    public enum Step: Int, CaseIterable, Sendable {
        case residIn, ln1, attnOut, residMid, ln2, mlpOut, residOut

        /// The trace tensor (T, C) that holds the step's output.
        public func traceName(layer l: Int) -> String {
            switch self {
            case .residIn: TraceName.residPre(layer: l)
            case .ln1: TraceName.lnNormalized(layer: l, 1)
            case .attnOut: TraceName.attnOut(layer: l)
            case .residMid: TraceName.residMid(layer: l)
            case .ln2: TraceName.lnNormalized(layer: l, 2)
            case .mlpOut: TraceName.mlpOut(layer: l)
            case .residOut: TraceName.residPost(layer: l)
            }
        }
    }

    public let layer: Int
    /// The token position read (the figure and the lesson read the prompt's last).
    public let position: Int
    /// (C) vector after each step, in `Step` order.
    public let vectors: [[Float]]
    /// Their L2 norms, summed in Double.
    public let norms: [Double]

    /// Reads block `layer` at `position` from `trace`.
    public init(trace: Trace, layer: Int, position: Int) {
        self.layer = layer
        self.position = position
        vectors = Step.allCases.map { Array(trace[$0.traceName(layer: layer)]!.row(position)) }
        norms = vectors.map { v in v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
    }

    /// ‖·‖ after `step`.
    public func norm(_ step: Step) -> Double { norms[step.rawValue] }
}
