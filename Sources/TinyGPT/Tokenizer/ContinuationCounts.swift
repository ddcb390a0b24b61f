import Foundation

/// How often each of some words follows a prompt in the training documents: the corpus's own
/// split, to set beside what a model predicts after the same prompt.
///
///     let docs = try Corpus.load(directory: URL(filePath: "lessons/corpus"))
///     let split = ContinuationCounts(prompt: "我今天很", words: ["开心", "忙", "累", "幸福"], documents: docs)
///     split.counts      // [200, 150, 100, 50]
///     split.ratio       // [4, 3, 2, 1]
///     split.share(0)    // 0.4
public struct ContinuationCounts: Hashable, Sendable {
    /// The prompt searched for.
    public var prompt: String
    /// The words counted right after it, in the order given.
    public var words: [String]
    /// Occurrences of `prompt + words[i]`.
    public var counts: [Int]
    /// Occurrences of the prompt followed by anything (or by nothing, at a document's end).
    public var total: Int

    /// Counts, in every document, each occurrence of `prompt` and which of `words` follows it
    /// (the longest match wins, so 开心 is not also counted as 开).
    public init(prompt: String, words: [String], documents: [String]) {
        self.prompt = prompt
        self.words = words
        var counts = Array(repeating: 0, count: words.count), total = 0
        let byLength = words.indices.sorted { words[$0].count != words[$1].count ? words[$0].count > words[$1].count : $0 < $1 }
        for doc in documents where !prompt.isEmpty {
            var rest = doc[...]
            while let r = rest.range(of: prompt) {
                total += 1
                let after = rest[r.upperBound...]
                if let i = byLength.first(where: { after.hasPrefix(words[$0]) }) { counts[i] += 1 }
                rest = after
            }
        }
        self.counts = counts
        self.total = total
    }

    /// Occurrences followed by none of the words.
    public var other: Int { total - counts.reduce(0, +) }

    /// The share of the prompt's occurrences that continue with `words[i]` (0 when the prompt never occurs).
    public func share(_ i: Int) -> Double { total == 0 ? 0 : Double(counts[i]) / Double(total) }

    /// The counts divided by their greatest common divisor (`[4, 3, 2, 1]`).
    public var ratio: [Int] {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let g = counts.reduce(0, gcd)
        return g == 0 ? counts : counts.map { $0 / g }
    }
}
