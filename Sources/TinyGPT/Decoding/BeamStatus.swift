/// What happened to one expansion in beam search.
///
/// - `kept`: among the W best live hypotheses of its step (the root is kept too).
/// - `pruned`: considered, then dropped.
/// - `finished`: ended with end-of-text and was set aside as a complete hypothesis.
///
///     tree.nodes.filter { $0.status == .pruned }.count
public enum BeamStatus: String, Codable, Sendable {
    case kept, pruned, finished
}
