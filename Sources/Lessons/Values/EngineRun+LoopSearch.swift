import TinyGPT

extension EngineRun {
    /// Chapter 12's repetition prompt, searched for rather than hand-picked: each scenario with
    /// `searchOpenings` tries its own prompt, then that many of the corpus's most frequent document
    /// openings, and keeps the prompt whose greedy continuation (past `<|endoftext|>`, as chapter 12
    /// runs it) repeats a span back to back over the most tokens; the first such prompt on a tie,
    /// the given one when none loops. Prompts too long for the window with the new tokens are skipped.
    public func resolveSearches(_ config: LessonConfig) -> LessonConfig {
        var config = config
        for c in config.chapters.indices {
            for i in config.chapters[c].scenarios.indices {
                let s = config.chapters[c].scenarios[i]
                guard let n = s.searchOpenings, s.searched == nil else { continue }
                config.chapters[c].scenarios[i] = loopSearch(s, openings: n)
            }
        }
        return config
    }

    func loopSearch(_ s: ScenarioConfig, openings n: Int) -> ScenarioConfig {
        let candidates = [s.prompt] + Self.documentOpenings(training.documents, count: n).filter { $0 != s.prompt }
        var best: (prompt: String, covered: Int)? = nil
        var tried = 0, looping = 0
        for prompt in candidates {
            var candidate = s
            candidate.prompt = prompt
            guard let result = try? probe.generate(candidate, what: configName, stopAtEnd: false) else { continue }
            tried += 1
            guard let r = RepeatedSpan.find(prompt: result.promptIDs, output: result.ids), r.backToBack else { continue }
            looping += 1
            let covered = r.span.count * r.starts.count
            if covered > (best?.covered ?? 0) { best = (prompt, covered) }
        }
        var out = s
        out.prompt = best?.prompt ?? s.prompt
        out.searched = LoopSearch(tried: tried, looping: looping, givenPrompt: s.prompt)
        return out
    }

    /// The `count` most frequent openings of the documents — the first 2 and the first 3
    /// characters of each, after leading white space — most frequent first, ties in string order.
    static func documentOpenings(_ documents: [String], count: Int) -> [String] {
        var counts: [String: Int] = [:]
        for document in documents {
            let text = document.drop { $0.isWhitespace }
            for n in [2, 3] where text.count >= n { counts[String(text.prefix(n)), default: 0] += 1 }
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count).map(\.key)
    }
}
