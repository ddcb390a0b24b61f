import Foundation

/// The model checkpoint: one safetensors file with Hugging Face GPT-2 tensor names and layouts
/// (`ParameterLayout`), the config in `__metadata__["config"]` as GPT-2 `config.json` keys and
/// `__metadata__["format"] = "pt"` as Hugging Face writes it.
///
/// In Python: `safetensors.numpy.load_file("model.safetensors")["h.0.attn.c_attn.weight"]` is a
/// float32 array of shape (C, 3C).
///
///     try Checkpoint.save(config: config, parameters: slab, to: dir.appendingPathComponent("model.safetensors"))
///     let (config, slab) = try Checkpoint.load(from: dir.appendingPathComponent("model.safetensors"))
public enum Checkpoint {
    /// Writes the checkpoint atomically: the bytes go to a temporary file in the same directory,
    /// which is flushed and then renamed over `url`, so `url` is either the old file or the whole
    /// new one, never half-written. The same config and parameters always give the same bytes.
    ///
    /// Throws a `UserError` naming the path if the directory is missing or not writable, if the
    /// config is invalid, or if a weight is NaN or infinite (such a checkpoint could not be loaded).
    /// `parameters` must hold `ParameterLayout(config).count` floats (a programming error otherwise).
    ///
    ///     try Checkpoint.save(config: config, parameters: model.parameters, to: url)
    public static func save(config: GPTConfig, parameters: [Float], to url: URL) throws(UserError) {
        let path = url.path
        do { try config.validate() } catch { throw UserError("\(path): cannot save checkpoint: \(error.message)") }
        let layout = ParameterLayout(config)
        precondition(parameters.count == layout.count,
                     "Checkpoint.save: \(parameters.count) parameters, but the config needs \(layout.count)")
        let entries = layout.tensors.map { t in
            SafeTensors.Entry(name: t.name, shape: t.shape, data: parameters[t.offset..<(t.offset + t.count)])
        }
        for e in entries {
            if let i = e.data.firstIndex(where: { !$0.isFinite }) {
                throw UserError("\(path): refusing to save checkpoint: tensor \(e.name) holds \(e.data[i]) at element \(i - e.data.startIndex)")
            }
        }
        let bytes = SafeTensors.encode(entries, metadata: metadata(for: config))
        try AtomicFile.write(bytes, to: url)
    }

    /// The `__metadata__` of a checkpoint for `config`.
    static func metadata(for config: GPTConfig) -> [String: String] {
        ["config": config.jsonString(), "format": "pt"]
    }

    /// Reads a checkpoint and checks it against its own config: the config metadata is present
    /// and valid, every tensor of `ParameterLayout(config)` is there with exactly its shape, there
    /// is no other tensor, and every weight is finite. Returns the parameters in `ParameterLayout`
    /// order. Every problem is a one-line `UserError` naming the file (and the tensor).
    ///
    ///     let (config, parameters) = try Checkpoint.load(from: url)
    ///     let layout = ParameterLayout(config)   // parameters.count == layout.count
    public static func load(from url: URL) throws(UserError) -> (config: GPTConfig, parameters: [Float]) {
        let path = url.path
        let file = try SafeTensors.read(from: url)
        guard let json = file.metadata["config"] else {
            throw UserError("\(path): not a gptx checkpoint: no model config in the safetensors metadata (__metadata__[\"config\"], a JSON string with vocab_size, n_positions, n_embd, n_layer, n_head, positional)")
        }
        let config = try GPTConfig.parse(json: json, source: path)
        let layout = ParameterLayout(config)
        let expected = Set(layout.tensors.map(\.name))
        let unexpected = file.names.filter { !expected.contains($0) }.sorted()
        if !unexpected.isEmpty {
            let more = unexpected.count > 1 ? " (and \(unexpected.count - 1) more)" : ""
            throw UserError("\(path): unexpected tensor \(unexpected[0])\(more): not part of a \(config.positional.rawValue) GPT-2 with n_layer \(config.layers)")
        }
        var parameters = [Float](repeating: 0, count: layout.count)
        for t in layout.tensors {
            guard let found = file.tensors[t.name] else {
                throw UserError("\(path): missing tensor \(t.name) (expected shape \(t.shape))")
            }
            guard found.shape == t.shape else {
                throw UserError("\(path): tensor \(t.name) has shape \(found.shape), but the config expects \(t.shape)")
            }
            if let i = found.data.firstIndex(where: { !$0.isFinite }) {
                throw UserError("\(path): tensor \(t.name) holds \(found.data[i]) at element \(i); weights must be finite")
            }
            parameters.replaceSubrange(t.offset..<(t.offset + t.count), with: found.data)
        }
        return (config, parameters)
    }
}
