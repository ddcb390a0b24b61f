/// One node of the beam-search tree: a hypothesis that is its parent plus one token.
///
/// Node 0 is the root (the prompt): no parent, no token, step 0, log-probability 0.
///
///     let node = tree.nodes[7]
///     print(node.parent!, node.token!, node.score, node.status)
public struct BeamNode: Codable, Equatable, Sendable {
    /// Index in `BeamTree.nodes`.
    public var id: Int
    /// The node this one extends; `nil` for the root.
    public var parent: Int?
    /// The token added to the parent's sequence; `nil` for the root.
    public var token: Int?
    /// Generated tokens so far, this one included (the root is 0).
    public var step: Int
    /// log P(token | parent's sequence).
    public var logprob: Double
    /// Sum of `logprob` from the root: log P(generated tokens | prompt).
    public var cumulative: Double
    /// `cumulative / step^A` with A the length penalty (just `cumulative` when A = 0).
    public var score: Double
    /// Kept, pruned or finished.
    public var status: BeamStatus

    public init(id: Int, parent: Int?, token: Int?, step: Int, logprob: Double, cumulative: Double,
                score: Double, status: BeamStatus) {
        self.id = id
        self.parent = parent
        self.token = token
        self.step = step
        self.logprob = logprob
        self.cumulative = cumulative
        self.score = score
        self.status = status
    }

    // Written by hand so that the root says `"parent": null, "token": null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(parent, forKey: .parent)
        try c.encode(token, forKey: .token)
        try c.encode(step, forKey: .step)
        try c.encode(logprob, forKey: .logprob)
        try c.encode(cumulative, forKey: .cumulative)
        try c.encode(score, forKey: .score)
        try c.encode(status, forKey: .status)
    }
}
