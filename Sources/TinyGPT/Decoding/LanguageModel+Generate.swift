extension LanguageModel {
    /// Generates up to `options.maxTokens` tokens after `prompt`, recording every decision.
    ///
    /// Stops at `endOfText` (kept as the last id), at max tokens, or when prompt + output fills
    /// the context (`contextLength` tokens); `result.stop` says which (in that order of
    /// precedence when two coincide). `cached: false` runs a full forward pass per token: slower,
    /// and it must give identical records (a test checks it).
    ///
    ///     let options = GenerationOptions(strategy: .sample, temperature: 0.8, topK: 40, seed: 1)
    ///     let result = try model.generate(prompt: [464, 3290], options: options, endOfText: 50256)
    ///
    /// Throws `UserError` for invalid options, an empty prompt, a prompt longer than the context,
    /// or a prompt id outside the vocabulary.
    public func generate(prompt: [Int], options: GenerationOptions, endOfText: Int?,
                         cached: Bool = true) throws(UserError) -> GenerationResult {
        try options.validate(vocabSize: vocabSize)
        if prompt.isEmpty {
            throw UserError("the prompt is empty: allowed 1 to \(contextLength) tokens")
        }
        if prompt.count > contextLength {
            throw UserError("the prompt has \(prompt.count) tokens: allowed 1 to \(contextLength) (the model's context)")
        }
        if let bad = prompt.first(where: { !(0..<vocabSize).contains($0) }) {
            throw UserError("prompt token id \(bad) is out of range: allowed 0 ≤ id < \(vocabSize)")
        }
        let room = contextLength - prompt.count
        if options.strategy == .beam {
            let maxSteps = min(options.maxTokens, room)
            let tree = BeamSearch(model: self, prompt: prompt, width: options.effectiveBeamWidth,
                                  lengthPenalty: Double(options.effectiveLengthPenalty), maxSteps: maxSteps,
                                  endOfText: endOfText, cached: cached).run()
            let ids = tree.tokens(to: tree.best)
            let stop: StopReason = tree.nodes[tree.best].status == .finished ? .endOfText
                : ids.count == options.maxTokens ? .maxTokens : .contextLimit
            return GenerationResult(promptIDs: prompt, ids: ids, stop: stop, options: options, steps: [],
                                    beams: tree, repetition: RepetitionFlag.detect(prompt: prompt, output: ids))
        }
        var ids = prompt
        var steps: [StepRecord] = []
        var stop = StopReason.contextLimit  // stays so only when the prompt fills the context
        var rng = SplitMix64(seed: options.seed)
        var feed = LogitFeed(model: self, cached: cached)
        for s in 0..<(room == 0 ? 0 : options.maxTokens) {
            let logits = feed.logits(after: ids)
            let record = options.strategy == .greedy
                ? Sampler.greedy(logits: logits, position: ids.count)
                : Sampler.sample(logits: logits, position: ids.count, temperature: options.effectiveTemperature,
                                 topK: options.topK, topP: options.topP, rng: &rng)
            steps.append(record)
            ids.append(record.chosen)
            if record.chosen == endOfText { stop = .endOfText; break }
            if s == options.maxTokens - 1 { stop = .maxTokens; break }
            if ids.count == contextLength { stop = .contextLimit; break }
        }
        let output = Array(ids[prompt.count...])
        return GenerationResult(promptIDs: prompt, ids: output, stop: stop, options: options, steps: steps,
                                beams: nil, repetition: RepetitionFlag.detect(prompt: prompt, output: output))
    }
}
