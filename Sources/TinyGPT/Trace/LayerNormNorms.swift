/// What every LayerNorm of a forward pass does to one token's length: the stream it receives x,
/// the standardised x̂ = (x − μ)/σ (mean 0, variance 1 over the C components, so ‖x̂‖ ≈ √C), and
/// its output γ ⊙ x̂ + β, whose length the learned gain γ and bias β move away from √C.
/// One computation for chapter 3's numbers and the `layerNormNorms` figure.
///
///     let ln = LayerNormNorms(trace: trace, model: model, position: ids.count - 1)
///     ln.sites[0].output     // ‖LN₁(x)‖ of block 0, the LN1 bar of the `blockSteps` figure
public struct LayerNormNorms: Sendable {
    /// One LayerNorm: block `layer`'s first or second (`which` 1, 2), or the final one (`layer` nil).
    public struct Site: Sendable, Hashable {
        public var layer: Int?
        public var which: Int
        /// ‖x‖, ‖x̂‖ and ‖γ ⊙ x̂ + β‖ at the position read.
        public var input: Double
        public var standardised: Double
        public var output: Double
    }

    /// The token position read.
    public let position: Int
    /// √C, the length of any vector with mean 0 and variance 1 over C components.
    public let target: Double
    /// ln₁, ln₂ of block 0, …, of the last block, then ln_f.
    public let sites: [Site]

    /// Reads every LayerNorm's input, mean, scale σ and output at `position` from `trace`.
    public init(trace: Trace, model: GPT, position: Int) {
        self.position = position
        let C = model.config.width
        target = Double(C).squareRoot()
        func length(_ v: some Collection<Double>) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        func site(_ layer: Int?, _ which: Int, input: String, mean: String, scale: String, output: String) -> Site {
            let x = trace[input]!.row(position).map(Double.init)
            let mu = Double(trace[mean]!.data[position]), sigma = Double(trace[scale]!.data[position])
            let y = trace[output]!.row(position).map(Double.init)
            return Site(layer: layer, which: which, input: length(x), standardised: length(x.map { ($0 - mu) / sigma }), output: length(y))
        }
        var all: [Site] = []
        for l in 0..<model.config.layers {
            all.append(site(l, 1, input: TraceName.residPre(layer: l), mean: TraceName.lnMean(layer: l, 1),
                            scale: TraceName.lnScale(layer: l, 1), output: TraceName.lnNormalized(layer: l, 1)))
            all.append(site(l, 2, input: TraceName.residMid(layer: l), mean: TraceName.lnMean(layer: l, 2),
                            scale: TraceName.lnScale(layer: l, 2), output: TraceName.lnNormalized(layer: l, 2)))
        }
        all.append(site(nil, 0, input: TraceName.residPost(layer: model.config.layers - 1), mean: TraceName.lnFinalMean,
                        scale: TraceName.lnFinalScale, output: TraceName.lnFinalNormalized))
        sites = all
    }

    /// Block `layer`'s LayerNorm `which` (1 or 2).
    public func site(layer: Int, _ which: Int) -> Site { sites[2 * layer + which - 1] }
}
