/// What one greedy or sampling step saw and decided: enough to redraw the bar chart of the
/// distribution, the cut made by top-k/top-p, and where the uniform draw landed.
///
///     let step = result.steps[0]
///     print(step.chosen, step.rank, step.probability)   // e.g. 262, 1, 0.38
///
/// For greedy (and temperature 0) `probabilities` is the model's own softmax (T = 1), `kept` is
/// the chosen token alone with probability 1, and `uniform` is `nil`.
public struct StepRecord: Codable, Equatable, Sendable {
    /// Index in prompt + output where the chosen token goes (the prompt fills 0..<prompt.count).
    public var position: Int
    /// The model's next-token logits [V].
    public var logits: [Float]
    /// softmax(logits / T) [V].
    public var probabilities: [Float]
    /// The tokens the draw chooses among, most probable first (ties by lowest id), renormalised.
    public var kept: [KeptToken]
    /// The uniform draw in [0, 1) that picked the token (see `Sampler.pick`); `nil` for greedy.
    public var uniform: Double?
    /// The chosen token id.
    public var chosen: Int
    /// 1 for the most probable token, in the order logit descending, ties by lowest id.
    public var rank: Int
    /// The chosen token's entry in `probabilities` (before renormalisation).
    public var probability: Float

    public init(position: Int, logits: [Float], probabilities: [Float], kept: [KeptToken],
                uniform: Double?, chosen: Int, rank: Int, probability: Float) {
        self.position = position
        self.logits = logits
        self.probabilities = probabilities
        self.kept = kept
        self.uniform = uniform
        self.chosen = chosen
        self.rank = rank
        self.probability = probability
    }

    // Written by hand so that a greedy step says `"uniform": null` instead of leaving it out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(position, forKey: .position)
        try c.encode(logits, forKey: .logits)
        try c.encode(probabilities, forKey: .probabilities)
        try c.encode(kept, forKey: .kept)
        try c.encode(uniform, forKey: .uniform)
        try c.encode(chosen, forKey: .chosen)
        try c.encode(rank, forKey: .rank)
        try c.encode(probability, forKey: .probability)
    }
}
