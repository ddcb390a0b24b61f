import Foundation

/// Greedy generation speed with and without the key/value cache (`gptx bench generate`).
///
///     let r = try GenerationBenchmark.run(model: model, prompt: [464], tokens: 64)
///     print(r.cachedTokensPerSecond / r.uncachedTokensPerSecond)   // the cache's speed-up
public struct GenerationBenchmark: Codable, Equatable, Sendable {
    /// Tokens actually generated per run (fewer than asked when the context fills first).
    public var tokens: Int
    /// Wall time of the cached run.
    public var cachedSeconds: Double
    /// Wall time of the uncached run (one full forward pass per token).
    public var uncachedSeconds: Double
    /// Tokens per second with the cache.
    public var cachedTokensPerSecond: Double { Double(tokens) / max(cachedSeconds, 1e-9) }
    /// Tokens per second without it.
    public var uncachedTokensPerSecond: Double { Double(tokens) / max(uncachedSeconds, 1e-9) }

    public init(tokens: Int, cachedSeconds: Double, uncachedSeconds: Double) {
        self.tokens = tokens
        self.cachedSeconds = cachedSeconds
        self.uncachedSeconds = uncachedSeconds
    }

    /// Generates `tokens` tokens greedily (no end-of-text, so every run has the same length),
    /// cached and uncached, `runs` times each, and keeps each one's median wall time (monotonic clock).
    public static func run(model: some LanguageModel, prompt: [Int], tokens: Int, runs: Int = 5) throws(UserError)
        -> GenerationBenchmark
    {
        let options = GenerationOptions(strategy: .greedy, maxTokens: tokens)
        func seconds(_ cached: Bool) throws(UserError) -> (Double, Int) {
            var times: [Double] = []
            var n = 0
            for _ in 0..<max(runs, 1) {
                let start = DispatchTime.now().uptimeNanoseconds
                let result = try model.generate(prompt: prompt, options: options, endOfText: nil, cached: cached)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                n = result.ids.count
            }
            return (Stopwatch.median(times), n)
        }
        let (cached, n) = try seconds(true)
        let (uncached, _) = try seconds(false)
        return GenerationBenchmark(tokens: n, cachedSeconds: cached, uncachedSeconds: uncached)
    }
}
