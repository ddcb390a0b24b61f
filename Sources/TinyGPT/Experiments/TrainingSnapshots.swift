import Foundation

/// The model while it trained, seen through one prompt: at each snapshot kept beside the model
/// (`Snapshots`) and at the last step (the model itself), the next-token distribution after the
/// prompt, one head's attention pattern over it, the greedy continuation, and the mean loss on
/// held-out windows. The lessons' text and the `trainingSnapshots` figures read these values.
///
///     let views = try TrainingSnapshots.views(bundle: bundle, prompt: ids, layer: 1, head: 0,
///                                             continuation: 12, windows: heldOut)
///     views.map(\.step)   // [0, 50, 150, 400, 1000, 1500]
public struct SnapshotView: Sendable, Equatable {
    /// Optimiser steps done when the weights were copied (0: the initialisation).
    public var step: Int
    /// P(next token | prompt) over the whole vocabulary.
    public var probabilities: [Double]
    /// Attention weights of the chosen layer and head over the prompt: row t = query t.
    public var pattern: [[Double]]
    /// Greedy continuation (token ids, stopping at `<|endoftext|>`, which is kept).
    public var greedy: [Int]
    /// Mean next-token loss over the held-out windows (nil without windows).
    public var loss: Double?
}

public enum TrainingSnapshots {
    /// The views in step order: every snapshot, then the model at `bundle.trainLog.count` steps
    /// (0 when there is no log). Throws a one-line error when the model has no snapshots, or a
    /// snapshot cannot be read.
    public static func views(bundle: ModelBundle, prompt: [Int], layer: Int, head: Int, continuation: Int,
                             windows: [[Int]] = []) throws(UserError) -> [SnapshotView] {
        let m = bundle.model.config
        guard (0..<m.layers).contains(layer), (0..<m.heads).contains(head) else {
            throw UserError("snapshot layer \(layer), head \(head) is out of range for this model: allowed layer 0...\(m.layers - 1), head 0...\(m.heads - 1)")
        }
        let steps = Snapshots.list(model: bundle.directory)
        guard !steps.isEmpty else {
            throw UserError("\(bundle.directory.path): the model has no snapshots (snapshots/step-NNNNN.safetensors): retrain with gptx train and snapshot_steps in the training config")
        }
        var models: [(Int, GPT)] = []
        for s in steps { models.append((s, try Snapshots.load(step: s, model: bundle.directory, like: bundle.model.config))) }
        let last = bundle.trainLog.count
        if steps.last != last { models.append((last, bundle.model)) }
        var out: [SnapshotView] = []
        for (step, model) in models {
            out.append(try view(model, step: step, prompt: prompt, layer: layer, head: head, continuation: continuation,
                                windows: windows, endOfText: bundle.tokenizer.endOfTextID))
        }
        return out
    }

    /// The held-out windows a snapshot's loss is measured on: 8 windows of the context length + 1
    /// tokens at evenly spaced offsets of the validation stream (empty when it is too short).
    public static func heldOutWindows(_ validation: [Int], contextLength: Int) -> [[Int]] {
        let length = contextLength + 1, count = 8, room = validation.count - length
        guard room > 0 else { return [] }
        return (0..<count).map { i in let start = room * i / count; return Array(validation[start..<(start + length)]) }
    }

    static func view(_ model: GPT, step: Int, prompt: [Int], layer: Int, head: Int, continuation: Int,
                     windows: [[Int]], endOfText: Int) throws(UserError) -> SnapshotView {
        let T = prompt.count
        let traced = model.forward(prompt, trace: true)
        let probabilities = Sampler.softmax(Array(traced.logits.row(T - 1)))
        let p = traced.trace![TraceName.pattern(layer: layer)]!
        let pattern = (0..<T).map { q in (0..<T).map { k in Double(p[head, q, k]) } }
        let room = min(continuation, model.config.contextLength - T)
        let greedy = room > 0
            ? try model.generate(prompt: prompt, options: GenerationOptions(strategy: .greedy, maxTokens: room), endOfText: endOfText).ids
            : []
        var loss: Double? = nil
        if let length = windows.first?.count, length > 1, windows.allSatisfy({ $0.count == length }) {
            let ws = TrainingWorkspace(model: model, batchSize: windows.count, sequenceLength: length - 1)
            ws.load(inputs: windows.flatMap { $0.dropLast() }, targets: windows.flatMap { $0.dropFirst() })
            loss = Double(model.forward(ws))
        }
        return SnapshotView(step: step, probabilities: probabilities, pattern: pattern, greedy: greedy, loss: loss)
    }
}

extension Corpus {
    /// What follows `prompt` in the corpus, counted as the model sees it: at every place a document
    /// contains the prompt's text, the text from there to the document's end is encoded, and when
    /// its first tokens are the prompt's the next token is counted. Returns token id → count.
    ///
    ///     Corpus.nextTokenCounts(after: "我今天很", documents: docs, tokenizer: tok)
    ///     // [开心: 40, 忙: 30, 累: 20, 幸福: 10]   (ids as keys)
    public static func nextTokenCounts(after prompt: String, documents: [String], tokenizer: Tokenizer) -> [Int: Int] {
        let ids = tokenizer.encode(prompt)
        guard !ids.isEmpty else { return [:] }
        var counts: [Int: Int] = [:]
        for doc in documents {
            var from = doc.startIndex
            while let r = doc.range(of: prompt, range: from..<doc.endIndex) {
                let encoded = tokenizer.encode(String(doc[r.lowerBound...]))
                if encoded.count > ids.count, Array(encoded.prefix(ids.count)) == ids { counts[encoded[ids.count], default: 0] += 1 }
                from = doc.index(after: r.lowerBound)
            }
        }
        return counts
    }
}

/// The tokens a snapshot figure follows: what the corpus writes after the prompt, most frequent
/// first (with each one's share of every continuation counted), or, when the corpus never
/// continues the prompt, the final model's most probable tokens (no shares).
public struct SnapshotCandidates: Sendable, Equatable {
    public var ids: [Int]
    /// Share of the corpus's continuations of the prompt, per id (nil: not counted).
    public var shares: [Double]?
    /// Places the corpus continues the prompt.
    public var occurrences: Int

    public init(ids: [Int], shares: [Double]?, occurrences: Int) {
        self.ids = ids
        self.shares = shares
        self.occurrences = occurrences
    }

    /// At most `k` candidates from the corpus counts (ties: smaller id first), else from `final`.
    public init(counts: [Int: Int], final: [Double], k: Int) {
        let total = counts.values.reduce(0, +)
        if total > 0 {
            let top = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(k)
            ids = top.map(\.key)
            shares = top.map { Double($0.value) / Double(total) }
        } else {
            ids = Array(final.indices.sorted { final[$0] > final[$1] || (final[$0] == final[$1] && $0 < $1) }.prefix(k))
            shares = nil
        }
        occurrences = total
    }
}
