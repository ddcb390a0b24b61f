import Foundation

/// A trained model as shipped in `lessons/model/`: the checkpoint, its tokenizer and the log.
///
///     let bundle = try ModelBundle.load(directory: URL(fileURLWithPath: "lessons/model"))
///     let ids = bundle.tokenizer.encode("我今天很")
public struct ModelBundle: Sendable {
    public var directory: URL
    public var model: GPT
    public var tokenizer: Tokenizer
    /// Empty when the folder has no `train-log.jsonl`.
    public var trainLog: [TrainLogEntry]

    public static func load(directory: URL) throws(UserError) -> ModelBundle {
        let ckpt = directory.appendingPathComponent("model.safetensors")
        let tok = directory.appendingPathComponent("tokenizer.json")
        let (config, parameters) = try Checkpoint.load(from: ckpt)
        let tokenizer = try Tokenizer(contentsOf: tok)
        guard tokenizer.vocabSize == config.vocabSize else {
            throw UserError("\(tok.path): tokenizer has \(tokenizer.vocabSize) tokens but \(ckpt.lastPathComponent) expects vocab_size \(config.vocabSize)")
        }
        let logURL = directory.appendingPathComponent("train-log.jsonl")
        let log = FileManager.default.fileExists(atPath: logURL.path) ? try TrainLog.load(from: logURL) : []
        return ModelBundle(directory: directory, model: GPT(config: config, parameters: parameters), tokenizer: tokenizer, trainLog: log)
    }

    /// Encodes a prompt for the model, or says why it cannot be used: empty, or longer than the context.
    public func promptIDs(_ prompt: String, reserve: Int = 0) throws(UserError) -> [Int] {
        guard !prompt.isEmpty else { throw UserError("the prompt is empty: give at least one character") }
        let ids = tokenizer.encode(prompt)
        let T = model.config.contextLength
        guard ids.count + reserve <= T else {
            throw UserError("the prompt is \(ids.count) tokens but the model's context is \(T) tokens\(reserve > 0 ? " (with \(reserve) to generate)" : ""): shorten it")
        }
        return ids
    }
}

extension ModelBundle {
    /// SHA-256 of `model.safetensors` as it is on disk now (hex), naming the exact weights a
    /// figure was drawn from.
    public func modelSHA256() throws(UserError) -> String {
        let url = directory.appendingPathComponent("model.safetensors")
        guard let data = try? Data(contentsOf: url) else { throw UserError("\(url.path): cannot read the model file") }
        return SHA256.hex(data)
    }
}
