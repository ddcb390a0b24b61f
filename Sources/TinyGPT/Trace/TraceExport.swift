import Foundation

/// Exports a `Trace` for other tools: the `gptx trace --json` document and a safetensors file.
///
///     let json = TraceExport.json(trace, tokens: tokenizer.pieces(ids))
///     FileHandle.standardOutput.write(json)
public enum TraceExport {
    /// The trace as one JSON document:
    ///
    ///     {"tokens":["The"," cat"],"ids":[464,3797],"tensors":{
    ///     "hook_embed":{"shape":[2,64],"data":[0.1,-0.25,…]},
    ///     …
    ///     }}
    ///
    /// - `tokens`: the given token strings; `ids`: `trace.ids`.
    /// - `tensors`: every tensor in `trace.orderedNames` order, `data` flat in row-major order.
    /// - Floats are Swift's shortest round-trip `description` (`Float(json) == value` exactly).
    /// - **Non-finite values are written as `null`**: JSON has no infinity, so the −∞ above the
    ///   diagonal of `blocks.{l}.attn.hook_attn_scores` (the causal mask) appears as `null`, as
    ///   would a NaN or +∞.
    ///
    /// The bytes are deterministic: no spaces, one line per tensor, a final newline.
    ///
    ///     try AtomicFile.write(TraceExport.json(trace, tokens: pieces), to: url)
    public static func json(_ trace: Trace, tokens: [String]) -> Data {
        let floats = trace.tensors.values.reduce(0) { $0 + $1.data.count }
        var out: [UInt8] = []
        out.reserveCapacity(64 + floats * 11)
        out += Array("{\"tokens\":[".utf8)
        for (i, token) in tokens.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendJSONString(token, to: &out)
        }
        out += Array("],\"ids\":[".utf8)
        for (i, id) in trace.ids.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendASCII(String(id), to: &out)
        }
        out += Array("],\"tensors\":{".utf8)
        for (n, name) in trace.orderedNames.enumerated() {
            let tensor = trace.tensors[name]!
            out += Array((n > 0 ? ",\n" : "\n").utf8)
            appendJSONString(name, to: &out)
            out += Array(":{\"shape\":[".utf8)
            for (i, d) in tensor.shape.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendASCII(String(d), to: &out)
            }
            out += Array("],\"data\":[".utf8)
            tensor.data.withUnsafeBufferPointer { data in
                for i in data.indices {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    let x = data[i]
                    if x.isFinite {
                        appendASCII(x.description, to: &out)
                    } else {
                        out += [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")]
                    }
                }
            }
            out += Array("]}".utf8)
        }
        out += Array("\n}}\n".utf8)
        return Data(out)
    }

    /// The same tensors as a safetensors file (in `trace.orderedNames` order, −∞ kept as −∞),
    /// with `__metadata__["tokens"]` and `__metadata__["ids"]` holding JSON arrays as strings.
    ///
    ///     try TraceExport.safetensors(trace, tokens: pieces, ids: trace.ids).write(to: url)
    ///     // Python: safetensors.safe_open(path, "np").metadata()["tokens"] == '["The"," cat"]'
    public static func safetensors(_ trace: Trace, tokens: [String], ids: [Int]) -> Data {
        var tokenJSON: [UInt8] = [UInt8(ascii: "[")]
        for (i, token) in tokens.enumerated() {
            if i > 0 { tokenJSON.append(UInt8(ascii: ",")) }
            appendJSONString(token, to: &tokenJSON)
        }
        tokenJSON.append(UInt8(ascii: "]"))
        let metadata = [
            "tokens": String(decoding: tokenJSON, as: UTF8.self),
            "ids": "[" + ids.map(String.init).joined(separator: ",") + "]",
        ]
        let entries = trace.orderedNames.map { SafeTensors.Entry(name: $0, tensor: trace.tensors[$0]!) }
        return SafeTensors.encode(entries, metadata: metadata)
    }

    static func appendASCII(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }
}
