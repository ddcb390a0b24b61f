import Foundation
import Testing
import Figures

/// The debug build of the command line.
let gptxBinary = Shipped.root.appendingPathComponent(".build/debug/gptx")

/// `gptx render` as a user runs it: the built binary, its exit status, stderr and the files.
/// Runs when the debug binary exists (`swift build` builds it before the tests).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: gptxBinary.path)))
struct RenderCommandTests {
    static let binary = gptxBinary

    func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args.contains("--model") ? args : args + ["--model", Shipped.modelDirectory.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gptx-render-\(UUID().uuidString)")
    }

    @Test func writesFilesAndIndex() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["render", "我爱机器学习", "--stage", "maskMatrix,attentionScores", "--format", "png,svg", "--scale", "1",
                         "--out", dir.appendingPathComponent("figs").path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("figs").path).sorted()
        #expect(files == ["attentionScores.png", "attentionScores.svg", "figures.json", "maskMatrix.png", "maskMatrix.svg"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["figs"], "temporary folder left behind")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("figs/figures.json"))) as! [String: Any]
        let figures = index["figures"] as! [[String: Any]]
        #expect(figures.map { $0["name"] as! String } == ["maskMatrix", "attentionScores"])
        #expect((figures[1]["caption"] as! String).hasPrefix("Layer 0, head 0"))
        #expect(figures[1]["files"] as! [String] == ["attentionScores.png", "attentionScores.svg"])
    }

    @Test(arguments: [
        (["--stage", "attention"], "--stage \"attention\" is not known: allowed all, next-token-bars, training-window"),
        (["--format", "png,gif"], "--format \"gif\" is not known: allowed png, svg, pdf"),
        (["--theme", "neon"], "--theme \"neon\" is not known: allowed light, dark, print"),
        (["--stage", "attentionScores", "--param", "layer=7"], "parameter layer = \"7\" is not valid: allowed an integer in 0...3"),
        (["--stage", "mlp-activations", "--param", "layer=4"], "parameter layer = \"4\" is not valid: allowed an integer in 0...3"),
        (["--stage", "mlp-activations", "--param", "neurons=x"], "parameter neurons = \"x\" is not valid: allowed an integer in 1...8"),
    ])
    func badOptionsAreOneLineExitTwo(args: [String], message: String) throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["render", "我爱", "--out", dir.path] + args)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.path), "bad input must write nothing")
    }

    @Test func badPromptsAndOutput() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try run(["render", "", "--out", dir.path])
        #expect(empty.status == 2 && empty.stderr.contains("the prompt is empty"))
        let long = try run(["render", String(repeating: Shipped.fullContext, count: 2), "--out", dir.path])
        #expect(long.status == 2 && long.stderr.contains("context is 64 tokens"))
        // An output folder inside a regular file cannot be created.
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        let unwritable = try run(["render", "我爱", "--stage", "maskMatrix", "--out", file.appendingPathComponent("figs").path])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("not writable"), "\(unwritable.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plain"])
        // A model folder without experiments/: the scaling stage says which command makes it.
        let bare = dir.appendingPathComponent("bare-model")
        try FileManager.default.createDirectory(at: bare, withIntermediateDirectories: true)
        for name in ["model.safetensors", "tokenizer.json", "train-log.jsonl"] {
            try FileManager.default.copyItem(at: Shipped.modelDirectory.appendingPathComponent(name), to: bare.appendingPathComponent(name))
        }
        let experiment = try run(["render", "我爱", "--stage", "scalingLaw", "--model", bare.path, "--out", dir.appendingPathComponent("s").path])
        #expect(experiment.status == 2 && experiment.stderr.contains("scaling.json is missing: make it with `gptx experiment scaling`"))
    }

    /// `--stage` takes kebab-case like every other CLI value, and the camelCase names as aliases;
    /// `--help` lists the kebab-case names.
    @Test func kebabCaseStageNamesAndAliases() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["render", "我爱", "--stage", "next-token-bars,maskMatrix,embedding-pca,top-k-top-p", "--format", "svg",
                         "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files == ["embeddingPCA.svg", "figures.json", "maskMatrix.svg", "nextTokenBars.svg", "topKTopP.svg"])
        let help = try run(["render", "--help"])
        #expect(help.stdout.contains("next-token-bars, training-window"), "\(help.stdout)")
        #expect(help.stdout.contains("embedding-pca") && !help.stdout.contains("embeddingPCA,"))
    }

    /// Every PNG and SVG and `figures.json` carry the provenance; `--again` rebuilds each file
    /// byte for byte from it, and refuses a changed model, a file without a record, a garbled
    /// record and a prompt given beside it.
    @Test func againRebuildsFromProvenance() throws {
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let figs = dir.appendingPathComponent("figs")
        let prompt = "</metadata><script>x</script>我爱"
        let r = try run(["render", prompt, "--stage", "attention-scores", "--param", "head=2", "--theme", "dark", "--lang", "en",
                         "--scale", "1", "--format", "png,svg", "--out", figs.path])
        #expect(r.status == 0, "\(r.stderr)")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: figs.appendingPathComponent("figures.json"))) as! [String: Any]
        let p = (index["figures"] as! [[String: Any]])[0]["provenance"] as! [String: Any]
        #expect(p["prompt"] as? String == prompt && p["stage"] as? String == "attention-scores" && p["theme"] as? String == "dark")
        #expect(p["parameters"] as? [String: String] == ["head": "2"] && p["language"] as? String == "en")
        #expect(p["model_sha256"] as? String == (try Shipped.bundle.modelSHA256()))
        for name in ["attentionScores.png", "attentionScores.svg"] {
            let file = figs.appendingPathComponent(name)
            let before = try Data(contentsOf: file)
            let again = try run(["render", "--again", file.path, "--out", dir.appendingPathComponent("again").path])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try Data(contentsOf: dir.appendingPathComponent("again/\(name)")) == before, "\(name) not rebuilt byte for byte")
            let inPlace = try run(["render", "--again", file.path])
            #expect(inPlace.status == 0 && inPlace.stdout.contains("the same bytes"), "\(inPlace.stdout) \(inPlace.stderr)")
            #expect(try Data(contentsOf: file) == before)
        }
        // Another model file (one weight byte changed): refused, nothing written.
        let other = dir.appendingPathComponent("other-model")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        for name in ["model.safetensors", "tokenizer.json", "train-log.jsonl"] {
            try FileManager.default.copyItem(at: Shipped.modelDirectory.appendingPathComponent(name), to: other.appendingPathComponent(name))
        }
        var weights = try Data(contentsOf: other.appendingPathComponent("model.safetensors"))
        weights[weights.count - 2] ^= 0x01
        try weights.write(to: other.appendingPathComponent("model.safetensors"))
        let svg = figs.appendingPathComponent("attentionScores.svg")
        let changed = try run(["render", "--again", svg.path, "--model", other.path, "--out", dir.appendingPathComponent("x").path])
        #expect(changed.status == 2 && changed.stderr.contains("drawn from a model with SHA-256"), "\(changed.stderr)")
        #expect(changed.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
        // No record, a garbled record, a prompt beside --again.
        let bare = dir.appendingPathComponent("bare.png")
        try Shipped.renderer().render(StageRequest(stage: .maskMatrix))[0].drawing.png(scale: 1).write(to: bare)
        let none = try run(["render", "--again", bare.path])
        #expect(none.status == 2 && none.stderr.contains("has no gptx provenance"), "\(none.stderr)")
        let garbled = dir.appendingPathComponent("garbled.svg")
        let text = try String(contentsOf: svg, encoding: .utf8).replacingOccurrences(of: "&quot;stage&quot;", with: "&quot;stag&quot;")
        try text.write(to: garbled, atomically: true, encoding: .utf8)
        let bad = try run(["render", "--again", garbled.path])
        #expect(bad.status == 2 && bad.stderr.contains("garbled"), "\(bad.stderr)")
        let both = try run(["render", "我", "--again", svg.path])
        #expect(both.status == 2 && both.stderr.contains("takes no prompt"))
    }
}
