import Foundation
import Testing
import TinyGPT

/// The `gptx` executable built beside this test bundle.
let gptxBinary: URL = {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir, dir.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent("gptx")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return dir.appendingPathComponent("gptx")
}()

/// The repository root, so `--model lessons/model` resolves as in README's commands.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shippedModel = repoRoot.appendingPathComponent("lessons/model").path

struct Run {
    var status: Int32
    var stdout: Data
    var stderr: String
    var out: String { String(decoding: stdout, as: UTF8.self) }
}

func gptx(_ args: String...) throws -> Run {
    let p = Process()
    p.executableURL = gptxBinary
    p.arguments = args
    p.currentDirectoryURL = repoRoot
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(status: p.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gptx-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Bad input: exactly one line on stderr that contains `expected`, exit status 2, nothing on stdout.
func expectBadInput(_ run: Run, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status == 2, "exit status \(run.status), stderr: \(run.stderr)", sourceLocation: sourceLocation)
    let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
    #expect(lines.count == 1, "stderr should be one line: \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(expected), "stderr \(run.stderr) should contain \(expected)", sourceLocation: sourceLocation)
    #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
}

@Suite struct CommandLineTests {
    @Test func tokenizeShowsTokensAndIDs() throws {
        let run = try gptx("tokenize", "我爱机器学习", "--json", "--model", shippedModel)
        #expect(run.status == 0)
        let obj = try JSONSerialization.jsonObject(with: run.stdout) as! [String: Any]
        #expect(obj["tokens"] as? [String] == ["我", "爱", "机器", "学习"])
        #expect((obj["ids"] as? [Int])?.count == 4)
    }

    @Test func traceJSONHasTheDocumentedShape() throws {
        let run = try gptx("trace", "我爱机器学习", "--json", "--model", shippedModel)
        #expect(run.status == 0, "\(run.stderr)")
        let obj = try JSONSerialization.jsonObject(with: run.stdout) as! [String: Any]
        #expect(obj["tokens"] as? [String] == ["我", "爱", "机器", "学习"])
        let tensors = obj["tensors"] as! [String: [String: Any]]
        let pattern = tensors["blocks.0.attn.hook_pattern"]!
        #expect(pattern["shape"] as? [Int] == [4, 4, 4])
        let scores = tensors["blocks.0.attn.hook_attn_scores"]!["data"] as! [Any]
        #expect(scores[1] is NSNull, "−∞ above the diagonal is written as null")
        let logits = tensors["unembed.hook_out"]!
        #expect((logits["shape"] as? [Int])?.first == 4)
    }

    @Test func traceWritesSafetensors() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("t.safetensors")
        let run = try gptx("trace", "人工智能是", "--safetensors", file.path, "--model", shippedModel)
        #expect(run.status == 0, "\(run.stderr)")
        let loaded = try SafeTensors.read(from: file)
        #expect(loaded.tensors["hook_embed"]?.shape.last == 64)
        let bad = try gptx("trace", "人工智能是", "--safetensors", dir.appendingPathComponent("no/such/dir/t.safetensors").path, "--model", shippedModel)
        #expect(bad.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("no").path))
    }

    @Test func generateGreedyJSON() throws {
        let run = try gptx("generate", "人工智能是", "--json", "--max-tokens", "8", "--model", shippedModel)
        #expect(run.status == 0, "\(run.stderr)")
        let obj = try JSONSerialization.jsonObject(with: run.stdout) as! [String: Any]
        let steps = obj["steps"] as! [[String: Any]]
        #expect(!steps.isEmpty && steps.count <= 8)
        #expect((steps[0]["logits"] as? [Any])?.count == 1024)
        #expect(obj["prompt_ids"] is [Int] && obj["text"] is String && obj["stop"] is String)
    }

    @Test func badPromptsAreOneLine() throws {
        expectBadInput(try gptx("generate", "", "--model", shippedModel), "the prompt is empty")
        let long = String(repeating: "人工智能是未来的发展方向。", count: 12)
        expectBadInput(try gptx("generate", long, "--model", shippedModel), "context is 64 tokens")
        expectBadInput(try gptx("trace", long, "--json", "--model", shippedModel), "context is 64 tokens")
    }

    @Test func badDecodingFlagsAreOneLine() throws {
        expectBadInput(try gptx("generate", "我", "--strategy", "sample", "--top-p", "1.5", "--model", shippedModel), "--top-p")
        expectBadInput(try gptx("generate", "我", "--strategy", "sample", "--temperature", "-1", "--model", shippedModel), "--temperature")
        expectBadInput(try gptx("generate", "我", "--strategy", "beam", "--beam-width", "0", "--model", shippedModel), "--beam-width")
        expectBadInput(try gptx("generate", "我", "--strategy", "beam", "--top-p", "0.5", "--model", shippedModel), "--top-p")
        expectBadInput(try gptx("generate", "我", "--max-tokens", "0", "--model", shippedModel), "--max-tokens")
        expectBadInput(try gptx("generate", "我", "--strategy", "nucleus", "--model", shippedModel), "nucleus")
        expectBadInput(try gptx("frobnicate"), "frobnicate")
    }

    @Test func badModelFoldersAreOneLine() throws {
        let dir = try temporaryDirectory()
        expectBadInput(try gptx("generate", "我", "--model", dir.appendingPathComponent("missing").path), "model.safetensors")
        // A truncated checkpoint beside the real tokenizer.
        let ckpt = try Data(contentsOf: URL(fileURLWithPath: shippedModel).appendingPathComponent("model.safetensors"))
        try ckpt.prefix(5000).write(to: dir.appendingPathComponent("model.safetensors"))
        try FileManager.default.copyItem(atPath: shippedModel + "/tokenizer.json", toPath: dir.appendingPathComponent("tokenizer.json").path)
        expectBadInput(try gptx("generate", "我", "--model", dir.path), "model.safetensors")
        // A header that claims gigabytes.
        var huge = Data([0, 0, 0, 0, 2, 0, 0, 0])
        huge.append(Data("{}".utf8))
        try huge.write(to: dir.appendingPathComponent("model.safetensors"))
        expectBadInput(try gptx("generate", "我", "--model", dir.path), "model.safetensors")
        // A good checkpoint with a tokenizer that does not match it.
        try ckpt.write(to: dir.appendingPathComponent("model.safetensors"))
        let small = Tokenizer.train(documents: ["abc abc"], vocabSize: 300)
        try small.write(to: dir.appendingPathComponent("tokenizer.json"))
        expectBadInput(try gptx("generate", "我", "--model", dir.path), "tokenizer.json")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("tokenizer.json"))
        expectBadInput(try gptx("generate", "我", "--model", dir.path), "tokenizer.json")
    }

    /// A lessons folder as `gptx lessons` writes it, cut down to one chapter.
    func tinyLessons() throws -> URL {
        let out = try temporaryDirectory()
        for language in ["zh", "en"] {
            let dir = out.appendingPathComponent(language)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try "# GPT\n\n- [1](01-what-is-gpt.md)\n".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            try "# 1 What is GPT\n\nIt predicts $x_{t+1}$.\n".write(to: dir.appendingPathComponent("01-what-is-gpt.md"), atomically: true, encoding: .utf8)
        }
        return out
    }

    @Test func siteBadInputIsOneLineAndLeavesThePreviousSite() throws {
        let out = try tinyLessons()
        let good = try gptx("site", "--out", out.path)
        #expect(good.status == 0, "\(good.stderr)")
        let page = out.appendingPathComponent("site/en/01-what-is-gpt.html")
        let before = try Data(contentsOf: page)
        expectBadInput(try gptx("site", "--out", out.path, "--base-url", "https://example.org/gptx/"), "--base-url")
        expectBadInput(try gptx("site", "--out", out.path, "--base-url", "gptx"), "--base-url")
        expectBadInput(try gptx("site", "--out", out.path, "--site", "/proc/gptx-site"), "/proc/gptx-site")
        let missing = out.appendingPathComponent("nothing-here")
        expectBadInput(try gptx("site", "--out", missing.path), "gptx lessons")
        expectBadInput(try gptx("site", "--out", out.path, "--lang", "fr"), "fr")
        #expect(try Data(contentsOf: page) == before)
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func badTrainingInputsAreOneLineAndWriteNothing() throws {
        let dir = try temporaryDirectory()
        let config = dir.appendingPathComponent("c.json")
        var text = try String(contentsOfFile: repoRoot.appendingPathComponent("lessons/train-config.json").path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"corpus\": \"corpus\"", with: "\"corpus\": \"\(repoRoot.path)/lessons/corpus\"")
        try text.replacingOccurrences(of: "\"n_head\": 4", with: "\"n_head\": 0").write(to: config, atomically: true, encoding: .utf8)
        expectBadInput(try gptx("train", "--config", config.path, "--out", dir.appendingPathComponent("o").path), "n_head 0")
        try text.replacingOccurrences(of: "\"n_head\": 4", with: "\"n_head\": 3").write(to: config, atomically: true, encoding: .utf8)
        expectBadInput(try gptx("train", "--config", config.path, "--out", dir.appendingPathComponent("o").path), "not divisible by n_head 3")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
        try text.write(to: config, atomically: true, encoding: .utf8)
        let blocker = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        expectBadInput(try gptx("train", "--config", config.path, "--out", blocker.appendingPathComponent("o").path, "--steps", "1"), "output directory")
        expectBadInput(try gptx("train", "--config", dir.appendingPathComponent("nope.json").path), "nope.json")
    }

    /// A tiny training config (seconds in a debug build) whose context fits the lessons' prompts.
    static func tinyConfig(in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent("tiny.json")
        try """
        {"model": {"vocab_size": 300, "n_positions": 128, "n_embd": 32, "n_layer": 2, "n_head": 2, "positional": "learned"},
         "corpus": "nowhere", "steps": 10, "batch_size": 2, "learning_rate": 0.01, "min_learning_rate": 0.001, "warmup_steps": 2,
         "weight_decay": 0.1, "beta1": 0.9, "beta2": 0.95, "grad_clip": 1.0, "seed": 7, "val_fraction": 0.2, "eval_interval": 5,
         "eval_batches": 1, "snapshot_steps": [0, 5]}
        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Corpora that cannot be trained on: one line naming the folder or file and what a corpus may
    /// hold, exit 2, and no model folder.
    @Test func badCorporaAreOneLineAndLeaveNoModel() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try Self.tinyConfig(in: dir).path
        let fm = FileManager.default
        func corpus(_ name: String, _ files: [String: Data]) throws -> String {
            let c = dir.appendingPathComponent(name)
            try fm.createDirectory(at: c, withIntermediateDirectories: true)
            for (file, data) in files { try data.write(to: c.appendingPathComponent(file)) }
            return c.path
        }
        let cases: [(String, String)] = [
            (try corpus("empty", [:]), "has no .txt files: a corpus is a folder of UTF-8 .txt files"),
            (try corpus("notxt", ["notes.md": Data("你好".utf8), "b.doc": Data("x".utf8)]), "has no .txt files: a corpus is a folder of UTF-8 .txt files"),
            (try corpus("latin1", ["a.txt": Data([0x63, 0x61, 0x66, 0xE9])]), "latin1/a.txt is not valid UTF-8: a corpus is a folder of UTF-8 .txt files"),
            (try corpus("blank", ["a.txt": Data("\n<|endoftext|>\n  \n".utf8)]), "has .txt files but no documents in them"),
            (try corpus("small", ["a.txt": Data("你好。\n<|endoftext|>\n再见。".utf8)]), "corpus too small"),
            (dir.appendingPathComponent("missing").path, "does not exist"),
        ]
        for (i, (path, expected)) in cases.enumerated() {
            let model = dir.appendingPathComponent("model\(i)")
            expectBadInput(try gptx("train", "--config", config, "--corpus", path, "--out", model.path), expected)
            #expect(!fm.fileExists(atPath: model.path), "\(path): \(model.path) should not exist")
        }
        // A bad corpus does not touch a model folder that is already there.
        let existing = dir.appendingPathComponent("existing")
        try fm.createDirectory(at: existing, withIntermediateDirectories: true)
        expectBadInput(try gptx("train", "--config", config, "--corpus", cases[0].0, "--out", existing.path), "has no .txt files")
        #expect(try fm.contentsOfDirectory(atPath: existing.path).isEmpty)
    }

    /// README's teacher path, as a user runs it: `gptx train --corpus DIR --out MODEL`, then
    /// `gptx lessons --model MODEL --out OUT` (real figures), from a folder of plain .txt files.
    @Test func aTeachersCorpusTrainsAndBuildsLessons() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        var text = ""
        for i in 0..<150 { text += ["春天来了，花都开了。", "小猫在院子里睡觉。", "The cat sat on the mat.", "我们一起去公园散步。"][i % 4] + "老师讲课。\n<|endoftext|>\n" }
        try text.write(to: corpus.appendingPathComponent("mine.txt"), atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("model"), out = dir.appendingPathComponent("out")
        let train = try gptx("train", "--config", try Self.tinyConfig(in: dir).path, "--corpus", corpus.path, "--out", model.path)
        #expect(train.status == 0, "\(train.stderr)")
        let saved = try TrainConfig.load(from: model.appendingPathComponent("train-config.json"))
        #expect(saved.corpus == "../corpus")
        for name in ["model.safetensors", "tokenizer.json", "train-log.jsonl", "snapshots/step-00005.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent(name).path), "\(name)")
        }
        let lessons = try gptx("lessons", "--model", model.path, "--out", out.path, "--lang", "en", "--png-scale", "1")
        #expect(lessons.status == 0, "\(lessons.stderr)")
        let ch2 = try String(contentsOf: out.appendingPathComponent("en/02-three-stages.md"), encoding: .utf8)
        #expect(ch2.contains("gptx experiment finetune --model \(model.path)"))
        #expect(ch2.contains("This model's corpus never continues it"))
        let ch1 = try String(contentsOf: out.appendingPathComponent("en/01-what-is-gpt.md"), encoding: .utf8)
        #expect(!ch1.isEmpty)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("en/figures/02-snapshots.png").path))
    }
}
