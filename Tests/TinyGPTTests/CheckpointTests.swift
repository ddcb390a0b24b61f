import Foundation
import Testing
@testable import TinyGPT

// MARK: Helpers

/// Random finite floats of every kind: normal, tiny, huge, subnormal, ±0.
func randomSlab(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { i in
        switch i % 7 {
        case 0: return -0.0
        case 1: return Float.leastNonzeroMagnitude * Float(Int.random(in: 1...100, using: &rng))
        default:
            // Any bit pattern that is finite.
            var x: Float
            repeat { x = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng)) } while !x.isFinite
            return x
        }
    }
}

func makeTempDir() -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("gptx-ckpt-tests-\(UUID().uuidString)", isDirectory: true)
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` and returns the `UserError` it threw (nil if it did not throw).
/// Any other error is recorded as a test failure.
func userError(_ body: () throws -> Void) -> UserError? {
    do { try body(); return nil } catch let error as UserError { return error } catch {
        Issue.record("expected a UserError, got \(error)")
        return nil
    }
}

/// Writes `data` to a fresh file and returns its URL.
func writeTemp(_ data: Data, name: String = "bad.safetensors") -> URL {
    let url = makeTempDir().appendingPathComponent(name)
    try! data.write(to: url)
    return url
}

/// A safetensors file by hand: 8-byte little-endian length, header text, then raw data.
func rawFile(header: String, data: [UInt8] = [], claimedLength: UInt64? = nil) -> Data {
    let h = Array(header.utf8)
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (claimedLength ?? UInt64(h.count)).littleEndian) { bytes += $0 }
    return Data(bytes + h + data)
}

let tinyConfig = GPTConfig(vocabSize: 11, contextLength: 5, layers: 2, heads: 2, width: 4)

/// The entries of a checkpoint for `config` with `slab`, to tamper with before encoding.
func checkpointEntries(_ config: GPTConfig, _ slab: [Float]) -> [SafeTensors.Entry] {
    ParameterLayout(config).tensors.map { .init(name: $0.name, shape: $0.shape, data: slab[$0.offset..<($0.offset + $0.count)]) }
}

func loadError(_ data: Data) -> (URL, UserError?) {
    let url = writeTemp(data)
    return (url, userError { _ = try Checkpoint.load(from: url) })
}

// MARK: Checkpoint round trip

@Suite struct CheckpointTests {
    @Test(arguments: PositionalEncoding.allCases)
    func saveLoadRoundTripIsBitExact(positional: PositionalEncoding) throws {
        var config = tinyConfig
        config.positional = positional
        let layout = ParameterLayout(config)
        let slab = randomSlab(layout.count, seed: 42 + UInt64(positional.rawValue.count))
        let url = makeTempDir().appendingPathComponent("model.safetensors")
        try Checkpoint.save(config: config, parameters: slab, to: url)
        let (loaded, parameters) = try Checkpoint.load(from: url)
        #expect(loaded == config)
        #expect(parameters.count == slab.count)
        #expect(parameters.map(\.bitPattern) == slab.map(\.bitPattern))
    }

    @Test func fileHasHuggingFaceNamesShapesAndMetadata() throws {
        let layout = ParameterLayout(tinyConfig)
        let slab = randomSlab(layout.count, seed: 7)
        let url = makeTempDir().appendingPathComponent("model.safetensors")
        try Checkpoint.save(config: tinyConfig, parameters: slab, to: url)
        let file = try SafeTensors.read(from: url)
        #expect(file.names == layout.tensors.map(\.name))  // data laid out in layout order
        #expect(file.names.first == "wte.weight")
        #expect(file.tensors["h.1.attn.c_attn.weight"]?.shape == [4, 12])
        #expect(file.tensors["h.0.mlp.c_proj.weight"]?.shape == [16, 4])
        #expect(file.metadata == ["config": tinyConfig.jsonString(), "format": "pt"])
        let wte = try #require(layout.tensor(named: "wte.weight"))
        #expect(file.tensors["wte.weight"]?.data.map(\.bitPattern) == slab[wte.offset..<(wte.offset + wte.count)].map(\.bitPattern))
    }

    @Test func twoSavesGiveIdenticalBytes() throws {
        let slab = randomSlab(ParameterLayout(tinyConfig).count, seed: 3)
        let dir = makeTempDir()
        let a = dir.appendingPathComponent("a.safetensors"), b = dir.appendingPathComponent("b.safetensors")
        try Checkpoint.save(config: tinyConfig, parameters: slab, to: a)
        try Checkpoint.save(config: tinyConfig, parameters: slab, to: b)
        let bytesA = try Data(contentsOf: a)
        #expect(bytesA == (try Data(contentsOf: b)))
        // Header padded to a multiple of 8, so data starts 8-byte aligned.
        let n = bytesA.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(n % 8 == 0)
        // Saving over an existing file replaces it and leaves no temporary file.
        try Checkpoint.save(config: tinyConfig, parameters: slab.map { $0 == 0 ? 1 : 0 }, to: a)
        #expect((try Data(contentsOf: a)) != bytesA)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.safetensors", "b.safetensors"])
    }

    // MARK: The format, by hand

    /// Header `{"__metadata__":{"k":"v"},"a":{..,"shape":[2],..[0,8]},"b":{..,"shape":[1,1],..[8,12]}}`
    /// (135 bytes) padded with 1 space to 136, then 1.5, -2.0, 0.25 as little-endian F32.
    static let handHeader = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}"#
    static let handData: [UInt8] = [0x00, 0x00, 0xC0, 0x3F,  0x00, 0x00, 0x00, 0xC0,  0x00, 0x00, 0x80, 0x3E]

    @Test func handBuiltFileParses() throws {
        let header = Self.handHeader + " "
        #expect(header.utf8.count == 136)
        let url = writeTemp(rawFile(header: header, data: Self.handData))
        let file = try SafeTensors.read(from: url)
        #expect(file.names == ["a", "b"])
        #expect(file.tensors["a"] == Tensor(shape: [2], data: [1.5, -2.0]))
        #expect(file.tensors["b"] == Tensor(shape: [1, 1], data: [0.25]))
        #expect(file.metadata == ["k": "v"])
    }

    @Test func writerProducesTheHandBuiltBytes() {
        let bytes = SafeTensors.encode([.init(name: "a", shape: [2], data: [1.5, -2.0]),
                                        .init(name: "b", shape: [1, 1], data: [0.25])], metadata: ["k": "v"])
        #expect(bytes == rawFile(header: Self.handHeader + " ", data: Self.handData))
    }

    @Test func writerEscapesMetadataAndDecodeRoundTrips() throws {
        let meta = ["config": #"{"a":"b\c"}"#, "tab\tnew\nline": "ü \u{1}"]
        let bytes = SafeTensors.encode([.init(name: "z", shape: [0], data: []), .init(name: "s", shape: [], data: [3])], metadata: meta)
        let file = try SafeTensors.decode(bytes, source: "mem")
        #expect(file.metadata == meta)
        #expect(file.tensors["z"] == Tensor(shape: [0], data: []))
        #expect(file.tensors["s"] == Tensor(shape: [], data: [3]))
    }

    // MARK: Corrupt and hostile files

    @Test func missingFile() {
        let url = makeTempDir().appendingPathComponent("nope.safetensors")
        let e = userError { _ = try Checkpoint.load(from: url) }
        #expect(e?.message == "\(url.path): no such file")
    }

    @Test func fileShorterThanEightBytes() {
        let (url, e) = loadError(Data([1, 0, 0]))
        #expect(e?.message.hasPrefix(url.path + ":") == true)
        #expect(e?.message.contains("3 bytes is shorter than the 8-byte header length") == true)
    }

    @Test func truncatedCheckpoint() throws {
        let dir = makeTempDir()
        let good = dir.appendingPathComponent("model.safetensors")
        try Checkpoint.save(config: tinyConfig, parameters: randomSlab(ParameterLayout(tinyConfig).count, seed: 1), to: good)
        let bytes = try Data(contentsOf: good)
        // Cut in the data: the last tensor's offsets now point past the end.
        let (url, e) = loadError(bytes.prefix(bytes.count - 5))
        #expect(e?.message.hasPrefix(url.path + ":") == true)
        #expect(e?.message.contains("tensor ln_f.bias has data_offsets") == true)
        #expect(e?.message.contains("outside the data") == true)
        // Cut in the header.
        let (url2, e2) = loadError(bytes.prefix(40))
        #expect(e2?.message.hasPrefix(url2.path + ":") == true)
        #expect(e2?.message.contains("is larger than the 32 bytes after the length field") == true)
    }

    @Test func headerLengthLargerThanFile() {
        let (url, e) = loadError(rawFile(header: "{}      ", claimedLength: 9))
        #expect(e?.message == "\(url.path): corrupt safetensors file: header length 9 bytes is larger than the 8 bytes after the length field (truncated file?)")
    }

    @Test func headerClaimingGigabytesIsRefused() {
        let (url, e) = loadError(rawFile(header: "{}", claimedLength: 8 << 30))
        #expect(e?.message == "\(url.path): corrupt safetensors file: header length 8589934592 bytes is absurd (the limit is 100000000)")
        // Also from memory, and for the largest possible length.
        let e2 = userError { _ = try SafeTensors.decode(rawFile(header: "{}", claimedLength: .max), source: "mem") }
        #expect(e2?.message.contains("header length 18446744073709551615 bytes is absurd") == true)
    }

    @Test func headerNotJSON() {
        let (url, e) = loadError(rawFile(header: "not json"))
        #expect(e?.message == "\(url.path): corrupt safetensors file: header is not valid JSON")
        let (url2, e2) = loadError(rawFile(header: "[1,2]   "))
        #expect(e2?.message == "\(url2.path): corrupt safetensors file: header is not a JSON object")
    }

    @Test func malformedEntries() {
        let (url, e) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":[1]}}"#))
        #expect(e?.message.hasPrefix("\(url.path): corrupt safetensors file: header entry for tensor w is malformed") == true)
        #expect(e?.message.contains("data_offsets") == true)
        let (_, e2) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        #expect(e2?.message.contains("tensor w has shape [1.5]: dimensions must be integers") == true, "\(e2?.message ?? "no error")")
        let (_, e5) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,1e30]}}"#, data: [0, 0, 0, 0]))
        #expect(e5?.message.contains("tensor w has data_offsets [0.0, 1e+30]; expected two integers") == true, "\(e5?.message ?? "no error")")
        let (_, e6) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":true,"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        #expect(e6?.message.contains("header entry for tensor w is malformed") == true, "\(e6?.message ?? "no error")")
        let (_, e3) = loadError(rawFile(header: #"{"__metadata__":{"k":1}}"#))
        #expect(e3?.message.contains("__metadata__ (must map strings to strings) is malformed") == true)
        let (_, e4) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#))
        #expect(e4?.message.contains("tensor w has a negative dimension") == true)
    }

    @Test func wrongDtype() {
        let (url, e) = loadError(rawFile(header: #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        #expect(e?.message == "\(url.path): unsupported safetensors file: tensor w has dtype F16; only F32 is supported")
    }

    @Test func shapeDisagreesWithOffsets() {
        let (url, e) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)))
        #expect(e?.message == "\(url.path): corrupt safetensors file: tensor w has shape [3] (3 F32 = 12 bytes) but data_offsets [0, 8] span 8 bytes")
    }

    @Test func offsetsOutsideTheData() {
        let (url, e) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: Array(repeating: 0, count: 8)))
        #expect(e?.message == "\(url.path): corrupt safetensors file: tensor w has data_offsets [4, 12] outside the data (8 bytes)")
        let (_, e2) = loadError(rawFile(header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#, data: Array(repeating: 0, count: 8)))
        #expect(e2?.message.contains("tensor w has data_offsets [8, 4]: begin must be ≥ 0 and ≤ end") == true)
    }

    @Test func overlappingTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let (url, e) = loadError(rawFile(header: header, data: Array(repeating: 0, count: 12)))
        #expect(e?.message == "\(url.path): corrupt safetensors file: tensors a [0, 8] and b [4, 12] overlap")
    }

    @Test func bytesBelongingToNoTensor() {
        let hole = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let (url, e) = loadError(rawFile(header: hole, data: Array(repeating: 0, count: 8)))
        #expect(e?.message == "\(url.path): corrupt safetensors file: bytes 0..<4 of the data belong to no tensor (a hole before a)")
        let trailing = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let (_, e2) = loadError(rawFile(header: trailing, data: Array(repeating: 0, count: 8)))
        #expect(e2?.message.contains("4 bytes after the last tensor belong to no tensor") == true)
    }

    // MARK: Files that are safetensors but not our checkpoint

    let slab = randomSlab(ParameterLayout(tinyConfig).count, seed: 11)
    var goodMetadata: [String: String] { Checkpoint.metadata(for: tinyConfig) }

    @Test func shapeDisagreesWithConfig() {
        var entries = checkpointEntries(tinyConfig, slab)
        let i = entries.firstIndex { $0.name == "h.1.attn.c_attn.weight" }!
        entries[i] = .init(name: "h.1.attn.c_attn.weight", shape: [12, 4], data: entries[i].data)
        let (url, e) = loadError(SafeTensors.encode(entries, metadata: goodMetadata))
        #expect(e?.message == "\(url.path): tensor h.1.attn.c_attn.weight has shape [12, 4], but the config expects [4, 12]")
    }

    @Test func missingTensor() {
        let entries = checkpointEntries(tinyConfig, slab).filter { $0.name != "h.0.ln_2.bias" }
        let (url, e) = loadError(SafeTensors.encode(entries, metadata: goodMetadata))
        #expect(e?.message == "\(url.path): missing tensor h.0.ln_2.bias (expected shape [4])")
    }

    @Test func unexpectedTensor() {
        let entries = checkpointEntries(tinyConfig, slab) + [.init(name: "lm_head.weight", shape: [1], data: [0])]
        let (url, e) = loadError(SafeTensors.encode(entries, metadata: goodMetadata))
        #expect(e?.message == "\(url.path): unexpected tensor lm_head.weight: not part of a learned GPT-2 with n_layer 2")
        // A learned-position file whose config claims rope: wpe.weight is unexpected.
        var rope = tinyConfig
        rope.positional = .rope
        let (_, e2) = loadError(SafeTensors.encode(checkpointEntries(tinyConfig, slab), metadata: Checkpoint.metadata(for: rope)))
        #expect(e2?.message.contains("unexpected tensor wpe.weight") == true)
    }

    @Test func nanAndInfiniteWeights() {
        var bad = slab
        let t = ParameterLayout(tinyConfig).tensor(named: "h.1.mlp.c_fc.bias")!
        bad[t.offset + 3] = .nan
        let (url, e) = loadError(SafeTensors.encode(checkpointEntries(tinyConfig, bad), metadata: goodMetadata))
        #expect(e?.message == "\(url.path): tensor h.1.mlp.c_fc.bias holds nan at element 3; weights must be finite")
        bad[t.offset + 3] = 0
        bad[0] = -.infinity
        let (_, e2) = loadError(SafeTensors.encode(checkpointEntries(tinyConfig, bad), metadata: goodMetadata))
        #expect(e2?.message.contains("tensor wte.weight holds -inf at element 0") == true)
    }

    @Test func missingOrInvalidConfigMetadata() {
        let entries = checkpointEntries(tinyConfig, slab)
        let (url, e) = loadError(SafeTensors.encode(entries, metadata: ["format": "pt"]))
        #expect(e?.message.hasPrefix("\(url.path): not a gptx checkpoint: no model config in the safetensors metadata") == true)
        let (url2, e2) = loadError(SafeTensors.encode(entries))
        #expect(e2?.message.hasPrefix("\(url2.path): not a gptx checkpoint") == true)
        let badConfig = #"{"n_embd":4,"n_head":3,"n_layer":2,"n_positions":5,"vocab_size":11}"#
        let (url3, e3) = loadError(SafeTensors.encode(entries, metadata: ["config": badConfig]))
        #expect(e3?.message == "\(url3.path): n_embd 4 is not divisible by n_head 3: each head needs an equal share")
        let (url4, e4) = loadError(SafeTensors.encode(entries, metadata: ["config": "{oops"]))
        #expect(e4?.message.hasPrefix("\(url4.path): model config is not valid") == true)
    }

    // MARK: Saving where one cannot

    @Test func unwritableOutputLeavesNothingBehind() throws {
        let dir = makeTempDir()
        // The directory does not exist.
        let missing = dir.appendingPathComponent("no/such/dir/model.safetensors")
        let e = userError { try Checkpoint.save(config: tinyConfig, parameters: slab, to: missing) }
        #expect(e?.message == "\(missing.path): cannot write: directory \(missing.deletingLastPathComponent().path) does not exist")
        // The "directory" is a regular file.
        try Data("x".utf8).write(to: dir.appendingPathComponent("file"))
        let underFile = dir.appendingPathComponent("file/model.safetensors")
        let e2 = userError { try Checkpoint.save(config: tinyConfig, parameters: slab, to: underFile) }
        #expect(e2?.message == "\(underFile.path): cannot write: \(dir.path)/file is not a directory")
        // The target is an existing directory: the temporary file is written, the rename fails,
        // and the temporary file must be gone.
        let target = dir.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("keep"), withIntermediateDirectories: true)
        let e3 = userError { try Checkpoint.save(config: tinyConfig, parameters: slab, to: target) }
        #expect(e3?.message.hasPrefix("\(target.path): cannot write: ") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["file", "model.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["keep"])
        // A read-only directory (only meaningful when not root: root may write anywhere).
        if getuid() != 0 {
            let ro = dir.appendingPathComponent("ro")
            try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
            let url = ro.appendingPathComponent("model.safetensors")
            let e4 = userError { try Checkpoint.save(config: tinyConfig, parameters: slab, to: url) }
            #expect(e4?.message == "\(url.path): cannot write: directory \(ro.path) is not writable")
            #expect(try FileManager.default.contentsOfDirectory(atPath: ro.path).isEmpty)
        }
    }

    @Test func saveRefusesNonFiniteWeightsAndKeepsTheOldFile() throws {
        let url = makeTempDir().appendingPathComponent("model.safetensors")
        try Checkpoint.save(config: tinyConfig, parameters: slab, to: url)
        let before = try Data(contentsOf: url)
        var bad = slab
        bad[ParameterLayout(tinyConfig).lnfBias + 1] = .infinity
        let e = userError { try Checkpoint.save(config: tinyConfig, parameters: bad, to: url) }
        #expect(e?.message == "\(url.path): refusing to save checkpoint: tensor ln_f.bias holds inf at element 1")
        #expect(try Data(contentsOf: url) == before)
    }

    // MARK: Trace export

    static let tokens = ["The", " \"cat\"\n", "ü\\"]

    /// A small trace; `reversed` inserts the tensors in the opposite order.
    static func sampleTrace(reversed: Bool = false) -> Trace {
        let ninf = -Float.infinity
        var items: [(String, Tensor)] = [
            (TraceName.embed, Tensor(shape: [3, 2], data: [0.1, -2.5, 1e-7, 3, -0.0, 1e30])),
            (TraceName.residPre(layer: 0), Tensor(shape: [3, 2], data: [1, 2, 3, 4, 5, 6])),
            (TraceName.scores(layer: 0), Tensor(shape: [1, 3, 3], data: [0.5, ninf, ninf, 0.25, 0.75, ninf, 1, 2, 3])),
            (TraceName.pattern(layer: 0), Tensor(shape: [1, 3, 3], data: [1, 0, 0, 0.5, 0.5, 0, 0.2, 0.3, 0.5])),
            (TraceName.logits, Tensor(shape: [3, 1], data: [.nan, .infinity, 7])),
            ("zz.extra", Tensor(shape: [1], data: [42])),
            ("aa.extra", Tensor(shape: [], data: [9])),
        ]
        if reversed { items.reverse() }
        var trace = Trace(ids: [464, 3797, 0])
        for (name, t) in items { trace[name] = t }
        return trace
    }

    static let expectedOrder = [TraceName.embed, TraceName.residPre(layer: 0), TraceName.scores(layer: 0),
                                TraceName.pattern(layer: 0), TraceName.logits, "aa.extra", "zz.extra"]

    @Test func traceJSONHasTheDocumentedStructure() throws {
        let trace = Self.sampleTrace()
        let data = TraceExport.json(trace, tokens: Self.tokens)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(root.keys) == ["tokens", "ids", "tensors"])
        #expect(root["tokens"] as? [String] == Self.tokens)
        #expect(root["ids"] as? [Int] == [464, 3797, 0])
        let tensors = try #require(root["tensors"] as? [String: Any])
        #expect(Set(tensors.keys) == Set(Self.expectedOrder))
        for (name, tensor) in trace.tensors {
            let entry = try #require(tensors[name] as? [String: Any])
            #expect(Set(entry.keys) == ["shape", "data"])
            #expect(entry["shape"] as? [Int] == tensor.shape)
            let values = try #require(entry["data"] as? [Any])
            #expect(values.count == tensor.data.count)
            for (v, x) in zip(values, tensor.data) {
                if x.isFinite {
                    #expect((v as? NSNumber).map { Float($0.doubleValue) } == x, "\(name): \(v) vs \(x)")
                } else {
                    #expect(v is NSNull, "\(name): non-finite \(x) must be null, got \(v)")
                }
            }
        }
        // The masked scores: −∞ above the diagonal is null.
        let scores = try #require((tensors[TraceName.scores(layer: 0)] as? [String: Any])?["data"] as? [Any])
        #expect(scores[1] is NSNull && scores[2] is NSNull && scores[5] is NSNull)
        #expect(!(scores[0] is NSNull) && !(scores[3] is NSNull))
    }

    @Test func traceJSONBytesAreDeterministicAndOrdered() throws {
        let a = TraceExport.json(Self.sampleTrace(), tokens: Self.tokens)
        let b = TraceExport.json(Self.sampleTrace(reversed: true), tokens: Self.tokens)
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        let positions = Self.expectedOrder.map { text.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())
        // Shortest round-trip float text, null for non-finite values.
        #expect(text.contains(#""hook_embed":{"shape":[3,2],"data":[0.1,-2.5,1e-07,3.0,-0.0,1e+30]}"#))
        #expect(text.contains(#""unembed.hook_out":{"shape":[3,1],"data":[null,null,7.0]}"#))
        #expect(text.contains(#""aa.extra":{"shape":[],"data":[9.0]}"#))
        #expect(text.hasPrefix(#"{"tokens":["The"," \"cat\"\n","ü\\"],"ids":[464,3797,0],"tensors":{"#))
    }

    @Test func traceSafetensorsHoldsTheSameTensors() throws {
        let trace = Self.sampleTrace()
        let data = TraceExport.safetensors(trace, tokens: Self.tokens, ids: trace.ids)
        #expect(data == TraceExport.safetensors(Self.sampleTrace(reversed: true), tokens: Self.tokens, ids: trace.ids))
        let file = try SafeTensors.decode(data, source: "trace.safetensors")
        #expect(file.names == Self.expectedOrder)
        for (name, tensor) in trace.tensors {
            #expect(file.tensors[name]?.shape == tensor.shape)
            #expect(file.tensors[name]?.data.map(\.bitPattern) == tensor.data.map(\.bitPattern))  // −∞ and NaN kept
        }
        let tokens = try JSONSerialization.jsonObject(with: Data(try #require(file.metadata["tokens"]).utf8)) as? [String]
        #expect(tokens == Self.tokens)
        let ids = try JSONSerialization.jsonObject(with: Data(try #require(file.metadata["ids"]).utf8)) as? [Int]
        #expect(ids == trace.ids)
    }
}
