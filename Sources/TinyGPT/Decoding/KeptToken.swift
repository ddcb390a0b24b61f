/// One token of the set a sampling step may draw from, with its renormalised probability.
///
///     KeptToken(id: 262, probability: 0.41)   // " the", 41% of the kept mass
public struct KeptToken: Codable, Equatable, Sendable {
    /// The token id.
    public var id: Int
    /// Probability after temperature, divided by the total mass of the kept set.
    public var probability: Float

    public init(id: Int, probability: Float) {
        self.id = id
        self.probability = probability
    }
}
