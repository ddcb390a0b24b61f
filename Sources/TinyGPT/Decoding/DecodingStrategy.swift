/// How the next token is chosen from the model's distribution (`--strategy`).
///
/// - `greedy`: always the most probable token (lowest id among equals).
/// - `sample`: draw from the distribution after temperature, top-k and top-p.
/// - `beam`: keep the `--beam-width` best partial sequences by cumulative log-probability.
///
///     let options = GenerationOptions(strategy: .beam, beamWidth: 4)
public enum DecodingStrategy: String, Codable, Sendable, CaseIterable {
    case greedy, sample, beam
}
