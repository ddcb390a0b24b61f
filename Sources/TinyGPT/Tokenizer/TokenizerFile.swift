import Foundation

/// The `tokenizer.json` format, version `gptx-bpe-1`.
///
/// ```json
/// {
///   "format": "gptx-bpe-1",
///   "merges": [
///     [301, 302, 640],
///     …
///   ],
///   "vocab": [
///     {"special": "<|endoftext|>"},
///     {"byte": 0},
///     …
///     {"byte": 255},
///     {"text": "的"},
///     …
///     {"text": "学习"},
///     {"bytes": [230, 156]}
///   ]
/// }
/// ```
///
/// - `vocab[id]` is token `id`: id 0 is `{"special": "<|endoftext|>"}`, ids 1…256 are
///   `{"byte": id - 1}` in order, later ids are `{"text": s}` (non-empty UTF-8) or, for a merged
///   token that is not valid UTF-8 on its own, `{"bytes": [..]}`. No two tokens have the same bytes.
///   A later token that is one scalar is a character token; one of several scalars must be the
///   result of a merge.
/// - `merges[rank]` is `[left, right, result]`: ids, with bytes(result) = bytes(left) + bytes(right);
///   each (left, right) pair at most once. Lower rank merges first.
/// - Keys are sorted, one merge and one token per line: the same tokenizer writes the same bytes.
///
/// The pre-tokenisation rules are part of the format's version (see ``Pretokenizer``).
enum TokenizerFile {
    static let format = "gptx-bpe-1"

    // MARK: Writing

    static func data(_ tok: Tokenizer) -> Data {
        var out = "{\n  \"format\": \"\(format)\",\n  \"merges\": [\n"
        out += tok.merges.map { "    [\($0.left), \($0.right), \($0.result)]" }.joined(separator: ",\n")
        out += tok.merges.isEmpty ? "  ],\n  \"vocab\": [\n" : "\n  ],\n  \"vocab\": [\n"
        var lines: [String] = []
        for id in 0..<tok.vocabSize {
            let bytes = tok.tokens[id]
            if id == 0 {
                lines.append("{\"special\": \(quoted(Tokenizer.endOfText))}")
            } else if id < Tokenizer.firstLearnedID {
                lines.append("{\"byte\": \(id - Tokenizer.byteOffset)}")
            } else if let text = String(validating: bytes, as: UTF8.self) {
                lines.append("{\"text\": \(quoted(text))}")
            } else {
                lines.append("{\"bytes\": [\(bytes.map(String.init).joined(separator: ", "))]}")
            }
        }
        out += lines.map { "    " + $0 }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return Data(out.utf8)
    }

    /// A JSON string literal; escapes only what JSON requires, so CJK stays readable.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: Reading

    /// Parses and validates; the error text is the problem alone (the caller adds the path).
    static func parse(_ data: Data) throws(UserError) -> Tokenizer {
        func fail(_ message: String) -> UserError { UserError(message) }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw fail("is not valid JSON")
        }
        guard let object = root as? [String: Any] else { throw fail("is not a JSON object") }
        guard let format = object["format"] as? String else { throw fail("has no \"format\" string") }
        guard format == Self.format else {
            throw fail("has format \"\(format)\", expected \"\(Self.format)\"")
        }
        guard let vocab = object["vocab"] as? [Any] else { throw fail("has no \"vocab\" array") }
        guard let mergeList = object["merges"] as? [Any] else { throw fail("has no \"merges\" array") }

        var tokens: [[UInt8]] = []
        for (id, entry) in vocab.enumerated() {
            guard let e = entry as? [String: Any], e.count == 1, let (kind, value) = e.first else {
                throw fail("vocab[\(id)] must be an object with one key: special, byte, text or bytes")
            }
            switch (id, kind) {
            case (0, "special"):
                guard value as? String == Tokenizer.endOfText else {
                    throw fail("vocab[0] must be {\"special\": \"\(Tokenizer.endOfText)\"}")
                }
                tokens.append(Array(Tokenizer.endOfText.utf8))
            case (0, _):
                throw fail("vocab[0] must be {\"special\": \"\(Tokenizer.endOfText)\"}")
            case (1..<Tokenizer.firstLearnedID, _):
                let expected = id - Tokenizer.byteOffset
                guard kind == "byte", let b = value as? Int, b == expected else {
                    throw fail("byte table incomplete: vocab[\(id)] must be {\"byte\": \(expected)}")
                }
                tokens.append([UInt8(b)])
            case (_, "text"):
                guard let s = value as? String, !s.isEmpty else {
                    throw fail("vocab[\(id)] text must be a non-empty string")
                }
                tokens.append(Array(s.utf8))
            case (_, "bytes"):
                guard let list = value as? [Any], !list.isEmpty,
                      let ints = list as? [Int], ints.allSatisfy({ (0...255).contains($0) }) else {
                    throw fail("vocab[\(id)] bytes must be a non-empty array of integers 0...255")
                }
                tokens.append(ints.map { UInt8($0) })
            default:
                throw fail("vocab[\(id)] has kind \"\(kind)\"; allowed after id 256: text, bytes")
            }
        }
        guard tokens.count >= Tokenizer.firstLearnedID else {
            throw fail("byte table incomplete: vocab has \(tokens.count) entries, needs at least \(Tokenizer.firstLearnedID)")
        }
        var idByBytes: [[UInt8]: Int] = [:]
        for (id, bytes) in tokens.enumerated() {
            if let other = idByBytes[bytes] {
                throw fail("duplicate token: vocab[\(other)] and vocab[\(id)] have the same bytes")
            }
            idByBytes[bytes] = id
        }

        var merges: [Tokenizer.Merge] = []
        var seenPairs: Set<UInt64> = []
        var produced: Set<Int> = []
        for (rank, entry) in mergeList.enumerated() {
            guard let triple = entry as? [Int], triple.count == 3 else {
                throw fail("merges[\(rank)] must be [left, right, result] ids")
            }
            for id in triple where !tokens.indices.contains(id) {
                throw fail("merges[\(rank)] refers to unknown id \(id) (vocab has \(tokens.count))")
            }
            let (l, r, result) = (triple[0], triple[1], triple[2])
            guard l != 0, r != 0, result >= Tokenizer.firstLearnedID else {
                throw fail("merges[\(rank)] must join ordinary tokens into a learned one (id ≥ \(Tokenizer.firstLearnedID))")
            }
            guard tokens[l] + tokens[r] == tokens[result] else {
                throw fail("merges[\(rank)]: tokens \(l) + \(r) do not spell token \(result)")
            }
            guard seenPairs.insert(Tokenizer.pairKey(l, r)).inserted else {
                throw fail("merges[\(rank)] repeats the pair [\(l), \(r)]")
            }
            produced.insert(result)
            merges.append(Tokenizer.Merge(left: l, right: r, result: result))
        }
        for id in Tokenizer.firstLearnedID..<tokens.count where !produced.contains(id) {
            if let scalar = Tokenizer.singleScalar(tokens[id]), scalar.value >= 0x80 { continue }
            throw fail("vocab[\(id)] is neither a single non-ASCII character nor made by a merge")
        }
        return Tokenizer(tokens: tokens, merges: merges)
    }
}

extension Tokenizer {
    /// Reads and validates a `tokenizer.json` (format in ``TokenizerFile``).
    ///
    ///     let tok = try Tokenizer(contentsOf: modelDir.appending(path: "tokenizer.json"))
    ///
    /// Throws one line naming the file and the problem: missing file, bad JSON, incomplete byte
    /// table, duplicate tokens, merges referring to unknown ids or not spelling their result.
    public init(contentsOf url: URL) throws(UserError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw UserError("tokenizer file \(url.path) " + (exists ? "cannot be read" : "does not exist"))
        }
        do {
            self = try TokenizerFile.parse(data)
        } catch {
            throw UserError("tokenizer file \(url.path) \(error.message)")
        }
    }

    /// The `tokenizer.json` bytes: deterministic (sorted keys, ids in order, one entry a line).
    ///
    ///     try tok.jsonData().write(to: url)  // prefer write(to:), which is atomic
    public func jsonData() -> Data { TokenizerFile.data(self) }

    /// Writes `tokenizer.json` atomically (a temporary file renamed into place), so a reader
    /// never sees half a file.
    ///
    ///     try tok.write(to: modelDir.appending(path: "tokenizer.json"))
    public func write(to url: URL) throws(UserError) {
        do {
            try jsonData().write(to: url, options: .atomic)
        } catch {
            throw UserError("cannot write tokenizer file \(url.path): check that the folder \(url.deletingLastPathComponent().path) exists and is writable")
        }
    }
}
