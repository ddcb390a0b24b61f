import Foundation

/// A reader and writer of the safetensors format (Hugging Face), Float32 only.
///
/// A file is an 8-byte little-endian header length `n`, then `n` bytes of JSON header
/// `{NAME: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {string: string}}`,
/// then the data: every tensor's elements, row-major, little-endian, at `8 + n + begin ..< 8 + n + end`.
///
/// The writer is deterministic: header keys sorted, tensors laid out back to back in the order given,
/// header padded with spaces to a multiple of 8 bytes (so the data is 8-byte aligned).
/// The reader refuses anything a corrupt or hostile file could do with a one-line `UserError`
/// naming the file and the problem, and never allocates more than the file's own size.
///
///     let bytes = SafeTensors.encode([.init(name: "w", shape: [2], data: [1, 2])], metadata: ["k": "v"])
///     let file = try SafeTensors.decode(bytes, source: "w.safetensors")
///     file.tensors["w"]!.data   // [1.0, 2.0]
public enum SafeTensors {
    /// The largest header the reader accepts (the limit of the Rust `safetensors` crate, 100 MB).
    /// A header length above it is refused before anything is allocated.
    public static let maxHeaderLength = 100_000_000

    /// One tensor to write: a name, a row-major shape and its elements.
    ///
    ///     let e = SafeTensors.Entry(name: "wte.weight", shape: [V, C], data: slab[0..<V * C])
    public struct Entry: Sendable {
        public let name: String
        public let shape: [Int]
        public let data: ArraySlice<Float>

        public init(name: String, shape: [Int], data: ArraySlice<Float>) {
            precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == data.count,
                         "safetensors entry \(name): shape \(shape) does not match \(data.count) elements")
            precondition(name != "__metadata__", "a tensor cannot be named __metadata__")
            self.name = name
            self.shape = shape
            self.data = data
        }

        public init(name: String, shape: [Int], data: [Float]) {
            self.init(name: name, shape: shape, data: data[...])
        }

        public init(name: String, tensor: Tensor) {
            self.init(name: name, shape: tensor.shape, data: tensor.data[...])
        }
    }

    /// A parsed safetensors file.
    ///
    ///     let file = try SafeTensors.read(from: url)
    ///     for name in file.names { print(name, file.tensors[name]!.shape) }
    public struct File: Sendable {
        /// Tensor names in the order of their data in the file.
        public var names: [String]
        public var tensors: [String: Tensor]
        /// The `__metadata__` map (empty if the file has none).
        public var metadata: [String: String]
    }

    // MARK: Writing

    /// The bytes of a safetensors file holding `tensors` (laid out in this order) and `metadata`.
    /// The same input always gives the same bytes. Names must be unique.
    ///
    ///     let data = SafeTensors.encode([.init(name: "b", shape: [3], data: [0, 1, 2])])
    public static func encode(_ tensors: [Entry], metadata: [String: String] = [:]) -> Data {
        precondition(Set(tensors.map(\.name)).count == tensors.count, "safetensors tensor names must be unique")
        var fields: [(key: String, value: String)] = []
        var offset = 0
        for t in tensors {
            let end = offset + 4 * t.data.count
            let shape = t.shape.map(String.init).joined(separator: ",")
            fields.append((t.name, "{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"))
            offset = end
        }
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonQuoted($0.key)):\(jsonQuoted($0.value))" }
            fields.append(("__metadata__", "{" + pairs.joined(separator: ",") + "}"))
        }
        fields.sort { $0.key < $1.key }
        var header = Array(("{" + fields.map { "\(jsonQuoted($0.key)):\($0.value)" }.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        for t in tensors { appendLittleEndian(t.data, to: &bytes) }
        return Data(bytes)
    }

    /// Writes `encode(tensors, metadata:)` to `url` atomically (`AtomicFile.write`).
    ///
    ///     try SafeTensors.write([.init(name: "w", shape: [1], data: [0])], to: url)
    public static func write(_ tensors: [Entry], metadata: [String: String] = [:], to url: URL) throws(UserError) {
        try AtomicFile.write(encode(tensors, metadata: metadata), to: url)
    }

    static func appendLittleEndian(_ data: ArraySlice<Float>, to bytes: inout [UInt8]) {
        if UInt32(1).littleEndian == 1 {
            data.withUnsafeBytes { bytes.append(contentsOf: $0) }
        } else {
            for x in data { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
    }

    // MARK: Reading

    /// Reads and validates a safetensors file. Only the header is read before it is validated,
    /// so a header that claims gigabytes is refused without allocating them.
    ///
    ///     let file = try SafeTensors.read(from: URL(fileURLWithPath: "model.safetensors"))
    public static func read(from url: URL) throws(UserError) -> File {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UserError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw UserError("\(path): is a directory, not a safetensors file") }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw UserError("\(path): cannot open: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        do {
            let fileSize = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            let prefix = try handle.read(upToCount: 8) ?? Data()
            let headerLength = try checkedHeaderLength(prefix, fileSize: fileSize, source: path)
            let headerBytes = try handle.read(upToCount: headerLength) ?? Data()
            guard headerBytes.count == headerLength else { throw UserError("\(path): file changed while reading the header") }
            let dataSize = fileSize - 8 - headerLength
            let header = try parseHeader(headerBytes, dataSize: dataSize, source: path)
            let body = dataSize == 0 ? Data() : (try handle.read(upToCount: dataSize) ?? Data())
            guard body.count == dataSize else { throw UserError("\(path): file changed while reading the data") }
            return extract(header, body: body)
        } catch let error as UserError {
            throw error
        } catch {
            throw UserError("\(path): cannot read: \(error.localizedDescription)")
        }
    }

    /// Parses and validates safetensors bytes held in memory; `source` names them in errors.
    ///
    ///     let file = try SafeTensors.decode(data, source: "trace.safetensors")
    public static func decode(_ data: Data, source: String) throws(UserError) -> File {
        let bytes = Data(data) // rebase indices to 0
        let headerLength = try checkedHeaderLength(bytes.prefix(8), fileSize: bytes.count, source: source)
        let header = try parseHeader(bytes[8..<(8 + headerLength)], dataSize: bytes.count - 8 - headerLength, source: source)
        return extract(header, body: bytes[(8 + headerLength)...])
    }

    /// Validates the 8-byte prefix; returns the header length.
    static func checkedHeaderLength(_ prefix: Data, fileSize: Int, source: String) throws(UserError) -> Int {
        guard prefix.count == 8, fileSize >= 8 else {
            throw UserError("\(source): not a safetensors file: \(fileSize) bytes is shorter than the 8-byte header length")
        }
        var raw: UInt64 = 0
        for (i, b) in prefix.enumerated() { raw |= UInt64(b) << (8 * UInt64(i)) }
        guard raw <= UInt64(maxHeaderLength) else {
            throw UserError("\(source): corrupt safetensors file: header length \(raw) bytes is absurd (the limit is \(maxHeaderLength))")
        }
        let n = Int(raw)
        guard n <= fileSize - 8 else {
            throw UserError("\(source): corrupt safetensors file: header length \(n) bytes is larger than the \(fileSize - 8) bytes after the length field (truncated file?)")
        }
        return n
    }

    struct HeaderEntry {
        var name: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    struct Header {
        var entries: [HeaderEntry]  // sorted by data offset
        var metadata: [String: String]
    }

    /// Parses the JSON header and checks every entry against `dataSize` bytes of data.
    static func parseHeader(_ bytes: Data, dataSize: Int, source: String) throws(UserError) -> Header {
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: bytes)
        } catch {
            throw UserError("\(source): corrupt safetensors file: \(describeHeaderError(error, header: bytes))")
        }
        var entries: [HeaderEntry] = []
        for (name, e) in raw.entries {
            func bad(_ problem: String) -> UserError { UserError("\(source): corrupt safetensors file: tensor \(name) \(problem)") }
            guard e.dtype == "F32" else {
                throw UserError("\(source): unsupported safetensors file: tensor \(name) has dtype \(e.dtype); only F32 is supported")
            }
            let shapeText = "[" + e.shape.map { $0.description }.joined(separator: ", ") + "]"
            let dims = e.shape.compactMap { Int(exactly: $0) }
            guard dims.count == e.shape.count else { throw bad("has shape \(shapeText): dimensions must be integers") }
            guard dims.allSatisfy({ $0 >= 0 }) else { throw bad("has a negative dimension in shape \(dims)") }
            var count = 1
            for d in dims {
                let (p, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, p <= Int.max / 4 else { throw bad("has an absurd shape \(dims)") }
                count = p
            }
            let offsets = e.dataOffsets.compactMap { Int(exactly: $0) }
            guard offsets.count == 2, e.dataOffsets.count == 2 else {
                let text = "[" + e.dataOffsets.map { $0.description }.joined(separator: ", ") + "]"
                throw bad("has data_offsets \(text); expected two integers [begin, end]")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end else { throw bad("has data_offsets [\(begin), \(end)]: begin must be ≥ 0 and ≤ end") }
            guard end <= dataSize else {
                throw bad("has data_offsets [\(begin), \(end)] outside the data (\(dataSize) bytes)")
            }
            guard end - begin == 4 * count else {
                throw bad("has shape \(dims) (\(count) F32 = \(4 * count) bytes) but data_offsets [\(begin), \(end)] span \(end - begin) bytes")
            }
            entries.append(HeaderEntry(name: name, shape: dims, begin: begin, end: end))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        var previous: HeaderEntry? = nil
        for e in entries {
            if e.begin < position, let p = previous {
                throw UserError("\(source): corrupt safetensors file: tensors \(p.name) [\(p.begin), \(p.end)] and \(e.name) [\(e.begin), \(e.end)] overlap")
            }
            if e.begin > position {
                throw UserError("\(source): corrupt safetensors file: bytes \(position)..<\(e.begin) of the data belong to no tensor (a hole before \(e.name))")
            }
            position = e.end
            previous = e
        }
        guard position == dataSize else {
            throw UserError("\(source): corrupt safetensors file: \(dataSize - position) bytes after the last tensor belong to no tensor")
        }
        return Header(entries: entries, metadata: raw.metadata ?? [:])
    }

    /// Copies each tensor out of the (validated) data section.
    static func extract(_ header: Header, body: Data) -> File {
        var tensors: [String: Tensor] = [:]
        body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for e in header.entries {
                let count = (e.end - e.begin) / 4
                let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 {
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[e.begin..<e.end]))
                        if UInt32(1).littleEndian != 1 {
                            for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern)) }
                        }
                    }
                    initialized = count
                }
                tensors[e.name] = Tensor(shape: e.shape, data: values)
            }
        }
        return File(names: header.entries.map(\.name), tensors: tensors, metadata: header.metadata)
    }

    // MARK: Header JSON

    struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct RawEntry: Decodable {
        var dtype: String
        // Doubles, so that a non-integer is reported by us, naming the tensor (`Int(exactly:)` below).
        var shape: [Double]
        var dataOffsets: [Double]
        enum CodingKeys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }
    }

    struct RawHeader: Decodable {
        var entries: [(String, RawEntry)] = []
        var metadata: [String: String]? = nil

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: DynamicKey.self)
            for key in c.allKeys {
                if key.stringValue == "__metadata__" {
                    metadata = try c.decode([String: String].self, forKey: key)
                } else {
                    entries.append((key.stringValue, try c.decode(RawEntry.self, forKey: key)))
                }
            }
        }
    }

    static func describeHeaderError(_ error: any Error, header: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: header) else { return "header is not valid JSON" }
        guard object is [String: Any] else { return "header is not a JSON object" }
        let context: DecodingError.Context
        switch error {
        case DecodingError.dataCorrupted(let c), DecodingError.typeMismatch(_, let c),
             DecodingError.valueNotFound(_, let c), DecodingError.keyNotFound(_, let c):
            context = c
        default:
            return "header is malformed: \(error)"
        }
        let path = context.codingPath.map(\.stringValue)
        guard let first = path.first else { return "header is malformed: \(context.debugDescription)" }
        let what = first == "__metadata__" ? "__metadata__ (must map strings to strings)" : "header entry for tensor \(first)"
        return "\(what) is malformed: \(describe(error))"
    }
}

/// `s` as a JSON string literal, quotes included.
func jsonQuoted(_ s: String) -> String {
    var out: [UInt8] = []
    appendJSONString(s, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends `s` as a JSON string literal (quotes included), escaping `"`, `\` and control characters.
func appendJSONString(_ s: String, to out: inout [UInt8]) {
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0..<0x20, 0x7F:
            out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 15)]]
        default: out.append(b)
        }
    }
    out.append(UInt8(ascii: "\""))
}
