/// Everything beam search considered, so the search tree can be drawn.
///
///     let tree = result.beams!
///     var path = [tree.best]
///     while let p = tree.nodes[path.last!].parent { path.append(p) }   // best leaf to root
public struct BeamTree: Codable, Equatable, Sendable {
    /// W.
    public var width: Int
    /// A in `score = cumulative / length^A`.
    public var lengthPenalty: Double
    /// Every expansion, in the order it was made; `nodes[i].id == i`.
    public var nodes: [BeamNode]
    /// The final candidates (finished hypotheses and the live ones when the search stopped),
    /// best score first, ties by lower node id.
    public var ranked: [Int]
    /// `ranked[0]`: the node whose path is the output.
    public var best: Int

    public init(width: Int, lengthPenalty: Double, nodes: [BeamNode], ranked: [Int], best: Int) {
        self.width = width
        self.lengthPenalty = lengthPenalty
        self.nodes = nodes
        self.ranked = ranked
        self.best = best
    }

    enum CodingKeys: String, CodingKey {
        case width, nodes, ranked, best
        case lengthPenalty = "length_penalty"
    }

    /// The tokens from the root to `node` (the root itself has none).
    public func tokens(to node: Int) -> [Int] {
        var out: [Int] = []
        var at = node
        while let p = nodes[at].parent, let t = nodes[at].token { out.append(t); at = p }
        return out.reversed()
    }
}
